"""What a built file says it is: the name and version in a wheel's METADATA or an sdist's PKG-INFO.

A file's name is only a label; installers and the index go by the metadata inside. A wheel named
1.2.0 whose METADATA says 1.2.0rc1 must never pass as 1.2.0, so every step that accepts built
files (wheels --from-dir, upload, the workflow's download) reads them.
"""

from __future__ import annotations

import re
import tarfile
import zipfile
from collections.abc import Iterable
from email.parser import HeaderParser
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from release.errors import PreconditionError, decode_utf8

_WHEEL_METADATA = re.compile(r"^[^/]+\.dist-info/METADATA$")


class Unreadable(Exception):
    """The file is not the archive its name says, or holds no metadata."""


def read_metadata(path: Path) -> tuple[str, str]:
    """(Name, Version) from the file's METADATA (wheel) or PKG-INFO (sdist)."""
    text = _wheel_text(path) if path.name.endswith(".whl") else _sdist_text(path)
    headers = HeaderParser().parsestr(text)
    return str(headers.get("Name", "")), str(headers.get("Version", ""))


def _wheel_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            found = [name for name in archive.namelist() if _WHEEL_METADATA.match(name)]
            if len(found) != 1:
                raise Unreadable(f"{len(found)} .dist-info/METADATA files, expected 1")
            return decode_utf8(archive.read(found[0]), f"{path.name}:{found[0]}")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise Unreadable(f"not a zip archive ({exc})") from None


def _sdist_text(path: Path) -> str:
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            found = [m for m in archive.getmembers()
                     if m.isfile() and m.name.count("/") == 1 and m.name.endswith("/PKG-INFO")]
            handle = archive.extractfile(found[0]) if len(found) == 1 else None
            if handle is None:
                raise Unreadable(f"{len(found)} top-level PKG-INFO files, expected 1")
            return decode_utf8(handle.read(), f"{path.name}:{found[0].name}")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise Unreadable(f"not a gzip-compressed tar archive ({exc})") from None


def _same_version(found: str, version: str) -> bool:
    try:
        return Version(found) == Version(version) and found.strip() != ""
    except InvalidVersion:
        return False


def disagreements(paths: Iterable[Path], distribution: str, version: str) -> list[str]:
    """'FILE (its METADATA says NAME VERSION)' for each file whose metadata is not the release's."""
    wanted = canonicalize_name(distribution)
    problems = []
    for path in paths:
        try:
            name, found = read_metadata(path)
        except Unreadable as exc:
            problems.append(f"{path.name} ({exc})")
            continue
        if canonicalize_name(name) != wanted or not _same_version(found, version):
            kind = "METADATA" if path.name.endswith(".whl") else "PKG-INFO"
            problems.append(f"{path.name} (its {kind} says {name or '?'} {found or '?'})")
    return problems


def require_matching_metadata(paths: Iterable[Path], distribution: str, version: str,
                              where: str) -> None:
    """Every file's metadata names the release, or one error naming the files that do not."""
    problems = disagreements(paths, distribution, version)
    if problems:
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3
                                           else "")
        raise PreconditionError(
            f"{len(problems)} files in {where} are not {distribution} {version} inside, whatever "
            f"their names say: {shown}",
            hint="rebuild them from the release commit (the version in pyproject.toml must be "
                 f"{version}); never rename built files")
