"""The rehearsal: run the walkthrough's steps, in order, against a scratch example project.

The runner only runs stages and tells its observers; how progress is shown (plain lines, a live
display), what is written down (the report) and what a rerun may skip are the observers' and the
`resume` callback's business.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from release.context import Command
from release.errors import ReleaseError


@dataclass(frozen=True)
class Stage:
    """One command of the rehearsal and the exit code it must give."""

    title: str
    argv: tuple[str, ...] = ()
    expect: int = 0
    action: Callable[[], str] | None = None
    advisory: bool = False  # a finding to report; the stages after it still make sense


@dataclass(frozen=True)
class Tally:
    """What one stage asked of GitHub: REST requests, GraphQL requests and GraphQL points."""

    rest: int = 0
    graphql: int = 0
    points: int = 0

    @property
    def requests(self) -> int:
        return self.rest + self.graphql

    def __sub__(self, other: Tally) -> Tally:
        return Tally(self.rest - other.rest, self.graphql - other.graphql, self.points - other.points)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.rest + other.rest, self.graphql + other.graphql, self.points + other.points)


@dataclass
class Outcome:
    stage: Stage
    code: int
    output: str
    seconds: float = 0.0
    github: Tally = field(default_factory=Tally)
    resumed: bool = False  # found done by an earlier, interrupted run; not run again

    @property
    def ok(self) -> bool:
        return self.code == self.stage.expect

    @property
    def command(self) -> str:
        return "python -m release " + " ".join(self.stage.argv) if self.stage.argv else ""


class Observer(Protocol):
    """Told about every stage as it starts and as it ends."""

    def started(self, number: int, total: int, stage: Stage) -> None: ...

    def finished(self, number: int, total: int, outcome: Outcome) -> None: ...


@dataclass
class PlainLines:
    """Progress as plain lines with each stage's whole output (CI logs, pipes)."""

    log: TextIO

    def started(self, number: int, total: int, stage: Stage) -> None:
        print(f"\n== [{number}/{total}] {stage.title}", file=self.log)
        if stage.argv:
            print("   $ python -m release " + " ".join(stage.argv), file=self.log)

    def finished(self, number: int, total: int, outcome: Outcome) -> None:
        if outcome.resumed:
            print("   done in an earlier run; not run again", file=self.log)
            return
        print("   " + outcome.output.rstrip().replace("\n", "\n   "), file=self.log)
        if not outcome.ok:
            going = "going on" if outcome.stage.advisory else "stopping"
            print(f"   !! exit {outcome.code}, expected {outcome.stage.expect}; {going}",
                  file=self.log)


def no_resume(number: int, stage: Stage) -> Outcome | None:
    return None


@dataclass
class Rehearsal:
    common: tuple[str, ...]
    env: Mapping[str, str]
    log: TextIO
    command: Command  # the command line the stages are run through
    outcomes: list[Outcome] = field(default_factory=list)
    observers: list[Observer] = field(default_factory=list)
    github_tally: Callable[[], Tally] = Tally
    resume: Callable[[int, Stage], Outcome | None] = no_resume

    def __post_init__(self) -> None:
        if not self.observers:
            self.observers.append(PlainLines(self.log))

    def run(self, stages: Sequence[Stage]) -> bool:
        total = len(stages)
        for number, stage in enumerate(stages, 1):
            for observer in self.observers:
                observer.started(number, total, stage)
            outcome = self.resume(number, stage) or self._run_one(stage)
            self.outcomes.append(outcome)
            for observer in self.observers:
                observer.finished(number, total, outcome)
            if not outcome.ok and not stage.advisory:
                return False
        return all(outcome.ok for outcome in self.outcomes)

    def _run_one(self, stage: Stage) -> Outcome:
        before, started = self.github_tally(), time.perf_counter()
        if stage.action is not None:
            try:
                output, code = stage.action(), 0
            except ReleaseError as exc:
                output, code = f"error: {exc.message}\nhint: {exc.hint}", exc.exit_code
        else:
            buffer = io.StringIO()
            code = self.command([*stage.argv, *self.common], env=self.env, out=buffer, err=buffer)
            output = buffer.getvalue()
        seconds = time.perf_counter() - started
        return Outcome(stage, code, output, seconds, self.github_tally() - before)

    def summary(self) -> str:
        lines = ["", "Rehearsal summary:"]
        for outcome in self.outcomes:
            mark = "ok  " if outcome.ok else "warn" if outcome.stage.advisory else "FAIL"
            lines.append(f"  {mark} exit {outcome.code}  {outcome.stage.title}")
        if self.findings:
            lines += ["", "Findings to look at before the real release:"]
            lines += [f"  - {outcome.stage.title}: {first_problem(outcome.output)}"
                      for outcome in self.findings]
        return "\n".join(lines)

    @property
    def findings(self) -> list[Outcome]:
        """Advisory stages that failed: the rehearsal went on past them."""
        return [outcome for outcome in self.outcomes if not outcome.ok and outcome.stage.advisory]

    def passed(self, planned: int, *, strict: bool = False) -> bool:
        """Every planned stage ran and none failed but advisory ones (with `strict`, none at all)."""
        failed = [outcome for outcome in self.outcomes if not outcome.ok and not outcome.stage.advisory]
        return len(self.outcomes) == planned and not failed and not (strict and self.findings)


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
