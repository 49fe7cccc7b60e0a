"""Follow a wheel-building run to its end and collect its files.

A build takes about an hour, so polling backs off (x1.5 per look, up to two minutes) and the
person at the terminal sees one spinner line (rich, on stderr); without a terminal each change
of status is one plain line.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from release.errors import ServiceError, VerificationError
from release.services.github_actions import GitHubActions, RunInfo
from release.wheels.file_set import is_dist_file, is_never_uploaded

MAX_INTERVAL = 120.0


@dataclass
class Followed:
    """What the plan's actions learn as they run: the run, then the files it produced."""

    run: RunInfo | None = None
    written: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


@contextmanager
def _status_line(err: TextIO) -> Iterator[Callable[[str], None]]:
    console = Console(file=err)
    if console.is_terminal:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=console, transient=False) as progress:
            task = progress.add_task("waiting for the run", total=None)
            yield lambda text: progress.update(task, description=text)
        return
    last: list[str] = []

    def plain(text: str) -> None:
        if not last or last[-1] != text:
            print(text, file=err)
            last.append(text)

    yield plain


def follow(
    actions: GitHubActions,
    state: Followed,
    err: TextIO,
    interval: float,
    timeout_minutes: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> RunInfo:
    """Poll the run until it completes, or waits for approval of its upload environment (its
    files exist then, and are to be checked before anyone approves); a failure names the run."""
    assert state.run is not None, "the run is known before it is followed"
    run_id = state.run.id
    deadline = clock() + timeout_minutes * 60
    wait = interval
    print(f"following {state.run.html_url}", file=err)
    with _status_line(err) as show:
        while True:
            run = actions.run(run_id)
            show(f"run {run.id}: {run.status}" + (f", {run.conclusion}" if run.conclusion else ""))
            if run.done or run.waiting:
                break
            if clock() + wait > deadline:
                raise ServiceError(f"run {run_id} has not finished after {timeout_minutes:g} minutes",
                                   hint=f"follow it later with --run-id {run_id}")
            sleep(wait)
            wait = min(max(wait * 1.5, interval), MAX_INTERVAL)
    state.run = run
    if run.waiting:
        return run
    if run.conclusion != "success":
        raise VerificationError(f"run {run.id} finished with {run.conclusion}, not success",
                                hint=f"read its logs at {run.html_url}")
    return run


def download(actions: GitHubActions, state: Followed, dest: Path) -> None:
    """Every wheel and sdist of the run into `dest`; Pyodide wheels (never uploaded) left out."""
    assert state.run is not None, "the run is known before its files are downloaded"
    files: dict[str, bytes] = {}
    for artifact in actions.artifacts(state.run.id):
        for name, data in actions.download(artifact).items():
            if not is_dist_file(name):
                continue
            if is_never_uploaded(name):
                state.left_out.append(name)
                continue
            if name in files and files[name] != data:
                raise VerificationError(f"two artifacts of run {state.run.id} hold different "
                                        f"files named {name}", hint=f"look at {state.run.html_url}")
            files[name] = data
    dest.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(files.items()):
        partial = dest / (name + ".part")
        partial.write_bytes(data)
        partial.replace(dest / name)
        state.written.append(name)
