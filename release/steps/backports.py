"""Backport candidates for a maintenance release: pull requests merged into main since the branch
was made, carrying the backport label or the release's milestone, not on the branch yet; each with
its title, author, merge commit, whether it cherry-picks cleanly and the command to pick it.
Read-only: the user's work tree, index and refs stay as they are."""

from __future__ import annotations

import argparse
import io
from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from release.assistants.backports import Survey, survey
from release.context import Context
from release.errors import PreconditionError, UsageError
from release.services.github_triage import PullTriage, pull_triage
from release.steps import Step
from release.steps.common import add_version

STEP = Step(name="backports", order=22, journaled=False, read_only=True,
            summary="List the pull requests to backport, each tried as a cherry-pick",
            status=None, resume=None)


@dataclass(frozen=True)
class BackportsOptions:
    """The options argparse parsed for this step."""

    branch: str | None
    label: str | None
    main: str | None
    milestone: str | None
    refresh: bool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    parser.add_argument("--label", help="the backport label (default: [tool.release] backport_label)")
    parser.add_argument("--milestone", help="the release's milestone (default: [tool.release] "
                                            "milestone_format for the version)")
    parser.add_argument("--main", metavar="REF", help="main as it is upstream (default: UPSTREAM/main)")
    parser.add_argument("--branch", metavar="REF",
                        help="the maintenance branch (default: UPSTREAM/maintenance/X.Y.x)")
    parser.add_argument("--refresh", action="store_true",
                        help="ask GitHub again for labels and milestones cached within the day")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; backports go into a release",
                         hint=f"nox -s backports -- {version.next_patch()}")
    cfg = ctx.config
    maintenance = version.maintenance_branch(cfg.maintenance_branch)
    main = _ref(ctx, ctx.typed(BackportsOptions).main, cfg.main_branch)
    branch = _ref(ctx, ctx.typed(BackportsOptions).branch, maintenance)
    label = ctx.typed(BackportsOptions).label or cfg.backport_label
    milestone = ctx.typed(BackportsOptions).milestone or ctx.path(cfg.milestone_format, version)
    service = ctx.github()

    def triage(numbers: list[int]) -> dict[int, PullTriage]:
        return pull_triage(service, numbers, refresh=bool(ctx.typed(BackportsOptions).refresh))

    found = survey(ctx.git, main, branch, triage, label, milestone)
    report(ctx, found, branch, label, milestone, maintenance)
    return 0


def _ref(ctx: Context, given: str | None, name: str) -> str:
    """A given ref as it is; else the upstream remote's branch, else the local one."""
    candidates = [given] if given else [f"{ctx.config.upstream_remote}/{name}", name]
    for ref in candidates:
        if ref and ctx.git.has_ref(ref):
            return ref
    raise PreconditionError(f"{candidates[0]} is not in {ctx.repo}",
                            hint=f"git fetch {ctx.config.upstream_remote}, or pass --main/--branch")


def report(ctx: Context, found: Survey, branch: str, label: str, milestone: str, maintenance: str) -> None:
    out = ctx.out
    clean = sum(c.pick.clean for c in found.candidates)
    print(f"{len(found.merged)} pull requests merged into main since {found.base[:12]} (the fork "
          f"point of {branch}); {branch} carries {len(found.carried)} originals", file=out)
    print(f"originals on {branch}: " + (" ".join(f"#{n}" for n in sorted(found.carried)) or "none"),
          file=out)
    if found.marked_on_branch:
        print(f"marked ({label!r} or milestone {milestone!r}) and already on {branch}: "
              + " ".join(f"#{n}" for n in found.marked_on_branch), file=out)
    grid = Table(title=f"Backport candidates for {maintenance}: {len(found.candidates)} "
                       f"({clean} clean, {len(found.candidates) - clean} conflicting)",
                 title_justify="left")
    for column in ("PR", "title", "author", "commit", "why", "cherry-pick", "command"):
        grid.add_column(column, overflow="fold")
    remote = ctx.config.upstream_remote
    for item in found.candidates:
        pick = "clean" if item.pick.clean else "conflicts: " + ", ".join(item.pick.conflicts)
        grid.add_row(f"#{item.number}", escape(item.title), item.author or "", item.commit[:12],
                     escape(item.why), pick, escape(item.command(maintenance, remote)))
    console = Console(width=200, record=True, force_terminal=False, color_system=None, file=io.StringIO())
    console.print(grid)
    out.write("\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n")
