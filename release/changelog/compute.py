"""A release's changelog, computed: contributors and pull requests from git, titles from GitHub
(or git), rendered in NumPy's format. The changelog step and the release PR (prepare) both
compute it here, so the file the PR commits is the one the step writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from release.changelog import explain
from release.changelog.contributors import ContributorSummary
from release.changelog.data import collect
from release.changelog.explain import Decision
from release.changelog.format import (
    ESCAPED_SPACE,
    pull_request_lines,
    render_changelog,
    separator_in,
)
from release.changelog.pulls import (
    Discovery,
    PullRef,
    credited_numbers,
    find_pulls,
    map_backports,
    pull_from_commit,
    pulls_in_range,
)
from release.config import Config
from release.errors import PreconditionError, UsageError
from release.repo.revision_range import RevisionRange, infer_start, resolve
from release.services.git import GitService
from release.version import ReleaseVersion

if TYPE_CHECKING:
    from release.services.github import GitHubService


@dataclass(frozen=True)
class Changelog:
    people: ContributorSummary
    titles: tuple[tuple[int, str], ...]
    text: str
    decisions: tuple[Decision, ...] = ()  # why each number is listed or left out


@dataclass(frozen=True)
class Selection:
    """Which pull requests to list: `--exclude`d numbers left out, `--include`d ones listed
    (even the release's own pull request, or one merged outside the range); with `backports`,
    backports listed as their originals and those credited earlier in the series dropped."""

    exclude: frozenset[int] = frozenset()
    backports: bool = False
    include: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if conflict := self.include & self.exclude:
            raise UsageError(f"#{min(conflict)} is both --include'd and --exclude'd",
                             hint="give one of the two")


def changelog_range(git: GitService, config: Config, version: ReleaseVersion | None, *,
                    explicit: RevisionRange | None = None, since: str | None = None,
                    until: str | None = None) -> RevisionRange:
    """The range the changelog covers (explicit parts win, the rest inferred from the version);
    a range without commits is refused."""
    revisions = resolve(git, config, version, explicit=explicit, since=since, until=until)
    if not git.log(str(revisions), "-n", "1"):
        raise PreconditionError(
            f"the range {revisions} has no commits",
            hint="check the order (older..newer) and that the end is the branch you release from",
        )
    return revisions


def compute(git: GitService, config: Config, span: RevisionRange, version: ReleaseVersion | None,
            *, github: Callable[[], GitHubService] | None, say: Callable[[str], None],
            selection: Selection = Selection(), refresh: bool = False,
            mailmap_blob: str | None = None) -> Changelog:
    """The changelog of `span`; titles from `github()` (None: git's, offline)."""
    data = collect(git, span.start, span.end, drop=config.changelog_drop_names,
                   mailmap_blob=mailmap_blob)
    chosen = select_pulls(git, config, span, version, Discovery(data.pulls, data.skipped), selection)
    titles = pull_titles(config, chosen, github, say, refresh=refresh,
                         in_range=(lambda: range_commits(git, span)))
    separator = code_separator(git, config, span, version, say)
    return Changelog(data.people, tuple(titles), render(config, data.people, titles, separator),
                     tuple(chosen.decisions))


@dataclass
class Chosen:
    """The pull requests to list, and the decision on every number met on the way."""

    pulls: list[PullRef]
    decisions: list[Decision] = field(default_factory=list)


def select_pulls(git: GitService, config: Config, span: RevisionRange,
                 version: ReleaseVersion | None, data: Discovery,
                 selection: Selection) -> Chosen:
    """The range's pull requests without the release PR itself and the excluded numbers, with
    the included ones."""
    end = span.end
    chosen = Chosen([], [explain.fork_internal(skip, end) for skip in data.skipped])
    prefixes = tuple(version.format(p, project=config.project)
                     for p in config.changelog_exclude_titles) if version is not None else ()
    for pull in data.pulls:
        chosen.decisions.append(explain.listed(pull, pull.title, end))
        prefix = next((p for p in prefixes if pull.title.startswith(p)), None)
        if pull.number in selection.exclude:
            chosen.decisions.append(explain.excluded(pull, pull.title))
        elif prefix is not None and pull.number not in selection.include:
            chosen.decisions.append(explain.release_pr(pull, pull.title, prefix))
        else:
            if pull.number in selection.include:
                how = "release-pr" if prefix is not None else "listed"
                chosen.decisions.append(explain.included(pull.number, pull.commit, pull.title, how))
            chosen.pulls.append(pull)
    listed = {pull.number for pull in chosen.pulls}
    for number in sorted(selection.include - listed):
        pull = included_pull(git, span, number, data)
        set_aside = any(skip.number == number for skip in data.skipped)
        how = "fork-internal" if set_aside else "before" if pull.commit else "unnamed"
        chosen.decisions.append(explain.included(number, pull.commit, pull.title, how))
        chosen.pulls.append(pull)
    chosen.pulls.sort(key=lambda pull: pull.number)
    if selection.backports:
        before = chosen.pulls
        chosen.pulls = map_backports(before, earlier_in_series(git, config, span, version))
        chosen.decisions += backport_decisions(before, chosen.pulls)
    return chosen


def included_pull(git: GitService, span: RevisionRange, number: int, data: Discovery) -> PullRef:
    """An `--include`d number: the fork-internal merge the range set aside, else the commit
    before the range that names it, else only the number (its title then comes from GitHub)."""
    skipped = next((skip for skip in data.skipped if skip.number == number), None)
    if skipped is not None:
        return PullRef(number, skipped.subject, skipped.commit, "merge")
    pattern = f"(Merge pull request #{number}( |$)|Auto merge of #{number}( |$)|\\((#|gh-|gh-#){number}\\)$)"
    for commit in git.log(span.end, "-E", f"--grep={pattern}"):
        pull = pull_from_commit(commit, on_first_parent=True)
        if pull is not None and pull.number == number:
            return pull
    return PullRef(number, "", "", "include")


def decisions(git: GitService, config: Config, span: RevisionRange,
              version: ReleaseVersion | None) -> dict[int, Decision]:
    """Offline, with no option: the deciding word on each number git's subjects name."""
    chosen = select_pulls(git, config, span, version, find_pulls(git, span.start, span.end),
                          Selection())
    return explain.by_number(chosen.decisions)


def backport_decisions(before: list[PullRef], after: list[PullRef]) -> list[Decision]:
    kept = {pull.number for pull in after}
    decisions = []
    for pull in before:
        original = pull.original
        if original is not None and original in kept and pull.number not in kept:
            decisions.append(explain.backport(pull, original, pull.title))
        elif pull.number not in kept and (original is None or original not in kept):
            decisions.append(explain.credited_earlier(pull, pull.title))
    return decisions


def earlier_in_series(git: GitService, config: Config, span: RevisionRange,
                      version: ReleaseVersion | None) -> set[int]:
    """Pull requests credited by earlier releases of the series (for backports)."""
    if version is None or not version.is_patch:
        return set()
    first = ReleaseVersion.parse(f"{version.base.rsplit('.', 1)[0]}.0")
    series_start = infer_start(git, config, first)
    return credited_numbers(pulls_in_range(git, series_start, span.start))


def range_commits(git: GitService, span: RevisionRange) -> set[str]:
    return set(git.run(["rev-list", str(span), "--"]).split())


def pull_titles(config: Config, chosen: Chosen, github: Callable[[], GitHubService] | None,
                say: Callable[[str], None], *, refresh: bool = False,
                in_range: Callable[[], set[str]] = set) -> list[tuple[int, str]]:
    """Numbered titles: git's offline (`github` None), else GitHub's current ones (batched,
    cached). Online, a number GitHub does not know as a pull request, or whose merge commit
    GitHub records outside the range, is left out with a note (an `--include`d one is kept)."""
    pulls = chosen.pulls
    if github is None:
        missing = [pull.number for pull in pulls if not pull.title]
        if missing:
            raise PreconditionError(f"no commit names #{missing[0]}, so its title needs GitHub",
                                    hint="drop --offline (a token in GITHUB_TOKEN)")
        return [(pull.number, pull.title) for pull in pulls]
    found = github().pull_requests([pull.number for pull in pulls], refresh=refresh)
    included = {d.number for d in chosen.decisions if d.rule == "include"}
    commits: set[str] | None = None
    titles = []
    for pull in pulls:
        info = found.get(pull.number)
        if info is None:
            chosen.decisions.append(explain.not_on_github(pull, pull.title, config.github_repo))
            say(f"left out #{pull.number} ({pull.title!r}): GitHub has no pull request "
                f"#{pull.number} in {config.github_repo}")
            continue
        if info.merge_commit and pull.number not in included:
            commits = in_range() if commits is None else commits
            if info.merge_commit not in commits:
                chosen.decisions.append(explain.merged_elsewhere(pull, pull.title, config.github_repo,
                                                                 info.merge_commit))
                say(f"left out #{pull.number} ({pull.title!r}): GitHub's merge commit "
                    f"{info.merge_commit[:10]} is not in the range (--include {pull.number} keeps it)")
                continue
        titles.append((pull.number, info.title))
    return titles


def code_separator(git: GitService, config: Config, span: RevisionRange,
                   version: ReleaseVersion | None, say: Callable[[str], None]) -> str:
    """What follows a code span in a title: the configured one, else ("auto") what the series'
    own earlier changelogs at the range's end show, newest first, else `\\ `."""
    if config.changelog_code_separator != "auto":
        return config.changelog_code_separator
    if version is None or not version.is_patch:
        return ESCAPED_SPACE
    for micro in range(version.micro - 1, -1, -1):
        earlier = ReleaseVersion.parse(f"{version.major}.{version.minor}.{micro}")
        path = config.changelog.format(version=earlier)
        found = separator_in(git.show_file(span.end, path) or "")
        if found is not None:
            say(f"titles: {'a plain space' if found == ' ' else 'an escaped space'} after a code "
                f"span, as {path} has it")
            return found
    return ESCAPED_SPACE


def render(config: Config, people: ContributorSummary, titles: Iterable[tuple[int, str]],
           separator: str = ESCAPED_SPACE) -> str:
    lines = pull_request_lines(list(titles), config.github_repo, separator)
    return render_changelog(people.contributors, lines)
