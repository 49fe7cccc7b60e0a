"""Plan actions for whole directories and symlinks (built HTML is binary and thousands of files,
so it cannot go through WriteFile)."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from release.plan import LOCAL, Touches

Source = Path | bytes
"""A file's new content: a file to copy or bytes made in memory."""

Unchanged = Callable[[str, bytes, bytes], bool]
"""(relpath, wanted, present) -> True when `present` counts as up to date."""


def files_under(root: Path) -> dict[str, Path]:
    """Every file below `root` by its POSIX relative path (symlinks to files included)."""
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*"))
            if p.is_file()}


def _read(source: Source) -> bytes:
    return source if isinstance(source, bytes) else source.read_bytes()


@dataclass(frozen=True)
class SyncTree:
    """Make `root/relpath/` hold exactly `files`: add, replace and remove files as needed."""

    root: Path
    relpath: str
    files: Mapping[str, Source]
    origin: str
    unchanged: Unchanged = field(default=lambda _rel, _wanted, _present: False)

    effect = LOCAL

    @property
    def dest(self) -> Path:
        return self.root / self.relpath

    def touches(self) -> Touches:
        """Thousands of files, not saved one by one: the repository is put back by resetting
        its (clean) work tree."""
        return Touches(repos=(self.root,), unlisted=(self.root,))

    @cached_property
    def changes(self) -> tuple[list[str], list[str], list[str]]:
        """(new, changed, removed) relative paths."""
        present = files_under(self.dest) if self.dest.is_dir() else {}
        new = [rel for rel in self.files if rel not in present]
        changed = [rel for rel in self.files if rel in present
                   and not self._same(rel, self.files[rel], present[rel])]
        removed = [rel for rel in present if rel not in self.files]
        return sorted(new), sorted(changed), sorted(removed)

    def _same(self, rel: str, source: Source, present: Path) -> bool:
        wanted, found = _read(source), present.read_bytes()
        return wanted == found or self.unchanged(rel, wanted, found)

    def is_noop(self) -> bool:
        return not any(self.changes)

    def describe(self) -> str:
        new, changed, removed = self.changes
        if self.is_noop():
            return f"keep {self.relpath}/ ({len(self.files)} files, already up to date)"
        head = (f"sync {self.relpath}/ from {self.origin}: {len(new)} new, {len(changed)} changed, "
                f"{len(removed)} removed")
        lines = [f"  + {self.relpath}/{r}" for r in new]
        lines += [f"  M {self.relpath}/{r}" for r in changed]
        lines += [f"  - {self.relpath}/{r}" for r in removed]
        return head + "\n" + "\n".join(lines) + "\n"

    def apply(self) -> None:
        new, changed, removed = self.changes
        for rel in removed:
            (self.dest / rel).unlink()
        for rel in [*new, *changed]:
            target = self.dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            source = self.files[rel]
            if isinstance(source, Path):
                shutil.copyfile(source, target)
            else:
                target.write_bytes(source)
        for directory in sorted({p for p in self.dest.rglob("*") if p.is_dir()}, reverse=True):
            if not any(directory.iterdir()):
                directory.rmdir()


@dataclass(frozen=True)
class PointSymlink:
    """Point the symlink `root/name` at `target` (relative), replacing it atomically."""

    root: Path
    name: str
    target: str

    effect = LOCAL

    @property
    def path(self) -> Path:
        return self.root / self.name

    def touches(self) -> Touches:
        return Touches(files=(self.path,))

    def current(self) -> str | None:
        return os.readlink(self.path) if self.path.is_symlink() else None

    def is_noop(self) -> bool:
        return self.current() == self.target

    def describe(self) -> str:
        if self.is_noop():
            return f"keep {self.name} -> {self.target}"
        was = self.current()
        return f"point {self.name} -> {self.target}" + (f" (was {was})" if was else " (new link)")

    def apply(self) -> None:
        if self.is_noop():
            return
        tmp = self.path.with_name(self.name + ".release-tmp")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(self.target)
        tmp.replace(self.path)


def zip_tree(files: Mapping[str, Path]) -> bytes:
    """A deterministic zip of `files` (fixed timestamps, sorted names): rebuilding it from the same
    files gives the same bytes, so a rerun finds nothing to change."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for rel in sorted(files):
            info = zipfile.ZipInfo(rel, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[rel].read_bytes(), compresslevel=9)
    return buffer.getvalue()
