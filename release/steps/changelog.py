"""Write the changelog: contributors and merged pull requests, byte-compatible with NumPy's tool.

Git alone finds who contributed and which pull requests were merged; GitHub (one batched, cached
query per 100 pull requests) supplies the current titles unless `--offline`.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from release.changelog.contributors import ContributorSummary
from release.changelog.data import collect
from release.changelog.format import pull_request_lines, render_changelog
from release.changelog.pulls import PullRef, credited_numbers, map_backports, pulls_in_range
from release.context import Context
from release.errors import PreconditionError, UsageError, VerificationError
from release.plan import Plan, WriteFile
from release.repo.revision_range import RevisionRange, infer_start, resolve, version_of
from release.steps import Step
from release.version import ReleaseVersion

STEP = Step(name="changelog", order=40, journaled=False,
            summary="Write the changelog (contributors, pull requests)",
            status=None, resume=None)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="VERSION|A..B",
                        help="the release version (2.4.1, 2.5.0rc1) or a revision range")
    parser.add_argument("range", nargs="?", metavar="A..B",
                        help="the revision range, when a version is given first")
    parser.add_argument("--since", metavar="REF", help="start of the range (overrides the inferred one)")
    parser.add_argument("--until", metavar="REF",
                        help="end of the range (default: the maintenance branch)")
    parser.add_argument("--output", metavar="FILE",
                        help="where to write; `-` for stdout (default: the configured changelog file)")
    parser.add_argument("--offline", action="store_true",
                        help="titles from git instead of GitHub (no token, no network)")
    parser.add_argument("--refresh", action="store_true", help="ignore cached GitHub titles")
    parser.add_argument("--backports", action="store_true",
                        help="list backports as their original pull requests and drop those already "
                             "credited earlier in the series")
    parser.add_argument("--mailmap-from", metavar="REF",
                        help="also use REF's .mailmap (git's mailmap.blob), e.g. the release tag")
    parser.add_argument("--exclude", metavar="N", type=int, action="append", default=[],
                        help="leave pull request N out (repeatable)")


@dataclass(frozen=True)
class ChangelogRequest:
    """What to generate: the version (None for a bare range), the range and where it goes."""

    version: ReleaseVersion | None
    range: RevisionRange
    output: str | None  # None: the configured file; "-": stdout; else a path


def run(ctx: Context) -> int:
    request = read_request(ctx)
    ctx.say(f"changelog for {request.range}")
    data = collect(ctx.git, request.range.start, request.range.end,
                   drop=ctx.config.changelog_drop_names, mailmap_blob=_mailmap_blob(ctx))
    people = data.people
    pulls = select_pulls(ctx, request, list(data.pulls))
    titles = pull_titles(ctx, pulls)
    text = render(ctx, people, titles)
    ctx.say(f"{people.total} contributors ({people.first_time} first-time), "
            f"{len(titles)} pull requests")
    if request.output == "-":
        ctx.out.write(text)
        return 0
    ctx.execute(build_plan(ctx, request, text))
    return 0


def read_request(ctx: Context) -> ChangelogRequest:
    target, second = str(ctx.option("target")), ctx.option("range")
    explicit = RevisionRange.parse(target)
    if explicit is None:
        version: ReleaseVersion | None = ReleaseVersion.parse(target)
        if version is not None and version.is_dev:
            raise UsageError(f"{version} is a development version; changelogs are for releases",
                             hint=f"give the release, e.g. {version.base}")
        if second is not None:
            explicit = RevisionRange.parse(str(second))
            if explicit is None:
                raise UsageError(f"{second!r} is not a range", hint="write it as A..B")
    else:
        if second is not None:
            raise UsageError("give the version first, then the range", hint="changelog 2.4.1 v2.4.0..v2.4.1")
        version = None
    git = ctx.git
    revisions = resolve(git, ctx.config, version, explicit=explicit,
                        since=ctx.option("since"), until=ctx.option("until"))
    if version is None:
        version = version_of(git, ctx.config, revisions.end)
    output = ctx.option("output")
    if version is None and output is None:
        output = "-"
    if not git.log(str(revisions), "-n", "1"):
        raise PreconditionError(
            f"the range {revisions} has no commits",
            hint="check the order (older..newer) and that the end is the branch you release from",
        )
    return ChangelogRequest(version, revisions, output)


def select_pulls(ctx: Context, request: ChangelogRequest, pulls: list[PullRef]) -> list[PullRef]:
    """The range's pull requests without the release PR itself and `--exclude`d numbers."""
    excluded = set(ctx.option("exclude", []))
    if request.version is not None:
        prefixes = tuple(request.version.format(p, project=ctx.config.project)
                         for p in ctx.config.changelog_exclude_titles)
        pulls = [p for p in pulls if not p.title.startswith(prefixes)]
    pulls = [p for p in pulls if p.number not in excluded]
    if ctx.option("backports"):
        pulls = map_backports(pulls, earlier_in_series(ctx, request))
    return pulls


