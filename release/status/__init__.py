"""Where a release stands: for each step that leaves something behind, whether it is there
(refs, upstream, the index, GitHub, the doc and website repositories). The `status` step prints
the rows; a resumed rehearsal re-checks a stage with the same looks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class State(StrEnum):
    DONE = "done"
    NOT_YET = "not yet"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Found:
    """What a step's look found, and for `not yet` the command that does it."""

    state: State
    detail: str
    next: str = ""


@dataclass(frozen=True)
class LookOptions:
    """What the looks read of `status`'s options (a resumed rehearsal's re-check gives some)."""

    offline: bool = False
    index_url: str | None = None
    doc_repo: Path | None = None
    website_repo: Path | None = None
