"""The rehearsal's verdict: green (nothing to look at), amber (findings), red (a stage failed).

A finding is something a stage found wrong and went on past: a warning inside a stage that
passed, or an advisory stage that failed. Each says what is wrong and the fix, and where known
the file and line, as values, so the report, the terminal and a CI job summary all read the same
data instead of scraping each other's text. `--strict` turns amber into red.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from release.checks.result import CheckResult, Status
from release.rehearsal.runner import Outcome, Stage

# A finding's line number names the state it was found in; the same problem found again after
# lines were added above it is the same finding.
_LINE_REF = re.compile(r"\bline \d+")


class Level(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


# The exit code of `rehearse` for each verdict: amber passes (the findings are in the report and
# on the terminal) unless --strict makes it red.
EXIT_CODES = {Level.GREEN: 0, Level.AMBER: 0, Level.RED: 1}
INTERRUPTED_EXIT = 130


@dataclass(frozen=True)
class Finding:
    """One problem to look at before the real release."""

    kind: str  # what kind of problem: `mailmap/malformed`, `versions/...`, `notes/error`
    what: str  # what is wrong, one line
    fix: str  # what to do about it, one line
    stage: int  # the first stage that found it
    stage_title: str
    file: str = ""  # relative to the repository
    line: int | None = None
    error: bool = False  # a failed check, rather than a warning
    also: tuple[int, ...] = ()  # later stages that found the same

    @property
    def where(self) -> str:
        if not self.file:
            return ""
        return f"{self.file} line {self.line}" if self.line else self.file

    @property
    def text(self) -> str:
        """The finding on one line: what is wrong, then the fix."""
        return f"{self.what} (fix: {self.fix})" if self.fix else self.what

    @property
    def stages(self) -> tuple[int, ...]:
        return (self.stage, *self.also)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "what": self.what, "fix": self.fix, "file": self.file or None,
                "line": self.line, "severity": "error" if self.error else "warning",
                "stage": self.stage, "stage_title": self.stage_title, "stages": list(self.stages)}


@dataclass(frozen=True)
class Failure:
    """The stage that stopped the rehearsal, with its error line and hint."""

    stage: int
    stage_title: str
    code: int
    expected: int
    error: str
    hint: str
    command: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "stage_title": self.stage_title, "exit_code": self.code,
                "expected": self.expected, "error": self.error, "hint": self.hint,
                "command": self.command or None}


@dataclass(frozen=True)
class Verdict:
    level: Level
    findings: tuple[Finding, ...]
    failure: Failure | None
    planned: int
    ran: int  # stages with an outcome (resumed ones included)
    strict: bool = False
    interrupted: int | None = None  # the stage a Ctrl-C stopped

    @property
    def exit_code(self) -> int:
        return INTERRUPTED_EXIT if self.interrupted is not None else EXIT_CODES[self.level]

    @property
    def reason(self) -> str:
        """Why the verdict is what it is, in one line."""
        count = _plural(len(self.findings), "finding")
        if self.failure is not None:
            return (f"stage {self.failure.stage} failed ({self.failure.stage_title}): "
                    f"{self.failure.error}")
        if self.interrupted is not None:
            return f"interrupted at stage {self.interrupted} of {self.planned}"
        if self.level is Level.RED:
            return f"--strict and {count} to fix before the real release"
        if self.level is Level.AMBER:
            return f"every stage ran; {count} to look at before the real release"
        return f"every stage ran and nothing was found to look at ({self.planned} stages)"

    @property
    def headline(self) -> str:
        return f"{self.level.value.upper()}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        """The verdict as plain data (the `--json` output and rehearsal-verdict.json)."""
        return {"verdict": self.level.value, "exit_code": self.exit_code, "reason": self.reason,
                "strict": self.strict, "planned": self.planned, "ran": self.ran,
                "interrupted_at": self.interrupted,
                "failure": self.failure.as_dict() if self.failure else None,
                "findings": [finding.as_dict() for finding in self.findings]}


def judge(stages: Sequence[Stage], outcomes: Sequence[Outcome], *, strict: bool = False,
          interrupted: bool = False) -> Verdict:
    """The verdict on a rehearsal of `stages` that got as far as `outcomes`."""
    findings: dict[tuple[str, str, str, int | None], Finding] = {}
    failure = None
    for number, outcome in enumerate(outcomes, 1):
        state = stage_state(outcome)
        if state == "failed":
            failure = _failure(number, outcome)
            break
        if state != "amber":
            continue  # an expected refusal's error was the point
        for found in stage_findings(number, outcome):
            key = (found.kind, _LINE_REF.sub("line", found.what), found.file, None)
            if key in findings:
                first = findings[key]
                findings[key] = Finding(**{**vars(first), "also": (*first.also, number)})
            else:
                findings[key] = found
    stopped = len(outcomes) + 1 if interrupted and failure is None else None
    if failure is not None or stopped is not None or (strict and findings):
        level = Level.RED
    else:
        level = Level.AMBER if findings else Level.GREEN
    if len(outcomes) < len(stages) and failure is None and stopped is None:
        level, stopped = Level.RED, len(outcomes) + 1  # ended early without saying why
    return Verdict(level, tuple(findings.values()), failure, len(stages), len(outcomes), strict,
                   stopped)


def stage_state(outcome: Outcome | None) -> str:
    """ok, refused (as it must), amber (findings), failed, or not-run."""
    if outcome is None:
        return "not-run"
    if not outcome.ok:
        return "amber" if outcome.stage.advisory else "failed"
    if outcome.stage.refusal:
        return "refused"
    return "amber" if any(not result.passed for result in outcome.findings) else "ok"


STATE_LABELS = {"ok": "ok", "refused": "refused as expected", "amber": "amber",
                "failed": "FAILED", "not-run": "not run"}


def stage_findings(number: int, outcome: Outcome) -> list[Finding]:
    """A stage's findings: what it noted as not passing; an advisory stage that failed without
    noting anything gives its output's problem line."""
    title = outcome.stage.title
    found = [_finding(number, title, result) for result in outcome.findings if not result.passed]
    if not found and not outcome.ok:
        found.append(Finding("stage", first_problem(outcome.output), "see the stage's output",
                             number, title, error=True))
    return found


