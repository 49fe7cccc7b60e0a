"""The guard around a state-changing run: all of it, or nothing, or exactly what the message
says.

Under the repository's lock, a record left by a run that was killed outright is dealt with
first, then the step runs with a fresh undo record. When the step fails (an error, Ctrl-C,
SIGTERM) and nothing had left the machine, everything it changed is put back and the error says
so. When something had left the machine (a push, a release, an upload, a mail), nothing is put
back: the error lists what was done, the command that finishes the work (the same command, run
again: every step does only what is missing) and the commands that would undo it instead.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import signal
from collections.abc import Iterator
from pathlib import Path

from release.context import Context
from release.errors import ReleaseError
from release.plan import ActionFailed
from release.repo.lock import repository_lock
from release.repo.undo import Done, UndoRecord


class Interrupted(ReleaseError):
    """Ctrl-C or SIGTERM, with what the run had done by then."""

    exit_code = 130


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the run is, so it takes the path Ctrl-C takes."""


def raise_terminated(_signum: int, _frame: object) -> None:
    raise Terminated


def _release_dirs(ctx: Context, repo: Path) -> tuple[Path, Path] | None:
    """(the common git dir, which the lock is on, and the undo record's directory in this work
    tree's git dir), or None outside a git repository."""
    try:
        git = ctx.git_at(repo)
        common = git.run(["rev-parse", "--git-common-dir"]).strip()
        own = git.run(["rev-parse", "--git-path", "release/undo"]).strip()
    except ReleaseError:
        return None
    return (git.root / common).resolve(), (git.root / own).resolve()


@contextlib.contextmanager
def guarded(ctx: Context) -> Iterator[Context]:
    """The step's Context with an undo record, inside the repository's lock; every other
    repository the run changes (the doc repository, the website) is locked as the run first
    touches it. Outside a git repository the record is kept in a temporary directory."""
    with contextlib.ExitStack() as stack:
        dirs = _release_dirs(ctx, ctx.repo)
        if dirs is None:
            git_dir, undo_dir = None, _outside_undo_dir(ctx)
            undo_dir.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(repository_lock(undo_dir.parent, ctx.rerun))
        else:
            git_dir, undo_dir = dirs
            stack.enter_context(repository_lock(git_dir, ctx.rerun))
        recover(ctx, undo_dir)
        locked = {git_dir}

        def lock(root: Path) -> None:
            other = _release_dirs(ctx, root)
            if other is not None and other[0] not in locked:
                stack.enter_context(repository_lock(other[0], ctx.rerun))
                locked.add(other[0])

        record = UndoRecord(undo_dir, ctx.rerun, ctx.git_at, on_repo=lock)
        guarded_ctx = dataclasses.replace(ctx, record=record)
        try:
            yield guarded_ctx
        except BaseException as exc:
            raise settle(guarded_ctx, record, exc) from None
        record.discard()


def _outside_undo_dir(ctx: Context) -> Path:
    """For a project directory that is no git repository (the docs step needs none): the
    record under the user cache dir, named for the directory, so the next run finds it."""
    from release.services.github_cache import default_cache_dir

    key = hashlib.sha256(str(ctx.repo).encode()).hexdigest()[:20]
    return default_cache_dir(ctx.env) / "undo" / key / "undo"


def note_leftover(ctx: Context) -> None:
    """For a dry run, which changes nothing: say that a killed run's changes are still here
    (the next real run puts them back before it looks)."""
    dirs = _release_dirs(ctx, ctx.repo)
    try:
        old = UndoRecord.load(dirs[1] if dirs else _outside_undo_dir(ctx), ctx.git_at)
    except ReleaseError:
        old = None
    if old is not None and old.done:
        ctx.say(f"note: an earlier run (`{old.command}`) "
                f"was stopped part way and its changes are still here; the next real run puts "
                f"them back first (this dry run shows the repository as it is now)")


def recover(ctx: Context, undo_dir: Path) -> None:
    """Deal with the record of a run that was killed outright: put back what it changed, or,
    when it had already done something remote, keep it and say what it did."""
    old = UndoRecord.load(undo_dir, ctx.git_at)
    if old is None:
        return
    remote = old.left_machine
    if remote:
        ctx.say(f"note: an earlier run (`{old.command}`) was stopped after it had done: "
                f"{_listing(remote)}; that is kept, and this run goes on from there")
        old.discard()
        return
    with _signals_ignored():
        problems = old.rollback()
    if problems:
        raise ReleaseError(f"an earlier run (`{old.command}`) was stopped part way, and putting "
                           f"back what it changed failed: {problems[0]}",
                           hint=f"put it back by hand, then remove {undo_dir}")
    if old.done:
        ctx.say(f"note: put back what an earlier run (`{old.command}`) that was stopped part way "
                f"had changed ({_count(len(old.done))}: {_listing(old.done)})")


def settle(ctx: Context, record: UndoRecord, exc: BaseException) -> BaseException:
    """The exception to report for a failed run, after putting back what can be."""
    error = _as_release_error(exc)
    if error is None:  # a bug: put back what can be and let the traceback show
        if record.left_machine:
            record.discard()
        else:
            with _signals_ignored():
                record.rollback()
        return exc
    planned = {item.line for item in record.done}
    outside = [Done(0, line, "kept") for line in ctx.applied if line not in planned]
    remote = record.left_machine + outside
    if remote:
        kept = record.done + outside
        undo = [item.undo for item in reversed(remote) if item.undo]
        undo += record.undo_commands(ctx.repo)
        error.message += f"; done before that, and kept: {_listing(kept)}"
        error.hint = ((error.hint + "; then " if error.hint else "")
                      + f"to finish, rerun `{ctx.rerun}`"
                      + (f"; to undo it instead: {'; '.join(undo)}" if undo else ""))
        record.discard()
        return error
    with _signals_ignored():
        problems = record.rollback()
    if problems:
        error.message += f"; putting back what it changed failed: {'; '.join(problems)}"
        error.hint = f"look at `git status`; the saved state is in {record.directory}"
        return error
    if record.done:
        done = len(record.done)
        error.message += (f"; nothing was changed (the {_count(done)} done "
                          f"{'was' if done == 1 else 'were'} put back)")
        ctx.applied.clear()
    elif isinstance(error, Interrupted):
        error.message += " before anything was changed"
    elif isinstance(error, ActionFailed):
        error.message += "; nothing was changed"
    if isinstance(error, Interrupted):
        error.hint = f"rerun `{ctx.rerun}`"
    return error


def _as_release_error(exc: BaseException) -> ReleaseError | None:
    if isinstance(exc, ReleaseError):
        return exc
    if isinstance(exc, KeyboardInterrupt):
        how = "SIGTERM" if isinstance(exc, Terminated) else "Ctrl-C"
        return Interrupted(f"interrupted ({how})")
    return None


def _count(number: int) -> str:
    return f"{number} action" + ("" if number == 1 else "s")


def _listing(items: list[Done]) -> str:
    return "; ".join(f"{item.number}. {item.line}" if item.number else item.line
                     for item in items)


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    """Ctrl-C and SIGTERM are ignored while a repository is put back: a second one must not
    leave it half put back."""
    try:
        previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT,
                                                                          signal.SIGTERM)}
    except ValueError:  # not the main thread: signals go elsewhere anyway
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
