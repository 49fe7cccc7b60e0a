"""Plans: the ordered actions a step wants, and the executors that apply or show them.

A step never writes by itself. It returns a Plan; the real run, the dry-run and the rehearsal
differ only in which executor receives it.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO


class Action(Protocol):
    """One thing a step does. `describe` must say exactly what `apply` will do."""

    def describe(self) -> str: ...

    def apply(self) -> None: ...


@dataclass(frozen=True)
class WriteFile:
    """Create or replace a text file (shown as a unified diff in a dry-run)."""

    root: Path
    relpath: str
    content: str

    @property
    def path(self) -> Path:
        return self.root / self.relpath

    def old_content(self) -> str:
        return self.path.read_text(encoding="utf-8") if self.path.exists() else ""

    def is_noop(self) -> bool:
        return self.path.exists() and self.old_content() == self.content

    def describe(self) -> str:
        if self.is_noop():
            return f"keep {self.relpath} (already up to date)"
        verb = "modify" if self.path.exists() else "create"
        old_name = f"a/{self.relpath}" if self.path.exists() else "/dev/null"
        diff = difflib.unified_diff(
            self.old_content().splitlines(keepends=True),
            self.content.splitlines(keepends=True),
            fromfile=old_name,
            tofile=f"b/{self.relpath}",
        )
        return f"{verb} {self.relpath}\n" + "".join(_terminated(diff))

    def apply(self) -> None:
        if self.is_noop():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".release-tmp")
        tmp.write_text(self.content, encoding="utf-8", newline="")
        tmp.replace(self.path)


@dataclass(frozen=True)
class DeleteFile:
    root: Path
    relpath: str

    def describe(self) -> str:
        return f"delete {self.relpath}"

    def apply(self) -> None:
        (self.root / self.relpath).unlink(missing_ok=True)


@dataclass(frozen=True)
class RunCommand:
    """An external command as an argument list (git, twine, ...), run through one runner."""

    argv: tuple[str, ...]
    runner: Callable[[Sequence[str]], object]
    cwd: Path | None = None
    note: str = ""

    def describe(self) -> str:
        where = f"  (in {self.cwd})" if self.cwd else ""
        note = f"  # {self.note}" if self.note else ""
        return "run " + shlex.join(self.argv) + where + note

    def apply(self) -> None:
        self.runner(self.argv)


@dataclass(frozen=True)
class Call:
    """Any other effect (a GitHub request, an upload, a mail), described in words."""

    summary: str
    func: Callable[[], object]

    def describe(self) -> str:
        return self.summary

    def apply(self) -> None:
        self.func()


@dataclass
class Plan:
    """Ordered actions plus checks to run after they were applied."""

    title: str
    actions: list[Action] = field(default_factory=list)
    checks: list[tuple[str, Callable[[], None]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, action: Action) -> Plan:
        self.actions.append(action)
        return self

    def extend(self, actions: Iterable[Action]) -> Plan:
        self.actions.extend(actions)
        return self

    def verify(self, summary: str, check: Callable[[], None]) -> Plan:
        self.checks.append((summary, check))
        return self

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions)

    def __len__(self) -> int:
        return len(self.actions)


class Executor(Protocol):
    def execute(self, plan: Plan) -> None: ...


@dataclass
class ApplyExecutor:
    """Apply every action in order, then run the plan's checks."""

    progress: TextIO

    def execute(self, plan: Plan) -> None:
        total = len(plan.actions)
        for number, action in enumerate(plan.actions, 1):
            first_line = action.describe().splitlines()[0]
            print(f"[{number}/{total}] {first_line}", file=self.progress)
            action.apply()
        for summary, check in plan.checks:
            check()
            print(f"verified: {summary}", file=self.progress)
        for note in plan.notes:
            print(f"note: {note}", file=self.progress)


@dataclass
class DryRunExecutor:
    """Print every action in full (diffs, argv) and change nothing."""

    out: TextIO

    def execute(self, plan: Plan) -> None:
        print(f"Dry run: {plan.title}", file=self.out)
        for note in plan.notes:
            print(f"  note: {note}", file=self.out)
        if not plan.actions:
            print("  nothing to do", file=self.out)
        for number, action in enumerate(plan.actions, 1):
            text = action.describe()
            head, _, rest = text.partition("\n")
            print(f"{number}. {head}", file=self.out)
            if rest:
                print(rest, end="" if rest.endswith("\n") else "\n", file=self.out)
        for summary, _ in plan.checks:
            print(f"then verify: {summary}", file=self.out)


def _terminated(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
