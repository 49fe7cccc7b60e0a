"""A release's changelog, computed: contributors and pull requests from git, titles from GitHub
(or git), rendered in NumPy's format. The changelog step and the release PR (prepare) both
compute it here, so the file the PR commits is the one the step writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from release.changelog.contributors import ContributorSummary
from release.changelog.data import collect
from release.changelog.format import pull_request_lines, render_changelog
from release.changelog.pulls import PullRef, credited_numbers, map_backports, pulls_in_range
from release.config import Config
from release.errors import PreconditionError
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


@dataclass(frozen=True)
class Selection:
    """Which pull requests to list: `--exclude`d numbers left out; with `backports`, backports
    listed as their originals and those credited earlier in the series dropped."""

    exclude: frozenset[int] = frozenset()
    backports: bool = False


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
    pulls = select_pulls(git, config, span, version, list(data.pulls), selection)
    titles = pull_titles(config, pulls, github, say, refresh=refresh)
    return Changelog(data.people, tuple(titles), render(config, data.people, titles))


def select_pulls(git: GitService, config: Config, span: RevisionRange,
                 version: ReleaseVersion | None, pulls: list[PullRef],
                 selection: Selection) -> list[PullRef]:
    """The range's pull requests without the release PR itself and the excluded numbers."""
    if version is not None:
        prefixes = tuple(version.format(p, project=config.project)
                         for p in config.changelog_exclude_titles)
        pulls = [p for p in pulls if not p.title.startswith(prefixes)]
    pulls = [p for p in pulls if p.number not in selection.exclude]
    if selection.backports:
        pulls = map_backports(pulls, earlier_in_series(git, config, span, version))
    return pulls


def earlier_in_series(git: GitService, config: Config, span: RevisionRange,
                      version: ReleaseVersion | None) -> set[int]:
    """Pull requests credited by earlier releases of the series (for backports)."""
    if version is None or not version.is_patch:
        return set()
    first = ReleaseVersion.parse(f"{version.base.rsplit('.', 1)[0]}.0")
    series_start = infer_start(git, config, first)
    return credited_numbers(pulls_in_range(git, series_start, span.start))


def pull_titles(config: Config, pulls: Iterable[PullRef],
                github: Callable[[], GitHubService] | None, say: Callable[[str], None], *,
                refresh: bool = False) -> list[tuple[int, str]]:
    """Numbered titles: git's offline (`github` None), else GitHub's current ones (batched,
    cached); a number GitHub does not know as a pull request is left out, with a note."""
    pulls = list(pulls)
    if github is None:
        return [(pull.number, pull.title) for pull in pulls]
    found = github().pull_requests([pull.number for pull in pulls], refresh=refresh)
    for pull in pulls:
        if pull.number not in found:
            say(f"left out #{pull.number} ({pull.title!r}): GitHub has no pull request "
                f"#{pull.number} in {config.github_repo}")
    return [(pull.number, found[pull.number].title) for pull in pulls if pull.number in found]


def render(config: Config, people: ContributorSummary, titles: Iterable[tuple[int, str]]) -> str:
    lines = pull_request_lines(list(titles), config.github_repo, config.changelog_code_separator)
    return render_changelog(people.contributors, lines)
