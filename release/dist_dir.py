"""A local directory of built distributions: where it is, what it holds, file hashes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from release.context import Context
from release.errors import PreconditionError


def user_path(ctx: Context, value: str | Path) -> Path:
    """A path the user typed: relative to where they invoked the command (nox changes cwd)."""
    path = Path(value).expanduser()
    if path.is_absolute():
        return path
    base = ctx.env.get("RELEASE_INVOKED_FROM") or os.getcwd()
    return (Path(base) / path).resolve()


def list_dir(path: Path) -> list[str]:
    if not path.is_dir():
        raise PreconditionError(f"{path} is not a directory",
                                hint="pass the directory holding the wheels and the sdist")
    return sorted(p.name for p in path.iterdir() if p.is_file())


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
