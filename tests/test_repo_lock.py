"""The repository lock: a second holder is refused with who holds it, and nothing is left in the
git dir once the holder is done (or gone)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from release.errors import PreconditionError
from release.repo.lock import HOLDER, repository_lock


def test_while_held_a_second_run_is_refused_and_told_by_whom(tmp_path: Path) -> None:
    git_dir = tmp_path / ".git"
    git_dir.mkdir()
    with repository_lock(git_dir, "nox -s tag -- 2.5.2 --push"):
        assert "`nox -s tag -- 2.5.2 --push` (pid " in (git_dir / HOLDER).read_text()
        with pytest.raises(PreconditionError) as raised, repository_lock(git_dir, "second"):
            pass
    assert raised.value.message.startswith(
        "another run is changing this repository: `nox -s tag -- 2.5.2 --push` (pid ")
    assert raised.value.message.endswith("; this one changed nothing")
    assert list(git_dir.iterdir()) == []


def test_a_lock_held_by_another_process_refuses_and_goes_with_it(tmp_path: Path) -> None:
    git_dir = tmp_path / ".git"
    git_dir.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from release.repo.lock import repository_lock\n"
         f"with repository_lock(Path({str(git_dir)!r}), 'the other run'):\n"
         "    print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    with pytest.raises(PreconditionError) as raised, repository_lock(git_dir, "this run"):
        pass
    assert "`the other run`" in raised.value.message
    holder.kill()
    holder.wait()
    with repository_lock(git_dir, "this run"):  # the system dropped the killed holder's lock
        pass
