"""The walkthrough's steps: one module per step, each declaring what it is in one `STEP = Step(...)`.

The registry reads the literal name, summary and order of each declaration from the modules'
source, so `--help`, nox's session list and a step's start import no other step (importing them
all takes over a second). A step's module is imported when it runs, or when `status` or a
resumed rehearsal wants its look or its re-check.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from release.config import Config
    from release.context import Context
    from release.services.git import GitService
    from release.status import Found
    from release.status.on_github import OnGitHub
    from release.version import ReleaseVersion

# The fields the registry reads from the source; they must be literals in the declaration.
LITERAL_FIELDS = ("name", "summary", "order")


class Rechecks(Protocol):
    """What a resumed rehearsal's re-check may look at: the scratch repository and the stand-ins."""

    @property
    def config(self) -> Config: ...

    @property
    def git(self) -> GitService: ...

    def status(self, step: str, version: str) -> str | None:
        """`step`'s status look on the stand-ins: None when done (or skipped), else its detail."""

    def mails(self) -> int:
        """How many messages the stand-in mail server holds."""


# A re-check gets the stage's argv (step name, version, options): None when the stage's result
# is present, else what is missing.
Recheck = Callable[[Rechecks, tuple[str, ...]], str | None]


@dataclass(frozen=True, kw_only=True)
class Look:
    """How `status` looks for a step's result: its row's title, its place in the table, and the
    function that finds the row (given what GitHub says of the version, asked once for all rows)."""

    row: str
    order: int
    find: Callable[[Context, ReleaseVersion, OnGitHub], Found]


@dataclass(frozen=True, kw_only=True)
class Step:
    """What a walkthrough step is. Every field is required, so a declaration says each one.

    `journaled`: a run that applied anything is appended to the release journal. `read_only`: the
    step only looks, so `--dry-run` is refused as meaningless. `status`: the
    step's row in `status` (None: it leaves nothing status looks for). `resume`: how a resumed
    rehearsal re-checks a stage of this step the rehearsal journal says ended well (None: the
    stage is skipped on the journal's word)."""

    name: str
    summary: str
    order: int
    journaled: bool
    read_only: bool  # changes nothing anywhere, so --dry-run has nothing to show and is refused
    status: Look | None
    resume: Recheck | None


def by_status(rechecks: Rechecks, argv: tuple[str, ...]) -> str | None:
    """Re-check a stage by its step's status look."""
    return rechecks.status(argv[0], argv[1])


@dataclass(frozen=True)
class Declared:
    """A step as its module's source declares it, read without importing the module."""

    name: str
    summary: str
    order: int
    module: str


@cache
def declared() -> dict[str, Declared]:
    """Every step, in walkthrough order."""
    found = [step for path in Path(__file__).parent.glob("*.py")
             if (step := _declaration(path)) is not None]
    return {step.name: step for step in sorted(found, key=lambda step: step.order)}


def _declaration(path: Path) -> Declared | None:
    fields = literal_fields(path)
    if fields is None:
        return None
    name, summary, order = (fields.get(key) for key in LITERAL_FIELDS)
    if not (isinstance(name, str) and isinstance(summary, str) and isinstance(order, int)):
        raise TypeError(f"{path}: STEP = Step(...) needs literal name, summary and order")
    return Declared(name, summary, order, f"{__name__}.{path.stem}")


def literal_fields(path: Path) -> dict[str, object] | None:
    """The literal fields of the module's `STEP = Step(...)`; None for a module without one."""
    for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
        value: ast.expr | None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "STEP" and isinstance(value, ast.Call):
            return {keyword.arg: ast.literal_eval(keyword.value)
                    for keyword in value.keywords if keyword.arg in LITERAL_FIELDS}
    return None


def load(name: str) -> ModuleType:
    return importlib.import_module(declared()[name].module)


def step(name: str) -> Step:
    """The descriptor `name`'s module declares (this imports the module)."""
    value = load(name).STEP
    assert isinstance(value, Step)
    return value


def steps() -> list[Step]:
    """Every step's descriptor, in walkthrough order (this imports every step module)."""
    return [step(name) for name in declared()]
