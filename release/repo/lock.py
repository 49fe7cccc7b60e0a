"""One state-changing run per repository at a time: an flock on the repository's git dir.

The system drops the lock when its process ends, however it ends, so a killed run never blocks
the next one, and the lock itself is no file: a run leaves the git dir as it found it. While it
is held, `release/lock-holder` says who holds it, so a run that finds it taken can say by whom.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from release.errors import PreconditionError
from release.journal import utc_now

HOLDER = "release/lock-holder"


@contextlib.contextmanager
def repository_lock(git_dir: Path, holder: str) -> Iterator[None]:
    """Hold the lock on `git_dir` for the block; refuse if another process has it."""
    handle = os.open(git_dir, os.O_RDONLY)
    note = git_dir / HOLDER
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PreconditionError(
                f"another run is changing this repository: {_holder(note)}; this one changed "
                "nothing", hint="wait for it to end (the lock goes with its process), then "
                                "rerun") from None
        try:
            with contextlib.suppress(OSError):  # who holds it is a courtesy; the flock is the lock
                note.parent.mkdir(exist_ok=True)
                note.write_text(f"`{holder}` (pid {os.getpid()}, since {utc_now()})\n",
                                encoding="utf-8")
            yield
        finally:
            with contextlib.suppress(OSError):
                note.unlink(missing_ok=True)
                note.parent.rmdir()
    finally:
        os.close(handle)


def _holder(note: Path) -> str:
    try:
        return note.read_text(encoding="utf-8").strip() or "another run"
    except OSError:
        return "another run"
