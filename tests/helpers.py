"""Small helpers for tests: repository snapshots and plain git calls."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path


def snapshot(path: Path) -> str:
    """A hash over every file in a repository, .git included (refs, index, objects, config)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink()):
        digest.update(str(file.relative_to(path)).encode())
        digest.update(os.readlink(file).encode() if file.is_symlink() else file.read_bytes())
    return digest.hexdigest()


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def one_line_error(err: str, words: str) -> None:
    """stderr is exactly `error: ...` (containing `words`) and one `hint: ...` line."""
    lines = err.strip().splitlines()
    assert lines[0].startswith("error: ") and words in lines[0], err
    assert len(lines) == 2 and lines[1].startswith("hint: "), err


def copy_tree(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, symlinks=True)
    return dest


def table_rows(out: str) -> list[list[str]]:
    """The rows of a rich table printed in `out`, each cell's wrapped lines joined by a space.
    A row starts where the first column has text."""
    rows: list[list[str]] = []
    for line in out.splitlines():
        if not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if cells[0] or not rows:
            rows.append(cells)
        else:
            rows[-1] = [f"{old} {new}".strip() for old, new in zip(rows[-1], cells, strict=True)]
    return rows
