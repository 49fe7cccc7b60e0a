"""The rehearsal: run the walkthrough's steps, in order, against a scratch example project."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from release.errors import ReleaseError


@dataclass(frozen=True)
class Stage:
    """One command of the rehearsal and the exit code it must give."""

    title: str
    argv: tuple[str, ...] = ()
    expect: int = 0
    action: Callable[[], str] | None = None
    advisory: bool = False  # a finding to report; the stages after it still make sense


@dataclass
class Outcome:
    stage: Stage
    code: int
    output: str

    @property
    def ok(self) -> bool:
        return self.code == self.stage.expect


@dataclass
class Rehearsal:
    common: tuple[str, ...]
    env: Mapping[str, str]
    log: TextIO
    outcomes: list[Outcome] = field(default_factory=list)

    def run(self, stages: Sequence[Stage]) -> bool:
        from release.cli import main

        for number, stage in enumerate(stages, 1):
            print(f"\n== [{number}/{len(stages)}] {stage.title}", file=self.log)
            if stage.action is not None:
                try:
                    output, code = stage.action(), 0
                except ReleaseError as exc:
                    output, code = f"error: {exc.message}\nhint: {exc.hint}", exc.exit_code
            else:
                print("   $ python -m release " + " ".join(stage.argv), file=self.log)
                buffer = io.StringIO()
                code = main([*stage.argv, *self.common], env=self.env,
                            out=buffer, err=buffer)
                output = buffer.getvalue()
            print("   " + output.rstrip().replace("\n", "\n   "), file=self.log)
            outcome = Outcome(stage, code, output)
            self.outcomes.append(outcome)
            if not outcome.ok and stage.advisory:
                print(f"   !! exit {code}, expected {stage.expect}; going on", file=self.log)
            elif not outcome.ok:
                print(f"   !! exit {code}, expected {stage.expect}; stopping", file=self.log)
                return False
        return all(outcome.ok for outcome in self.outcomes)

    def summary(self) -> str:
        lines = ["", "Rehearsal summary:"]
        for outcome in self.outcomes:
            mark = "ok  " if outcome.ok else "FAIL"
            lines.append(f"  {mark} exit {outcome.code}  {outcome.stage.title}")
        return "\n".join(lines)
