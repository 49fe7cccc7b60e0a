"""Small helpers for tests: repository snapshots and plain git calls."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


def snapshot(path: Path) -> str:
    """A hash over every file in a repository, .git included (refs, index, objects, config)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink()):
        digest.update(str(file.relative_to(path)).encode())
        digest.update(os.readlink(file).encode() if file.is_symlink() else file.read_bytes())
    return digest.hexdigest()


@dataclass
class Result:
    code: int
    out: str
    err: str


class Cli(Protocol):
    """`python -m release ARGV...` in this process (the `cli` fixture): exit code and output."""

    def __call__(self, *argv: str, env: dict[str, str] | None = None) -> Result: ...


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def one_line_error(err: str, *words: str, progress: tuple[str, ...] = (), tail: bool = False) -> None:
    """stderr is exactly `error: ...` (containing every one of `words`) and one `hint: ...` line;
    lines starting with a `progress` prefix are left out first, and with `tail` only the last two
    lines are looked at (the step reported progress before it failed)."""
    lines = [line for line in err.strip().splitlines() if not (progress and line.startswith(progress))]
    if tail:
        lines = lines[-2:]
    assert len(lines) == 2, err
    assert lines[0].startswith("error: ") and all(word in lines[0] for word in words), err
    assert lines[1].startswith("hint: "), err


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


def wrong_capi_hash_checkout(dest: Path) -> Path:
    """The example project whose maintenance/1.2.x has a wrong C-API hash: a rehearsal of
    1.2.0rc1 on it fails at its second stage (cversions)."""
    import re

    from release.fakes.example import build_example_project

    project = build_example_project(dest)
    git(project.repo, "checkout", "--quiet", "maintenance/1.2.x")
    hashes = project.repo / "tinynum" / "_core" / "code_generators" / "cversions.txt"
    hashes.write_text(re.sub(r"0x00000002 = \w+", "0x00000002 = " + "0" * 32, hashes.read_text()))
    git(project.repo, "commit", "--quiet", "-am", "a wrong C-API hash")
    git(project.repo, "checkout", "--quiet", "main")
    return project.repo
