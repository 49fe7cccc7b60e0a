"""Fault injection for the rehearsal: the process kills itself at a chosen point.

`RELEASE_REHEARSAL_KILL` holds comma-separated points: `before:N` (as stage N is about to run),
`asset:K` (as the K-th GitHub release asset upload reaches the fake GitHub, before it is
stored), `upload:K` (as the K-th file upload to the package index arrives, before the index
sees it) and `wipe:K` (at the K-th point of emptying the workdir to start over: before each
entry, halfway through each directory, and at the end; see `resume.wipe`). The kill is
SIGKILL: no cleanup, no `finally`, exactly like a machine going away, so a rerun has to cope
with whatever was left. Counts start at 1 in each process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NoReturn

from release.errors import UsageError
from release.rehearsal.runner import Outcome, Stage

ENV = "RELEASE_REHEARSAL_KILL"
_KINDS = ("before", "asset", "upload", "wipe")


@dataclass(frozen=True)
class Faults:
    before: int | None = None
    asset: int | None = None
    upload: int | None = None
    wipe: int | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Faults:
        text = env.get(ENV, "").strip()
        found: dict[str, int] = {}
        for point in filter(None, (part.strip() for part in text.split(","))):
            kind, _, count = point.partition(":")
            if kind not in _KINDS or not count.isdigit() or int(count) < 1:
                raise UsageError(f"{ENV}={text!r}: {point!r} is not a kill point",
                                 hint="use before:N, asset:K, upload:K or wipe:K (N, K from 1), "
                                      "comma-separated")
            found[kind] = int(count)
        return cls(**found)

    def at_asset(self) -> Callable[[int], None] | None:
        return _at(self.asset)

    def at_upload(self) -> Callable[[int], None] | None:
        return _at(self.upload)

    def at_wipe(self) -> Callable[[int], None] | None:
        return _at(self.wipe)


def kill() -> NoReturn:
    """SIGKILL this process (what is printed so far is flushed first, so logs show where)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os.kill(os.getpid(), signal.SIGKILL)
    raise SystemExit(137)  # not reached


def _at(count: int | None) -> Callable[[int], None] | None:
    if count is None:
        return None

    def check(number: int) -> None:
        if number == count:
            kill()
    return check


@dataclass
class KillBefore:
    """An observer of the rehearsal that kills the process as stage `number` starts."""

    number: int

    def started(self, number: int, total: int, stage: Stage) -> None:
        if number == self.number:
            kill()

    def finished(self, number: int, total: int, outcome: Outcome) -> None:
        pass


