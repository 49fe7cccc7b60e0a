"""Plans: the ordered actions a step wants, and the executors that apply or show them.

A step never writes by itself. It returns a Plan; the real run, the dry-run and the rehearsal
differ only in which executor receives it.
"""

from __future__ import annotations

import difflib
import errno
import os
import shlex
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from release.errors import ReleaseError, UsageError, VerificationError

if TYPE_CHECKING:
    from release.repo.undo import UndoRecord

LOCAL, REMOTE, READ = "local", "remote", "read"
"""An action's effect: `local` changes this machine and can be put back; `remote` leaves the
machine (a push, a GitHub request, an upload, a mail) and cannot; `read` changes nothing."""


class Action(Protocol):
    """One thing a step does. `describe` must say exactly what `apply` will do."""

    def describe(self) -> str: ...

    def apply(self) -> None: ...


@dataclass(frozen=True)
class Touches:
    """What a local action may change, so that it can be saved first: files by path, the git
    state of repositories (refs, HEAD, index), and repositories whose work tree it changes in
    files it does not name."""

    files: tuple[Path, ...] = ()
    repos: tuple[Path, ...] = ()
    unlisted: tuple[Path, ...] = ()


def effect_of(action: object) -> str:
    """`local`, `remote` or `read`; an action that does not say is taken as leaving the machine
    (it cannot be put back)."""
    return str(getattr(action, "effect", REMOTE))


def touches_of(action: object) -> Touches:
    found = getattr(action, "touches", None)
    return found() if callable(found) else Touches()


def undo_of(action: object) -> str:
    return str(getattr(action, "undo", "") or "")


@dataclass(frozen=True)
class WriteFile:
    """Create or replace a text file (shown as a unified diff in a dry-run)."""

    root: Path
    relpath: str
    content: str
    diff: bool = True  # False: a dry run names the file and its size (a long generated log)

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
        if not self.diff:
            return f"{verb} {self.relpath} ({len(self.content.splitlines())} lines)"
        old_name = f"a/{self.relpath}" if self.path.exists() else "/dev/null"
        diff = difflib.unified_diff(
            self.old_content().splitlines(keepends=True),
            self.content.splitlines(keepends=True),
            fromfile=old_name,
            tofile=f"b/{self.relpath}",
        )
        return f"{verb} {self.relpath}\n" + "".join(_terminated(diff))

    effect = LOCAL

    def touches(self) -> Touches:
        return Touches(files=(self.path,))

    def apply(self) -> None:
        if self.is_noop():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".release-tmp")
        try:
            tmp.write_text(self.content, encoding="utf-8", newline="")
            tmp.replace(self.path)
        finally:
            tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class DeleteFile:
    root: Path
    relpath: str

    effect = LOCAL

    def touches(self) -> Touches:
        return Touches(files=(self.root / self.relpath,))

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

    @property
    def _is_push(self) -> bool:
        return self.argv[:2] == ("git", "push")

    @property
    def effect(self) -> str:
        return REMOTE if self._is_push else LOCAL

    @property
    def undo(self) -> str:
        """For a push of `ref:ref` to a remote: deleting it there again."""
        if not self._is_push or len(self.argv) < 4:
            return ""
        where = f" -C {self.cwd}" if self.cwd else ""
        return f"git{where} push {self.argv[2]} --delete {self.argv[3].partition(':')[0]}"

    def touches(self) -> Touches:
        """git changes the repository's state (and `git rm` its files); any other program run
        in a repository may change files there that nobody listed."""
        cwd = self.cwd or Path.cwd()
        if self.argv[:1] != ("git",):
            return Touches(repos=(cwd,), unlisted=(cwd,))
        files: tuple[Path, ...] = ()
        if self.argv[1:2] == ("rm",) and "--" in self.argv:
            files = tuple(cwd / p for p in self.argv[self.argv.index("--") + 1:])
        return Touches(files=files, repos=() if self._is_push else (cwd,))

    def apply(self) -> None:
        self.runner(self.argv)


@dataclass(frozen=True)
class Call:
    """Any other effect (a GitHub request, an upload, a mail), described in words. It leaves
    the machine unless `effect` says otherwise; `undo` says how to take it back by hand."""

    summary: str
    func: Callable[[], object]
    effect: str = REMOTE
    undo: str = ""

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


class ActionFailed(ReleaseError):
    """An action could not be applied (a write error, a program that failed)."""


