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

from release.checks.result import CheckResult, Status
from release.context import Command
from release.errors import ReleaseError
from release.services.github_usage import GitHubUsage

INTERRUPTED = 130  # the CLI's exit code for a Ctrl-C
REFUSED = 2  # the CLI's exit code for a usage error: a step refusing what it must not do


@dataclass(frozen=True)
class Said:
    """What an action stage returns when it has findings to report beside its output; a
    finding that failed fails the stage."""

    output: str
    findings: tuple[CheckResult, ...] = ()


@dataclass(frozen=True)
class Stage:
    """One command of the rehearsal and the exit code it must give."""

    title: str
    argv: tuple[str, ...] = ()
    expect: int = 0
    action: Callable[[], str | Said] | None = None
    advisory: bool = False  # a finding to report; the stages after it still make sense

    @property
    def refusal(self) -> bool:
        """The step must refuse (a usage error, exit 2): the stage passes when it does."""
        return self.expect == REFUSED


@dataclass(frozen=True)
class Tally:
    """What one stage asked of GitHub: REST requests, GraphQL requests and GraphQL points; the
    REST requests GitHub answered 304 to a conditional request (free against its limit); the
    artifact zips it downloaded (one REST request each)."""

    rest: int = 0
    graphql: int = 0
    points: int = 0
    free: int = 0
    downloads: int = 0

    @property
    def requests(self) -> int:
        return self.rest + self.graphql

    @property
    def counted(self) -> int:
        """REST requests as GitHub's primary limit counts them."""
        return self.rest - self.free

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        return (self.rest, self.graphql, self.points, self.free, self.downloads)

    def __sub__(self, other: Tally) -> Tally:
        return Tally(*(a - b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    @classmethod
    def of(cls, usage: GitHubUsage) -> Tally:
        """What a step counted as it sent its requests, in the same shape."""
        return cls(usage.rest + usage.not_modified, usage.graphql, usage.points, usage.not_modified,
                   usage.downloads)


@dataclass
class Outcome:
    stage: Stage
    code: int
    output: str
    seconds: float = 0.0
    github: Tally = field(default_factory=Tally)  # what the stand-in GitHub answered meanwhile
    resumed: bool = False  # found done by an earlier, interrupted run; not run again
    findings: tuple[CheckResult, ...] = ()  # what the step noted as not passing
    # What the step counted as it sent its requests (a command's stage; None for the rehearsal's
    # own actions): the figures a release manager sees with --verbose.
    sent: GitHubUsage | None = None

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
        elif outcome.stage.refusal:
            print(f"   refused as expected (exit {outcome.code})", file=self.log)


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
        """Run the stages in order until one that is not advisory fails; a Ctrl-C (in a step
        or between them) propagates, leaving the stage it stopped unrecorded, to run again."""
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
        findings: list[CheckResult] = []
        sent: GitHubUsage | None = None
        if stage.action is not None:
            try:
                said = stage.action()
                said = said if isinstance(said, Said) else Said(said)
                output, findings = said.output, list(said.findings)
                code = 1 if any(f.status is Status.FAIL for f in findings) else 0
            except ReleaseError as exc:
                output, code = f"error: {exc.message}\nhint: {exc.hint}", exc.exit_code
                findings.append(CheckResult.fail("", "error", exc.message, exc.hint or ""))
        else:
            buffer, sent = io.StringIO(), GitHubUsage()
            code = self.command([*stage.argv, *self.common], env=self.env, out=buffer,
                                err=buffer, findings=findings, usage=sent)
            output = buffer.getvalue()
            if code == INTERRUPTED and stage.expect != INTERRUPTED:
                raise KeyboardInterrupt  # the CLI caught a Ctrl-C inside the step
        seconds = time.perf_counter() - started
        return Outcome(stage, code, output, seconds, self.github_tally() - before,
                       findings=tuple(findings), sent=sent)
