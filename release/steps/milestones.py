"""Milestone triage for a release: what is still open on its milestone (open pull requests, open
issues, closed unmerged pull requests) and, with `--move-to X.Y.Z+1`, the open ones moved to the
next milestone: shown by default, done with `--apply`, verified after."""

from __future__ import annotations

import argparse
import io
from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from release.assistants.milestones import GROUPS, Triage, move_plan, triage
from release.context import Context
from release.errors import PreconditionError, UsageError
from release.output import invocation
from release.plan import DryRunExecutor
from release.services.github_triage import MilestoneView, milestone_views, set_milestone
from release.steps import Step
from release.steps.common import add_version
from release.version import ReleaseVersion

STEP = Step(name="milestones", order=24, journaled=True, read_only=False,
            summary="Triage the release's milestone; --move-to and --apply move what is open",
            status=None, resume=None)


@dataclass(frozen=True)
class MilestonesOptions:
    """The options argparse parsed for this step."""

    apply: bool
    move_to: ReleaseVersion | None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    parser.add_argument("--move-to", metavar="VERSION", type=ReleaseVersion.parse,
                        help="the release whose milestone takes the open items, e.g. the next patch")
    parser.add_argument("--apply", action="store_true",
                        help="with --move-to: move them on GitHub (without it they are only shown)")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; milestones are a release's",
                         hint=f"nox -s milestones -- {version.base}")
    title = ctx.path(ctx.config.milestone_format, version)
    after = ReleaseVersion.parse(version.base).next_patch()
    service = ctx.github()
    target_version = ctx.typed(MilestonesOptions).move_to
    target_title = ctx.path(ctx.config.milestone_format, target_version) if target_version else ""
    views = milestone_views(service, (title, target_title) if target_version else (title,))
    view = _found(ctx, title, views)
    found = triage(view)
    _print(ctx, found)
    if not target_version:
        if found.to_move:
            ctx.say("to move them: "
                    + invocation.command("milestones", version, "--move-to", after, "--apply"))
        return 0
    target = _found(ctx, target_title, views)
    if target.number == view.number:
        raise UsageError("--move-to names the same milestone", hint=f"e.g. --move-to {after}")

    def reread() -> tuple[MilestoneView | None, MilestoneView | None]:
        again = milestone_views(service, (view.title, target.title))
        return again[view.title], again[target.title]

    plan = move_plan(found, target, ctx.config.github_repo,
                     lambda number, milestone: set_milestone(service, number, milestone), reread)
    if ctx.typed(MilestonesOptions).apply:
        ctx.execute(plan)
    else:
        DryRunExecutor(ctx.out).execute(plan)
        ctx.say("shown only: --apply moves them")
    return 0


def _found(ctx: Context, title: str, views: dict[str, MilestoneView | None]) -> MilestoneView:
    view = views[title]
    if view is None:
        repo = ctx.config.github_repo
        raise PreconditionError(f"{repo} has no milestone {title!r}",
                                hint=f"create it: gh api repos/{repo}/milestones -f title='{title}'")
    return view


def _print(ctx: Context, found: Triage) -> None:
    view = found.milestone
    grid = Table(title=f"Milestone {view.title!r} ({view.state}): {found.done} done, "
                       f"{len(found.to_move)} open, {len(found.groups[GROUPS[2]])} closed unmerged",
                 title_justify="left")
    for column in ("group", "#", "title", "author"):
        grid.add_column(column, overflow="fold")
    for group in GROUPS:
        for item in found.groups[group]:
            grid.add_row(group, str(item.number), escape(item.title), item.author)
    console = Console(width=160, record=True, force_terminal=False, color_system=None, file=io.StringIO())
    console.print(grid)
    ctx.out.write("\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n")
    repo = ctx.config.github_repo
    for item in found.groups[GROUPS[2]]:
        print(f"closed unmerged #{item.number}: to take it off the milestone: gh api -X PATCH "
              f"repos/{repo}/issues/{item.number} -F milestone=null", file=ctx.out)
