"""The run `wheels --dispatch` started for a version, kept in the repository's git dir
(`release/wheels-run-X.Y.Z.json`), so that a rerun follows that run instead of starting a second
build.

The record is written twice: before the dispatch request, with the runs the workflow already had
on the ref (so a run killed between the request and GitHub's answer can still tell its own run
from the others), and after it, with the run's id. It also says where the run's files were
downloaded, so a rerun may download the same run's files again over them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from release.errors import ServiceError
from release.journal import write_json
from release.services.github_actions import GitHubActions, RunInfo

FAILED = {"failure", "cancelled", "timed_out", "startup_failure", "action_required", "stale"}


@dataclass(frozen=True)
class Dispatched:
    repo: str
    workflow: str
    ref: str
    environment: str
    before: list[int] = field(default_factory=list)
    run_id: int | None = None
    downloaded_to: str = ""

    def same_build(self, other: Dispatched) -> bool:
        return (self.repo, self.workflow, self.ref, self.environment) == (
            other.repo, other.workflow, other.ref, other.environment)


def load(path: Path) -> Dispatched | None:
    """The record, or None (a record that does not parse is taken for none: at worst the next
    dispatch starts a build, which is what the user asked for)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Dispatched(**data)
    except (OSError, ValueError, TypeError):
        return None


def save(path: Path, record: Dispatched) -> None:
    write_json(path, asdict(record))


def started_run(actions: GitHubActions, record: Dispatched) -> RunInfo | None:
    """The run the record's dispatch started, if it is one still worth following: running,
    waiting, or finished well. A run that failed or was cancelled is not (a new build is)."""
    run_id = record.run_id
    if run_id is None:
        new = actions.dispatch_runs(record.workflow, record.ref) - set(record.before)
        if not new:
            return None
        run_id = max(new)
    try:
        run = actions.run(run_id)
    except ServiceError:  # deleted, or the record is of another repository
        return None
    if run.done and run.conclusion in FAILED:
        return None
    return run


def with_run(record: Dispatched, run: RunInfo) -> Dispatched:
    return replace(record, run_id=run.id)
