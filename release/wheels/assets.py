"""The files a GitHub release carries, and how the ones on GitHub compare with them.

NumPy attaches exactly three: the sdist (the one on PyPI), `release/README.rst` (the notes) and
the changelog. SciPy attaches the sdist, `README.txt` (the notes, then the md5 and sha256 of every
file the release put on PyPI, as its tools/release/write_release_and_log.py writes them; the
`checksums` kind) and `Changelog` (`git log` of the release's range; the `log` kind). Which kinds
a project attaches is `[tool.release.github] release_assets`.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

from packaging.utils import canonicalize_name

from release.errors import ConfigError, PreconditionError

ASSET_KINDS = ("sdist", "readme", "changelog", "notes", "checksums", "log")


@dataclass(frozen=True)
class LocalAsset:
    """One file to attach: its name on GitHub, its bytes, and where it came from."""

    kind: str
    name: str
    data: bytes
    source: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class RemoteAsset:
    """An asset as GitHub reports it; `sha256` comes from its `digest` (None if GitHub has none)."""

    id: int
    name: str
    size: int
    sha256: str | None
    state: str = "uploaded"


@dataclass(frozen=True)
class AssetComparison:
    keep: tuple[LocalAsset, ...]
    upload: tuple[LocalAsset, ...]
    replace: tuple[tuple[RemoteAsset, LocalAsset], ...]
    extra: tuple[RemoteAsset, ...]

    @property
    def in_order(self) -> bool:
        return not (self.upload or self.replace or self.extra)

    def problems(self) -> list[str]:
        found = [f"{local.name} is missing" for local in self.upload]
        found += [f"{remote.name} differs ({_difference(remote, local)})"
                  for remote, local in self.replace]
        found += [f"{remote.name} should not be there" for remote in self.extra]
        return found


def compare(local: Iterable[LocalAsset], remote: Iterable[RemoteAsset]) -> AssetComparison:
    """Match by name; an asset is right only when fully uploaded with the same size and sha256."""
    by_name = {asset.name: asset for asset in remote}
    keep, upload, replace = [], [], []
    for asset in local:
        there = by_name.pop(asset.name, None)
        if there is None:
            upload.append(asset)
        elif _difference(there, asset):
            replace.append((there, asset))
        else:
            keep.append(asset)
    return AssetComparison(tuple(keep), tuple(upload), tuple(replace), tuple(by_name.values()))


def _difference(remote: RemoteAsset, local: LocalAsset) -> str:
    if remote.state != "uploaded":
        return f"upload incomplete: state {remote.state}"
    if remote.size != local.size:
        return f"{remote.size} bytes on GitHub, {local.size} here"
    if remote.sha256 is None:
        return "GitHub reports no sha256 digest"
    if remote.sha256 != local.sha256:
        return f"sha256 {remote.sha256[:12]}… on GitHub, {local.sha256[:12]}… here"
    return ""


def check_kinds(kinds: Iterable[str]) -> None:
    for kind in kinds:
        if kind not in ASSET_KINDS:
            raise ConfigError(f"unknown release asset kind {kind!r} in [tool.release.github] "
                              "release_assets", hint=f"use some of: {', '.join(ASSET_KINDS)}")


def find_sdist(dist_dir: Path, name: str) -> Path:
    path = dist_dir / name
    if not path.is_file():
        raise PreconditionError(
            f"{name} is not in {dist_dir}",
            hint="download the sdist from the package index (the same file as there), or pass "
                 "--sdist PATH",
        )
    return path


def read_sdist(path: Path, name: str, project_name: str, version: str) -> LocalAsset:
    """The sdist, after checking it is the release's: a gzip tarball whose PKG-INFO says so."""
    if not path.is_file():
        raise PreconditionError(f"the sdist {path} does not exist", hint="check --sdist or --dist")
    if path.name != name:
        raise PreconditionError(f"the sdist is named {path.name}, expected {name}",
                                hint="pass the sdist of this release")
    data = path.read_bytes()
    found_name, found_version = _pkg_info(data, path)
    if found_version != version or canonicalize_name(found_name) != canonicalize_name(project_name):
        raise PreconditionError(
            f"{path.name} holds {found_name} {found_version}, not {project_name} {version}",
            hint="pass the sdist of this release",
        )
    return LocalAsset("sdist", name, data, str(path))


def _pkg_info(data: bytes, path: Path) -> tuple[str, str]:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            members = [m for m in archive.getmembers()
                       if m.isfile() and m.name.count("/") == 1 and m.name.endswith("/PKG-INFO")]
            if not members:
                raise PreconditionError(f"{path.name} has no top-level PKG-INFO",
                                        hint="pass a real sdist (python -m build --sdist)")
            handle = archive.extractfile(members[0])
            text = handle.read().decode("utf-8") if handle else ""
    except (tarfile.TarError, OSError, EOFError):
        raise PreconditionError(f"{path} is not a gzip-compressed tar archive",
                                hint="pass the .tar.gz sdist") from None
    headers = HeaderParser().parsestr(text)
    return str(headers.get("Name", "")), str(headers.get("Version", ""))


@dataclass(frozen=True)
class Checksummed:
    """One distribution file in a README's checksums."""

    name: str
    md5: str
    sha256: str


def checksums(paths: Iterable[Path]) -> list[Checksummed]:
    """md5 and sha256 of each file, in file-name order (as SciPy's README lists them)."""
    found = []
    for path in sorted(paths, key=lambda p: p.name):
        data = path.read_bytes()
        found.append(Checksummed(path.name, hashlib.md5(data, usedforsecurity=False).hexdigest(),
                                 hashlib.sha256(data).hexdigest()))
    return found
