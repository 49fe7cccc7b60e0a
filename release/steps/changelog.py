"""Write the changelog: contributors and merged pull requests, byte-compatible with NumPy's tool.

Git alone finds who contributed and which pull requests were merged; GitHub (one batched, cached
query per 100 pull requests) supplies the current titles unless `--offline`. Under
`credits = "authors"` (SciPy) it prints the Authors section SciPy's `tools/authors.py` prints
instead; those go into the notes, so there is no file of its own.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from release.changelog import explain
from release.changelog.authors import authors
from release.changelog.compute import Selection, changelog_range, compute
from release.changelog.milestone import render_lists
from release.context import Context
from release.errors import PreconditionError, UsageError, VerificationError
from release.plan import Plan, WriteFile
from release.repo.revision_range import RevisionRange, version_of
from release.services.github_milestones import milestone_lists
from release.steps import Step
from release.version import ReleaseVersion

if TYPE_CHECKING:
    from release.services.github import GitHubService

STEP = Step(name="changelog", order=40, journaled=False, read_only=False,
            summary="Write the changelog (contributors, pull requests)",
            status=None, resume=None)


@dataclass(frozen=True)
class ChangelogOptions:
    target: str
    range: str | None
    since: str | None
    until: str | None
    output: str | None
    offline: bool
    refresh: bool
    backports: bool
    mailmap_from: str | None
    exclude: Sequence[int]
    include: Sequence[int]
    explain: bool
    all_credits: bool


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
    parser.add_argument("--include", metavar="N", type=int, action="append", default=[],
                        help="list pull request N even if a rule leaves it out (the release's own "
                             "PR, one merged outside the range); repeatable")
    parser.add_argument("--all-credits", action="store_true",
                        help="credits = \"authors\": list every name credited, those "
                             "credits_not_people leaves out too (what SciPy's tools/authors.py "
                             "prints)")
    parser.add_argument("--explain", action="store_true",
                        help="write nothing; say which commit and rule lists or leaves out each "
                             "pull request where NumPy's tools/changelog.py would differ")


@dataclass(frozen=True)
class ChangelogRequest:
    """What to generate: the version (None for a bare range), the range and where it goes."""

    version: ReleaseVersion | None
    range: RevisionRange
    output: str | None  # None: the configured file; "-": stdout; else a path


def run(ctx: Context) -> int:
    chosen = selection(ctx)
    request = read_request(ctx)
    if ctx.config.credits == "authors":
        return run_authors(ctx, request)
    if ctx.typed(ChangelogOptions).all_credits:
        raise UsageError("--all-credits is for the Authors section (credits = \"authors\"); the "
                         "changelog leaves no credit out as not a person",
                         hint="drop --all-credits")
    ctx.say(f"changelog for {request.range}")
    result = compute(ctx.git, ctx.config, request.range, request.version, github=titles_from(ctx),
                     say=ctx.say, selection=chosen, refresh=ctx.typed(ChangelogOptions).refresh,
                     mailmap_blob=_mailmap_blob(ctx))
    people = result.people
    ctx.say(f"{people.total} contributors ({people.first_time} first-time), "
            f"{len(result.titles)} pull requests")
    if ctx.typed(ChangelogOptions).explain:
        ctx.out.write(explain.report(result.decisions, str(request.range), len(result.titles)))
        return 0
    if request.output == "-":
        ctx.out.write(result.text)
        return 0
    ctx.execute(build_plan(ctx, request, result.text))
    return 0


def titles_from(ctx: Context) -> Callable[[], GitHubService] | None:
    """Where pull-request titles come from: None (git's) with `--offline`, else GitHub."""
    return None if ctx.typed(ChangelogOptions).offline else ctx.github


def selection(ctx: Context) -> Selection:
    opts = ctx.typed(ChangelogOptions)
    return Selection(frozenset(opts.exclude), opts.backports, frozenset(opts.include))


def run_authors(ctx: Context, request: ChangelogRequest) -> int:
    """SciPy's Authors section, then (unless `--offline`) the milestone's issue and pull-request
    lists, on stdout (or into `--output`); the Authors reminder on stderr."""
    ctx.say(f"authors for {request.range}")
    opts = ctx.typed(ChangelogOptions)
    left_out = () if opts.all_credits else ctx.config.credits_not_people
    people = authors(ctx.git, request.range.start, request.range.end, _mailmap_text(ctx), left_out)
    text = ctx.render("authors.rst.j2", authors=people)
    if not ctx.typed(ChangelogOptions).offline:
        if request.version is None:
            raise UsageError("the issue and pull-request lists come from the release's milestone",
                             hint="give the version first, or pass --offline for the Authors only")
        lists = milestone_lists(ctx.github(), request.version.base)
        ctx.say(f"milestone {lists.title}: {len(lists.issues)} issues closed, "
                f"{len(lists.pulls)} pull requests")
        text += render_lists(lists, ctx.config.github_repo, ctx.render)
    if request.output in (None, "-"):
        ctx.out.write(text)
    else:
        ctx.execute(build_plan(ctx, request, text))
    ctx.say(ctx.render("authors-reminder.txt.j2").rstrip("\n"))
    return 0


def _mailmap_text(ctx: Context) -> str:
    """The `.mailmap` SciPy's tool reads: the work tree's, or `--mailmap-from REF`'s."""
    ref = ctx.typed(ChangelogOptions).mailmap_from
    if ref:
        blob = _mailmap_blob(ctx)
        assert blob is not None
        return ctx.git.run(["show", blob])
    path = ctx.repo / ctx.config.mailmap
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def read_request(ctx: Context) -> ChangelogRequest:
    opts = ctx.typed(ChangelogOptions)
    target, second = opts.target, opts.range
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
    revisions = changelog_range(ctx.git, ctx.config, version, explicit=explicit,
                                since=opts.since, until=opts.until)
    if version is None:
        version = version_of(ctx.git, ctx.config, revisions.end)
    output = opts.output
    if version is None and output is None:
        output = "-"
    return ChangelogRequest(version, revisions, output)


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
    ref = ctx.typed(ChangelogOptions).mailmap_from
    if not ref:
        return None
    blob = f"{ref}:{ctx.config.mailmap}"
    if not ctx.git.ok(["cat-file", "-e", blob]):
        raise PreconditionError(f"{ctx.config.mailmap} does not exist at {ref}",
                                hint="give a commit or tag that has the project's .mailmap")
    return blob