def _finding(number: int, title: str, result: CheckResult) -> Finding:
    kind = f"{result.area}/{result.name}" if result.area else result.name
    return Finding(kind, result.detail, result.fix.replace("\n", " "), number, title, result.file,
                   result.line, result.status is Status.FAIL)


def _failure(number: int, outcome: Outcome) -> Failure:
    stage = outcome.stage
    failed = [result for result in outcome.findings if result.status is Status.FAIL]
    if failed:
        error, hint = failed[0].detail, failed[0].fix
    else:
        error, hint = first_problem(outcome.output), ""
    if stage.refusal and outcome.code == 0:
        error, hint = (f"the step did not refuse (exit 0, expected {stage.expect})",
                       "the step must refuse here; see its output")
    return Failure(number, stage.title, outcome.code, stage.expect, error.splitlines()[0][:300],
                   hint.replace("\n", " "), outcome.command)


def first_problem(output: str) -> str:
    """The line of a stage's output that says what is wrong: an `error` line, a failed row of a
    check table (its cells joined), else the first `warn` line or the last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for number, line in enumerate(lines):
        if line.startswith("error"):
            return line[:200]
        cells = _cells(line)
        if len(cells) > 3 and cells[2] == "fail":
            # A long cell wraps onto the rows below, whose first cells are empty.
            for more in map(_cells, lines[number + 1:]):
                if len(more) != len(cells) or any(more[:3]):
                    break
                cells = [f"{cell} {extra}".strip() for cell, extra in zip(cells, more, strict=True)]
            return ": ".join(cell for cell in cells if cell)[:200]
    warned = [line for line in lines if line.startswith("warn")]
    return (warned or lines or ["(no output)"])[-1 if not warned else 0][:200]


def _cells(line: str) -> list[str]:
    """A table row's cells, empty ones kept (a wrapped row's first cells are empty)."""
    parts = line.strip().split("│")
    return [cell.strip() for cell in parts[1:-1]] if len(parts) > 2 else [line.strip()]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
