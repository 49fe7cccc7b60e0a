"""Check a downstream project's NumPy requirements against the downstream guide, and marker pin
sets against a platform matrix. Read-only: exit 1 with findings, 0 when clean."""

from __future__ import annotations

import argparse
import datetime
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table
from rich.text import Text

from release.config import PinsConfig, load_config
from release.context import Context
from release.downstream.marker_pins import check_pin_set, read_pin_set
from release.downstream.platform_configs import Matrix, build_matrix
from release.downstream.project import read_project
from release.downstream.rules import Finding, check_project, pin_set_findings
from release.errors import UsageError
from release.output import invocation
from release.steps import Step

STEP = Step(name="pins", order=190, journaled=False, read_only=True,
            summary="Check a downstream project's NumPy pins against the guide",
            status=None, resume=None)


@dataclass(frozen=True)
class PinsOptions:
    """The options argparse parsed for this step."""

    config: Path | None
    date: str | None
    path: Path | None
    pin_set: Path | None
    python: list[str]
    platform: list[str]
    implementation: list[str]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", type=Path,
                        help="a downstream project's pyproject.toml, or its directory")
    parser.add_argument("--pin-set", type=Path, metavar="FILE",
                        help="check that exactly one pin of FILE applies on every platform "
                             "configuration (requirement lines, a setup.cfg's install_requires, "
                             "or a pyproject.toml's build requires)")
    parser.add_argument("--date", metavar="YYYY-MM-DD",
                        help="judge support windows and the current NumPy on this day "
                             "(default: today, UTC)")
    parser.add_argument("--python", action="append", default=[], metavar="X.Y[,X.Y]",
                        help="Python versions of the matrix (default: [tool.release.pins] python, "
                             "else the series not at end of life)")
    parser.add_argument("--platform", action="append", default=[], metavar="SYSTEM-MACHINE",
                        help="platforms of the matrix, e.g. Linux-aarch64 (default: "
                             "[tool.release.pins] platforms, else the NEP 57 wheel tiers')")
    parser.add_argument("--implementation", action="append", default=[], metavar="NAME",
                        help="CPython and/or PyPy (default: [tool.release.pins], else CPython)")


def run(ctx: Context) -> int:
    path, pin_set = ctx.typed(PinsOptions).path, ctx.typed(PinsOptions).pin_set
    if path is None and pin_set is None:
        raise UsageError("nothing to check", hint="pass a pyproject.toml (or its directory) "
                                                  "and/or --pin-set FILE")
    day = parse_day(ctx.typed(PinsOptions).date)
    # Read every input before saying anything, so bad input is one error and nothing else.
    project = read_project(path) if path is not None else None
    lines = read_pin_set(pin_set) if pin_set is not None else None
    findings: list[Finding] = []
    notes, checked = [], []
    if project is not None:
        matrix = matrix_for(ctx, day, _project_pins(ctx, project.pyproject))
        findings += check_project(project, day, matrix)
        if project.dynamic_dependencies:
            notes.append(f"{project.pyproject}: dependencies are dynamic; the runtime rules read "
                         "only [project.optional-dependencies]")
        checked.append(str(project.pyproject))
    if lines is not None:
        matrix = matrix_for(ctx, day, ctx.config.pins)
        findings += pin_set_findings(check_pin_set(lines, matrix))
        notes.append(f"{pin_set}: {len(lines)} requirement lines against {matrix.describe()}")
        checked.append(str(pin_set))
    for note in notes:
        ctx.say(note)
    if findings:
        ctx.out.write(table(findings, f"{len(findings)} finding{'s' * (len(findings) != 1)} "
                                      f"in {' and '.join(checked)} on {day}"))
        return 1
    print(f"{' and '.join(checked)}: no findings on {day}", file=ctx.out)
    return 0


def parse_day(value: str | None) -> datetime.date:
    if not value:
        return datetime.datetime.now(datetime.UTC).date()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--date {value!r} is not a date", hint="write it as YYYY-MM-DD") from None


def _project_pins(ctx: Context, pyproject: Path) -> PinsConfig:
    """`--config` wins; else the checked project's own `[tool.release.pins]`, if it has one."""
    if ctx.typed(PinsOptions).config:
        return ctx.config.pins
    return load_config(pyproject.parent).config.pins


def matrix_for(ctx: Context, day: datetime.date, pins: PinsConfig) -> Matrix:
    opts = ctx.typed(PinsOptions)
    flags = {name: [v.strip() for value in given for v in value.split(",") if v.strip()]
             for name, given in (("python", opts.python), ("platform", opts.platform),
                                 ("implementation", opts.implementation))}
    given = any(flags.values())
    return build_matrix(
        flags["python"] or pins.python, flags["platform"] or pins.platforms,
        flags["implementation"] or pins.implementations, day=day, tiers=ctx.config.wheels.tiers,
        source="--python/--platform/--implementation" if given else "[tool.release.pins]"
        if pins != PinsConfig() else "the shipped Python and NEP 57 data")


def table(findings: list[Finding], title: str) -> str:
    grid = Table(title=title, title_justify="left")
    for column in ("rule", "where", "finding"):
        grid.add_column(column, overflow="fold")
    for finding in findings:
        grid.add_row(Text(finding.rule), Text(finding.where), Text(finding.line))
    return invocation.render(grid)