def earlier_in_series(ctx: Context, request: ChangelogRequest) -> set[int]:
    """Pull requests credited by earlier releases of the series (for `--backports`)."""
    version = request.version
    if version is None or not version.is_patch:
        return set()
    first = ReleaseVersion.parse(f"{version.base.rsplit('.', 1)[0]}.0")
    series_start = infer_start(ctx.git, ctx.config, first)
    return credited_numbers(pulls_in_range(ctx.git, series_start, request.range.start))


def pull_titles(ctx: Context, pulls: list[PullRef]) -> list[tuple[int, str]]:
    """Numbered titles: git's with `--offline`, else GitHub's current ones (batched, cached);
    a number GitHub does not know as a pull request is left out, with a note."""
    if ctx.option("offline"):
        return [(pull.number, pull.title) for pull in pulls]
    found = ctx.github().pull_requests([pull.number for pull in pulls],
                                       refresh=bool(ctx.option("refresh")))
    for pull in pulls:
        if pull.number not in found:
            ctx.say(f"left out #{pull.number} ({pull.title!r}): GitHub has no pull request "
                    f"#{pull.number} in {ctx.config.github_repo}")
    return [(pull.number, found[pull.number].title) for pull in pulls if pull.number in found]


def render(ctx: Context, people: ContributorSummary, titles: list[tuple[int, str]]) -> str:
    lines = pull_request_lines(titles, ctx.config.github_repo, ctx.config.changelog_code_separator)
    return render_changelog(people.contributors, lines)


def build_plan(ctx: Context, request: ChangelogRequest, text: str) -> Plan:
    root, relpath = _destination(ctx, request)
    plan = Plan(f"changelog for {request.range} -> {relpath}")
    action = WriteFile(root, relpath, text)
    plan.add(action)

    def check() -> None:
        if action.path.read_text(encoding="utf-8") != text:
            raise VerificationError(f"{relpath} does not hold the generated changelog",
                                    hint="another process may have written it; rerun")

    plan.verify(f"{relpath} holds the changelog ({len(text.splitlines())} lines)", check)
    return plan


def _destination(ctx: Context, request: ChangelogRequest) -> tuple[Path, str]:
    if request.output is not None:
        base = Path(ctx.env.get("RELEASE_INVOKED_FROM") or os.getcwd())
        path = (base / request.output).resolve()
        return path.parent, path.name
    assert request.version is not None
    return ctx.repo, ctx.path(ctx.config.changelog, request.version)


def _mailmap_blob(ctx: Context) -> str | None:
    ref = ctx.option("mailmap_from")
    if not ref:
        return None
    blob = f"{ref}:{ctx.config.mailmap}"
    if not ctx.git.ok(["cat-file", "-e", blob]):
        raise PreconditionError(f"{ctx.config.mailmap} does not exist at {ref}",
                                hint="give a commit or tag that has the project's .mailmap")
    return blob
