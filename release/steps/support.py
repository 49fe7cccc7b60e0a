"""The Python versions a release must and may support on its date, under NEP 29 or SPEC 0, and
whether `requires-python`, the classifiers and the wheel matrix agree. Read-only."""

from __future__ import annotations

import argparse
import datetime
import re
from dataclasses import dataclass, replace

from rich.markup import escape

from release.checks.result import CheckResult, Status, failed, table, worst
from release.context import Context
from release.errors import ConfigError, PreconditionError, UsageError
from release.steps import Step
from release.steps.common import add_json_option, add_version, write_json
from release.support.checks import (
    Declared,
    classifier_results,
    patch_results,
    read_declared,
    requires_python_results,
    wheel_results,
)
from release.support.policy import (
    POLICIES,
    Policy,
    PythonWindow,
    Series,
    SeriesWindow,
    python_window,
    series_window,
)
from release.support.python_releases import PythonRelease, python_releases
from release.version import ReleaseVersion, versions_from_tags
from release.wheels.matrix import matrix_for

STEP = Step(name="support", order=20, journaled=False, read_only=True,
            summary="Check the Python versions a release supports (NEP 29 or SPEC 0)",
            status=None, resume=None)


@dataclass(frozen=True)
class SupportOptions:
    """The options argparse parsed for this step."""

    date: str | None
    json: bool
    policy: str | None
    ref: str | None


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    add_json_option(parser, "the window, what is declared and every check")
    parser.add_argument("--date", metavar="YYYY-MM-DD",
                        help="the release date (default: today, UTC)")
    parser.add_argument("--policy", metavar="POLICY",
                        help=f"the support policy: {' or '.join(POLICIES)} "
                             "(default: [tool.release.support] policy, NumPy's is nep29)")
    parser.add_argument("--ref", metavar="REV",
                        help="read the pyproject.toml of this revision, e.g. a release tag "
                             "(default: the working tree)")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; check a release",
                         hint=f"nox -s support -- {version.base}")
    policy = _policy(ctx)
    day = _day(ctx.typed(SupportOptions).date)
    _covered(policy, day)
    declared = _declared(ctx, version, ctx.typed(SupportOptions).ref)
    window = python_window(policy, day)
    results = requires_python_results(declared, window)
    results += classifier_results(declared, window)
    results += wheel_results(declared, window)
    if version.is_patch:
        results += _patch(ctx, version, declared)
    if ctx.typed(SupportOptions).json:
        write_json(ctx, "support", {
            "project": ctx.config.project, "release": str(version), "policy": policy.name,
            "day": day.isoformat(),
            "python": {"must": [r.version for r in window.required],
                       "may": [r.version for r in (*window.kept_longer, *window.upcoming)],
                       "past_end_of_life": [r.version for r in window.past_end_of_life]},
            "declared": {"where": declared.where, "summary": declared.describe()},
            "worst": worst(results).value, "exit_code": 1 if failed(results) else 0,
            "checks": [r.as_dict() for r in results]})
        return 1 if failed(results) else 0
    _report(ctx, version, declared, window, series_window(policy, day, _series(ctx)), results)
    ctx.note(*results)
    mismatches = sum(r.status is Status.FAIL for r in results)
    ctx.say(f"{mismatches} mismatch{'es' if mismatches != 1 else ''} with {policy.name}"
            if mismatches else f"consistent with {policy.name}")
    return 1 if failed(results) else 0


def _report(ctx: Context, version: ReleaseVersion, declared: Declared, window: PythonWindow,
            series: SeriesWindow, results: list[CheckResult]) -> None:
    """The window, what the project declares, the table, then one line per mismatch."""
    out, project, policy, day = ctx.out, ctx.config.project, window.policy, window.day
    print(f"{project} {version} released {day}, {policy.name}: Python kept "
          f"{policy.python_span}{_at_least(policy.python_at_least)}, {project} series kept "
          f"{policy.series_span}{_at_least(policy.series_at_least)}", file=out)
    for line in window_lines(window):
        print(line, file=out)
    print(series_line(project, series), file=out)
    print(f"declared ({declared.where}): {declared.describe()}", file=out)
    shown = [replace(r, detail=escape(r.detail), fix=escape(r.fix)) for r in results]
    out.write(table(shown, f"Python support of {project} {version} on {day} "
                           f"({policy.name}): {worst(results).value}"))
    for result in results:
        if result.status is Status.FAIL:
            print(f"mismatch: {result.detail} (rule: {result.name})", file=out)
        elif result.status is Status.WARN:
            print(f"warning: {result.detail} ({result.name})", file=out)


def _at_least(count: int) -> str:
    return f" (at least {count})" if count else ""