@dataclass
class ApplyExecutor:
    """Apply every action in order, then run the plan's checks. With an undo record, what each
    action may change is saved before it runs, and each finished action is noted in `applied`
    and the record; a failure leaves both saying exactly how far the run got."""

    progress: TextIO
    record: UndoRecord | None = None
    applied: list[str] = field(default_factory=list)
    fault: Fault | None = None

    def execute(self, plan: Plan) -> None:
        total = len(plan.actions)
        for number, action in enumerate(plan.actions, 1):
            first_line = action.describe().splitlines()[0]
            print(f"[{number}/{total}] {first_line}", file=self.progress)
            count = len(self.applied) + 1
            try:
                self._save(action)
                if self.fault is not None:
                    self.fault.strike(count)
                self._starting(count, first_line, action)
                action.apply()
            except OSError as exc:
                self._refused(count)
                where = f" ({exc.filename})" if exc.filename else ""
                raise ActionFailed(f"action {number}/{total} ({first_line}) failed: "
                                   f"{exc.strerror or exc}{where}",
                                   hint="fix the cause and rerun") from None
            except KeyboardInterrupt:
                raise  # a push or a request on its way may have arrived: it stays listed
            except BaseException:
                self._refused(count)
                raise
            self._finished(count, first_line, action)
        if self.fault is not None and plan.checks:
            self.fault.strike("verify")
        for summary, check in plan.checks:
            check()
            print(f"verified: {summary}", file=self.progress)
        for note in plan.notes:
            print(f"note: {note}", file=self.progress)

    def _save(self, action: Action) -> None:
        if self.record is None or effect_of(action) != LOCAL:
            return
        touched = touches_of(action)
        for repo in touched.repos:
            self.record.save_repo(repo, unlisted=repo in touched.unlisted)
        for path in touched.files:
            self.record.save_file(path)

    def _starting(self, count: int, line: str, action: Action) -> None:
        """A push or a request is noted (on disk) before it is sent: if the run is stopped or
        killed while it is on its way, it may have arrived, and nothing is put back."""
        from release.repo.undo import Done

        if self.record is not None and effect_of(action) not in (LOCAL, READ):
            self.record.finished(Done(count, f"{line} (stopped while it ran; it may have "
                                             "happened)", effect_of(action), undo_of(action)))

    def _refused(self, count: int) -> None:
        """The other side said no (or the program failed): the action did not happen."""
        if self.record is not None:
            self.record.forget(count)

    def _finished(self, count: int, line: str, action: Action) -> None:
        from release.repo.undo import Done

        self.applied.append(line)
        if self.record is not None:
            self.record.forget(count)
            self.record.finished(Done(count, line, effect_of(action), undo_of(action)))


FAULT_ENV = "RELEASE_FAULT"
_FAULT_KINDS = {"fail": None, "interrupt": signal.SIGINT, "term": signal.SIGTERM,
                "kill": signal.SIGKILL}


@dataclass(frozen=True)
class Fault:
    """`RELEASE_FAULT=KIND:N`: as the run is about to apply its N-th action (counted over every
    plan the run executes, from 1), or `KIND:verify` before a plan's checks, it fails with a
    write error (`fail`), or the process gets SIGINT (`interrupt`), SIGTERM (`term`) or SIGKILL
    (`kill`). The fault-injection tests kill every step at every action this way."""

    kind: str
    at: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Fault | None:
        text = env.get(FAULT_ENV, "").strip()
        if not text:
            return None
        kind, _, at = text.partition(":")
        if kind not in _FAULT_KINDS or not (at == "verify" or (at.isdigit() and int(at) >= 1)):
            raise UsageError(f"{FAULT_ENV}={text!r} is not a fault",
                             hint="use fail:N, interrupt:N, term:N or kill:N (N from 1), or "
                                  "KIND:verify")
        return cls(kind, at)

    def strike(self, where: int | str) -> None:
        if str(where) != self.at:
            return
        number = _FAULT_KINDS[self.kind]
        if number is None and where == "verify":
            raise VerificationError(f"injected fault ({FAULT_ENV}={self.kind}:{self.at})",
                                    hint="unset " + FAULT_ENV)
        if number is None:
            raise OSError(errno.EIO, f"injected fault ({FAULT_ENV}={self.kind}:{self.at})")
        os.kill(os.getpid(), number)
        for _ in range(100):  # the handler runs here at the latest, before the action starts
            time.sleep(0.01)


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
