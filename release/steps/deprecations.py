"""Deprecations due: every deprecation the code marks (NumPy's `DEPRECATE(`, `DeprecationWarning`,
`/* Deprecated 2024-01-17, NumPy 2.0 */`, `(Deprecated NumPy 2.5)`) with its file, line, version and
date; those at least two releases old are due for review under NEP 23, and those added in this
release's range that name no version are flagged. Read-only: whether to expire one is a decision."""

from __future__ import annotations

import argparse
import io
from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from release.assistants.deprecations import Deprecation, added_lines, cluster, grep
from release.context import Context
from release.errors import PreconditionError, UsageError
from release.repo.revision_range import resolve
from release.steps import Step
from release.steps.common import add_version

STEP = Step(name="deprecations", order=28, journaled=False, read_only=True,
            summary="List the deprecations in the code; those due under NEP 23 first",
            status=None, resume=None)


@dataclass(frozen=True)
class DeprecationsOptions:
    """The options argparse parsed for this step."""

    due: bool
    ref: str | None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    parser.add_argument("--ref", metavar="REV", help="read the code at this revision (default: the "
                                                     "work tree's tracked files)")
    parser.add_argument("--due", action="store_true", help="list only what is due or unversioned")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; check a release",
                         hint=f"nox -s deprecations -- {version.base}")
    rev = ctx.typed(DeprecationsOptions).ref
    if rev and not ctx.git.has_ref(rev):
        raise UsageError(f"--ref {rev!r} is not a revision of {ctx.repo}", hint="e.g. --ref v2.5.2")
    found = cluster(grep(ctx.git, rev))
    new = _added(ctx, version, rev)
    release = (version.major, version.minor)
    rows = [(d, _status(d, release, new)) for d in found]
    rows.sort(key=lambda row: (_ORDER[row[1]], row[0].path, row[0].line))
    if ctx.typed(DeprecationsOptions).due:
        rows = [row for row in rows if row[1] in ("due for review", "new, no version named")]
    _print(ctx, rows, version.series, rev)
    due = sum(status == "due for review" for _, status in rows)
    unnamed = sum(status == "new, no version named" for _, status in rows)
    ctx.say(f"{len(found)} deprecations; {due} due for review under NEP 23 (made in "
            f"{version.major}.{version.minor - 2} or before); {unnamed} added in this release's range "
            "without a version")
    return 0


_ORDER = {"due for review": 0, "new, no version named": 1, "no version named": 2, "kept": 3}


def _status(item: Deprecation, release: tuple[int, int], new: dict[str, set[int]] | None) -> str:
    if item.version is not None:
        return "due for review" if item.due(release) else "kept"
    if new is not None and item.line in new.get(item.path, set()):
        return "new, no version named"
    return "no version named"


def _added(ctx: Context, version: object, rev: str | None) -> dict[str, set[int]] | None:
    """Lines the release's range added (None when the range cannot be told)."""
    from release.version import ReleaseVersion

    assert isinstance(version, ReleaseVersion)
    try:
        span = resolve(ctx.git, ctx.config, version, until=rev or "HEAD")
    except PreconditionError as exc:
        ctx.say(f"note: not told which deprecations are new: {exc.message}")
        return None
    return added_lines(ctx.git, span.start, span.end)


def _print(ctx: Context, rows: list[tuple[Deprecation, str]], series: str, rev: str | None) -> None:
    grid = Table(title=f"Deprecations in {rev or 'the work tree'} for {ctx.config.project} {series}",
                 title_justify="left")
    for column in ("where", "kind", "version", "date", "status", "text"):
        grid.add_column(column, overflow="fold")
    for item, status in rows:
        grid.add_row(f"{item.path}:{item.line}", item.kind, item.version_text, item.date, status,
                     escape(item.text))
    console = Console(width=200, record=True, force_terminal=False, color_system=None, file=io.StringIO())
    console.print(grid)
    ctx.out.write("\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n")
