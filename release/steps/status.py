"""Where a release stands: one row per walkthrough step, looked up in the repository, its
remotes, the package index, GitHub and the doc and website repositories. Read only: it changes
nothing, and it exits 0 whenever it could look (it is a report, not a gate)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace

from rich.table import Table

from release.context import Context
from release.errors import ReleaseError, UsageError
from release.journal import journal_path, last_success, read_entries
from release.output import invocation
from release.status import Found, State
from release.status.on_github import OnGitHub
from release.steps import Step, steps
from release.steps.common import (
    COULD_NOT_LOOK,
    NOT_DONE,
    add_json_option,
    add_version,
    write_json,
)
from release.version import ReleaseVersion

_STYLE = {State.DONE: "green", State.NOT_YET: "yellow", State.UNKNOWN: "dim",
          State.SKIPPED: "dim"}


@dataclass(frozen=True)
class Row:
    """One walkthrough step's row: the step's look (see its `Step.status`) and what it found."""

    step: str
    state: State
    detail: str
    next: str = ""


STEP = Step(name="status", summary="Show which steps of a release are done, from the real remotes",
            order=180, journaled=False, read_only=True, status=None, resume=None)


@dataclass(frozen=True)
class StatusOptions:
    """The options argparse parsed for this step."""

    json: bool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    parser.add_argument("--offline", action="store_true",
                        help="look only at the local repository (no remotes, no GitHub)")
    parser.add_argument("--index-url", metavar="URL",
                        help="the package index to look for the release's files (root or simple URL)")
    parser.add_argument("--doc-repo", metavar="PATH",
                        help="a clone of the numpy/doc-shaped repository (default: docs.doc_repo)")
    parser.add_argument("--website-repo", metavar="PATH",
                        help="a clone of the numpy.org-shaped website (default: docs.website_repo)")
    add_json_option(parser, "every step's state")


EXIT_STATUS = ("0  every applicable step is done (skipped ones count)",
               "3  a step is not done yet",
               "4  a place could not be looked at, and no step is known to be not done",
               "2  bad input (a usage error); 1 another error")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; look at a release",
                         hint=f"nox -s status -- {version.base}")
    ctx.git  # noqa: B018 - a path that is not a repository is bad input, reported before looking
    seen = OnGitHub(ctx, version)  # GitHub asked once, for every row
    rows = with_journal(ctx, version, [look(ctx, version, step, seen) for step in looked_at()])
    states = {row.state for row in rows}
    code = NOT_DONE if State.NOT_YET in states else COULD_NOT_LOOK if State.UNKNOWN in states else 0
    if ctx.typed(StatusOptions).json:
        write_json(ctx, "status", {
            "project": ctx.config.project, "release": str(version), "done": code == 0,
            "exit_code": code,
            "steps": [{"step": row.step, "state": str(row.state), "detail": row.detail,
                       "next": row.next} for row in rows]})
    else:
        ctx.out.write(table(rows, f"Status of {ctx.config.project} {version}"))
    return code


def looked_at() -> list[Step]:
    """The steps with a status row, in the table's order."""
    found = [step for step in steps() if step.status is not None]
    return sorted(found, key=lambda step: step.status.order if step.status else 0)


def look(ctx: Context, version: ReleaseVersion, step: Step, seen: OnGitHub | None = None) -> Row:
    """`step`'s row; a place that cannot be looked at (a remote down, a file unreadable) is
    `unknown`."""
    assert step.status is not None
    try:
        found = step.status.find(ctx, version, seen or OnGitHub(ctx, version))
    except ReleaseError as exc:
        found = Found(State.UNKNOWN, f"could not look: {exc.message}", exc.hint or "")
    return Row(step.status.row, found.state, found.detail, found.next)


def with_journal(ctx: Context, version: ReleaseVersion, rows: list[Row]) -> list[Row]:
    """Each row with what the release journal says of its step: when it finished, or that it
    finished but its result is not where it should be."""
    entries = read_entries(journal_path(ctx.git, version))
    by_name = {step.status.row: step.name for step in looked_at()
               if step.status is not None and step.journaled}
    found = []
    for row in rows:
        entry = last_success(entries, by_name[row.step]) if row.step in by_name else None
        if entry is not None and row.state is State.DONE:
            row = replace(row, detail=f"{row.detail}; the journal: `{entry.step}` finished "
                                      f"{entry.ended}")
        elif entry is not None and row.state is State.NOT_YET:
            row = replace(row, detail=f"{row.detail}; the journal says `{entry.step}` finished "
                                      f"{entry.ended}, but its result is not there (interrupted "
                                      "after that, or undone since)")
        elif entry is not None and row.state is State.UNKNOWN:
            row = replace(row, detail=f"{row.detail}; the journal says `{entry.step}` finished "
                                      f"{entry.ended}")
        found.append(row)
    return found


def table(rows: list[Row], title: str) -> str:
    grid = Table(title=title, title_justify="left")
    for column in ("step", "status", "detail", "next"):
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(row.step, f"[{_STYLE[row.state]}]{row.state.value}[/]", row.detail,
                     row.next if row.state is not State.DONE else "")
    return invocation.render(grid)