def _policy(ctx: Context) -> Policy:
    given = ctx.typed(SupportOptions).policy
    key = str(given if given is not None else ctx.config.support.policy).strip().lower()
    if key in POLICIES:
        return POLICIES[key]
    hint = f"use {' or '.join(POLICIES)}"
    if given is not None:
        raise UsageError(f"--policy {given!r} is not a known support policy", hint=hint)
    raise ConfigError(f"[tool.release.support] policy {key!r} is not a known support policy",
                      hint=hint)


def _covered(policy: Policy, day: datetime.date) -> None:
    """Before the first known Python's own drop date, an older Python (not in the table) may
    still be required: refuse rather than give a window with a hole in it."""
    first = python_releases()[0]
    since = policy.python_drop(first)
    if day < since:
        raise UsageError(f"--date {day} is before {since}: {policy.name} may still require a Python "
                         f"older than {first.version}, the first in the shipped table",
                         hint=f"give a date from {since} on")


def _day(text: str | None) -> datetime.date:
    if text is None:
        return datetime.datetime.now(datetime.UTC).date()
    try:
        if not _DATE_RE.match(text.strip()):
            raise ValueError(text)
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date",
                         hint="write the release date as YYYY-MM-DD, e.g. 2026-06-21") from None


def _pyproject_text(ctx: Context, rev: str | None) -> tuple[str, str]:
    path = ctx.config.pyproject
    if rev is None:
        file = ctx.repo / path
        if not file.is_file():
            raise PreconditionError(f"{file} does not exist",
                                    hint="set [tool.release] pyproject or pass --repo")
        return file.read_text(encoding="utf-8"), path
    if not ctx.git.has_ref(f"{rev}^{{commit}}"):
        raise PreconditionError(f"--ref {rev!r} is not a revision of {ctx.repo}",
                                hint="give a tag, branch or commit, e.g. --ref v2.5.2")
    text = ctx.git.show_file(rev, path)
    if text is None:
        raise PreconditionError(f"{rev} has no {path}", hint="check --ref and [tool.release] pyproject")
    return text, f"{rev}:{path}"


def _declared(ctx: Context, version: ReleaseVersion, rev: str | None) -> Declared:
    text, where = _pyproject_text(ctx, rev)
    return read_declared(text, where, matrix_for(ctx.config, version))


def _patch(ctx: Context, version: ReleaseVersion, declared: Declared) -> list[CheckResult]:
    cfg = ctx.config
    earlier = [v for v in versions_from_tags(ctx.git.tags(), cfg.tag_format)
               if v.series == version.series and v.is_final and v < version]
    if not earlier:
        return patch_results(declared, None, "")
    tag = max(earlier).tag(cfg.tag_format)
    text = ctx.git.show_file(tag, cfg.pyproject)
    if text is None:
        return patch_results(declared, None, tag)
    return patch_results(declared, read_declared(text, f"{tag}:{cfg.pyproject}", None), tag)


def _series(ctx: Context) -> list[Series]:
    """Each feature series with the UTC day its X.Y.0 tag was made."""
    fmt = ctx.config.tag_format
    times = ctx.git.tag_times()
    found = []
    for version in versions_from_tags(times, fmt):
        if version.is_final and version.micro == 0:
            stamp = times[version.tag(fmt)]
            day = datetime.datetime.fromtimestamp(stamp, datetime.UTC).date()
            found.append(Series(version.series, day))
    return found


def _python_list(releases: tuple[PythonRelease, ...], note: str = "") -> str:
    return ", ".join(r.version + (f" ({note.format(r=r, eol=r.end_of_life_text())})" if note else "")
                     for r in releases) or "none"


def window_lines(window: PythonWindow) -> list[str]:
    policy = window.policy
    lines = [f"must support Python:  {_python_list(window.required, '{r.released}')}"]
    may = [f"{r.version} (past {policy.name}'s date {policy.python_drop(r)}, end of life "
           f"{r.end_of_life_text()})" for r in window.kept_longer]
    may += [f"{r.version} (next Python, {r.released_text()}: its classifier and rc wheels may ship)"
            for r in window.upcoming]
    lines.append(f"may support Python:   {', '.join(may) or 'none'}")
    lines.append("past end of life:     "
                 + _python_list(window.past_end_of_life, "{eol}"))
    return lines


def series_line(project: str, window: SeriesWindow) -> str:
    policy = window.policy
    if window.droppable:
        dropped = window.droppable[-1]
        text = (f"downstream may drop:  {project} {dropped.name} and older "
                f"(released {dropped.released}, + {policy.series_span})")
    else:
        text = f"downstream may drop:  no {project} series yet"
    upcoming = window.next_drop()
    if upcoming is not None:
        text += f"; {upcoming[0].name} from {upcoming[1]}"
    return text
