"""How a rehearsal shows its progress: a live display on a terminal, plain lines elsewhere.

On a terminal the stages' whole output (diffs, commands, tables) would scroll the progress away,
so it goes to a log file and the screen keeps one line per finished stage, the running stage
with a spinner and its elapsed time, and the totals. Without a terminal (CI, a pipe) the plain
lines carry everything, as a log should.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from release.rehearsal.runner import Observer, Outcome, PlainLines, Stage, Tally
from release.rehearsal.verdict import STATE_LABELS, stage_state

LOG_NAME = "rehearsal.log"
MARKS = {"ok": ("✓", "green"), "refused": ("✓", "green"), "amber": ("!", "yellow"),
         "failed": ("✗", "bold red"), "resumed": ("↺", "cyan")}


@contextmanager
def progress_observers(err: TextIO, workdir: Path) -> Iterator[list[Observer]]:
    """The observers for a rehearsal writing its progress to `err`."""
    console = Console(file=err, highlight=False)
    if not console.is_terminal or console.is_dumb_terminal:
        yield [PlainLines(err)]
        return
    log_path = workdir / LOG_NAME
    workdir.mkdir(parents=True, exist_ok=True)
    console.print(f"every stage's full output goes to {log_path}")
    with log_path.open("a", encoding="utf-8") as log:
        display = LiveStages(console)
        with display.live:
            yield [PlainLines(log), display]
        log.flush()


@dataclass
class LiveStages:
    """Finished stages printed above a live area that holds the running stage and the totals."""

    console: Console
    total: int = 0
    finished_count: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    github: Tally = field(default_factory=Tally)
    began: float = field(default_factory=time.perf_counter)
    current: tuple[int, Stage, float] | None = None
    ended: float | None = None
    spinner: Spinner = field(default_factory=lambda: Spinner("dots", style="cyan"))

    def __post_init__(self) -> None:
        self.live = Live(console=self.console, get_renderable=self._render,
                         refresh_per_second=8, transient=False, redirect_stdout=False,
                         redirect_stderr=True)  # stray warnings print above the display

    def started(self, number: int, total: int, stage: Stage) -> None:
        self.total = total
        self.current = (number, stage, time.perf_counter())
        self.live.refresh()

    def finished(self, number: int, total: int, outcome: Outcome) -> None:
        state = stage_state(outcome)
        counted = "resumed" if outcome.resumed else state
        self.statuses[counted] = self.statuses.get(counted, 0) + 1
        self.finished_count += 1
        if not outcome.resumed:
            self.github = self.github + outcome.github
        self.current = None
        if self.finished_count == total:
            self.ended = time.perf_counter()
        mark, style = MARKS["resumed" if outcome.resumed and state == "ok" else state]
        line = Text.assemble((f"{mark} ", style), f"[{number}/{total}] {outcome.stage.title}",
                             (f"  {_duration(outcome)}{_requests(outcome)}", "dim"))
        if state == "failed":
            line.append(f"  exit {outcome.code}, expected {outcome.stage.expect}", style)
        elif state == "amber":
            found = sum(1 for result in outcome.findings if not result.passed) or 1
            line.append(f"  {found} finding{'' if found == 1 else 's'}", style)
        elif state == "refused":
            line.append(f"  refused as expected (exit {outcome.code})", "dim")
        self.live.console.print(line)
        self.live.refresh()  # the finished stage leaves the live area at once

    def _render(self) -> RenderableType:
        grid = Table.grid(padding=(0, 1))
        grid.add_column()
        grid.add_column()
        if self.current is not None:
            number, stage, since = self.current
            grid.add_row(self.spinner, Text.assemble(
                f"[{number}/{self.total}] {stage.title}",
                (f"  {time.perf_counter() - since:.1f} s", "dim")))
        return Group(grid, Text(self.totals(), style="bold"))

    def totals(self) -> str:
        counts = ", ".join(f"{self.statuses[s]} {STATE_LABELS.get(s, s)}" for s in MARKS
                           if self.statuses.get(s))
        return (f"{self.finished_count}/{self.total} stages" + (f" ({counts})" if counts else "")
                + f" in {(self.ended or time.perf_counter()) - self.began:.1f} s; GitHub "
                  f"{self.github.requests} requests, {self.github.points} GraphQL points")


def _duration(outcome: Outcome) -> str:
    return "done earlier" if outcome.resumed else f"{outcome.seconds:.1f} s"


def _requests(outcome: Outcome) -> str:
    requests = 0 if outcome.resumed else outcome.github.requests
    return f", {requests} GitHub requests" if requests else ""
