"""A local directory of built distributions: what it holds, file hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from release.errors import PreconditionError


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
