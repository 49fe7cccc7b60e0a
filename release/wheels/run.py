"""Follow a wheel-building run to its end, check its files from its artifact list, and
download the ones a later step needs.

A build takes about an hour, so polling backs off (x1.5 per look, up to two minutes) and the
person at the terminal sees one spinner line (rich, on stderr); without a terminal each change
of status is one plain line. Each look after the first is conditional: while the run is
unchanged GitHub answers 304, which its rate limit does not count.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from release.errors import ServiceError, VerificationError
from release.services.github_actions import ArtifactInfo, GitHubActions, Poll, RunInfo
from release.wheels.artifacts import SDIST_ARTIFACT, follows_scheme, listed_report
from release.wheels.dist_dir import list_dir
from release.wheels.file_set import FileSetReport, compare, is_dist_file, is_never_uploaded
from release.wheels.matrix import ExpectedFile
from release.wheels.metadata import require_matching_metadata

MAX_INTERVAL = 120.0


@dataclass
class Followed:
    """What the plan's actions learn as they run: the run, then the files it produced."""

    run: RunInfo | None = None
    artifacts: list[ArtifactInfo] = field(default_factory=list)
    listed: bool = False  # the wheel set was checked from the artifact list
    fetched: dict[str, bytes] | None = None  # the files, when checking them took a download
    written: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    unchanged: int = 0  # looks GitHub answered 304


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
    poll = Poll()
    with _status_line(err) as show:
        while True:
            run = actions.run(run_id, poll)
            state.unchanged = poll.unchanged
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


def check_listed(actions: GitHubActions, state: Followed, files: Sequence[ExpectedFile],
                 labels: dict[str, str], distribution: str, version: str) -> FileSetReport:
    """The run's artifacts against the matrix from their list (one request a hundred); a
    workflow that names its artifacts otherwise has them downloaded to a temporary directory
    and checked there, as before."""
    assert state.run is not None, "the run is known before its artifacts are listed"
    state.artifacts = actions.artifacts(state.run.id)
    where = f"run {state.run.id}'s artifacts"
    if follows_scheme(state.artifacts, files):
        state.listed = True
        return listed_report(where, state.artifacts, files, labels)
    with tempfile.TemporaryDirectory(prefix="wheels-check-") as tmp:
        found = state.fetched = fetch(actions, state, state.artifacts)
        write(Path(tmp), found)
        expected = [item.filename for item in files]
        report = compare(where, expected, list(found), distribution, version, labels=labels)
        if report.ok:
            require_matching_metadata([Path(tmp) / name for name in expected], distribution,
                                      version, where)
    return report


def fetch(actions: GitHubActions, state: Followed,
          artifacts: Sequence[ArtifactInfo]) -> dict[str, bytes]:
    """The wheels and sdists inside `artifacts`, by file name (Pyodide wheels left out)."""
    assert state.run is not None, "the run is known before its files are downloaded"
    files: dict[str, bytes] = {}
    for artifact in artifacts:
        for name, data in actions.download(artifact).items():
            if not is_dist_file(name):
                continue
            if is_never_uploaded(name):
                if name not in state.left_out:
                    state.left_out.append(name)
                continue
            if name in files and files[name] != data:
                raise VerificationError(f"two artifacts of run {state.run.id} hold different "
                                        f"files named {name}", hint=f"look at {state.run.html_url}")
            files[name] = data
    return files


def write(dest: Path, files: dict[str, bytes]) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(files.items()):
        partial = dest / (name + ".part")
        partial.write_bytes(data)
        partial.replace(dest / name)
    return sorted(files)


def download(actions: GitHubActions, state: Followed, dest: Path, *, sdist_only: bool = False) -> None:
    """The run's wheels and sdist into `dest` (Pyodide's wheel named, not written), or only
    its sdist (what the GitHub release needs: one artifact, when the list names it)."""
    artifacts = state.artifacts
    if sdist_only and state.listed:
        artifacts = [a for a in artifacts if a.name == SDIST_ARTIFACT]
    found = state.fetched if state.fetched is not None else fetch(actions, state, artifacts)
    if sdist_only:
        found = {name: data for name, data in found.items() if not name.endswith(".whl")}
    state.written += write(dest, found)


def check_sdist(dest: Path, sdist: str, distribution: str, version: str, run_url: str) -> None:
    if sdist not in list_dir(dest):
        raise VerificationError(f"{dest} lacks the sdist {sdist}", hint=f"look at {run_url}")
    require_matching_metadata([dest / sdist], distribution, version, str(dest))
