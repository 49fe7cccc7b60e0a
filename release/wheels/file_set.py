"""Compare the files a release has (a directory, workflow artifacts, an index) with the matrix.

Every problem is reported by file name: missing files, files the matrix does not have, and files
of the right kind but for another version or another project.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from release.errors import VerificationError

if TYPE_CHECKING:
    from release.services.pypi import PackageIndex
    from release.version import ReleaseVersion
    from release.wheels.matrix import Matrix

DIST_SUFFIXES = (".whl", ".tar.gz")


def is_dist_file(name: str) -> bool:
    return name.endswith(DIST_SUFFIXES)


def is_never_uploaded(name: str) -> bool:
    """Pyodide/Emscripten wheels are built in CI but never go to PyPI (NEP 57 tier 3)."""
    return name.endswith(".whl") and ("wasm" in name or "pyodide" in name or "emscripten" in name)


def name_and_version(filename: str) -> tuple[str, Version] | None:
    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
            return name, version
        name, version = parse_sdist_filename(filename)
        return name, version
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None


@dataclass(frozen=True)
class FileSetReport:
    where: str
    expected: tuple[str, ...]
    missing: tuple[str, ...]
    unexpected: tuple[str, ...]
    wrong_version: tuple[str, ...]
    wrong_project: tuple[str, ...]
    ignored: tuple[str, ...]
    # what a file is, shown after a missing one's name (its platform and tier)
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.wrong_version or self.wrong_project)

    @property
    def found_expected(self) -> int:
        return len(self.expected) - len(self.missing)

    def problems(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(label, names) for label, names in (
            ("missing", self.missing),
            ("not in the matrix", self.unexpected),
            ("for another version", self.wrong_version),
            ("of another project", self.wrong_project),
        ) if names]

    def lines(self) -> list[str]:
        """The full report, one file per line, for stdout."""
        head = f"{self.where}: {self.found_expected} of {len(self.expected)} expected files"
        out = [head + (" - complete" if self.ok else "")]
        for label, names in self.problems():
            out.append(f"{label} ({len(names)}):")
            out += [f"  {name}  ({self.labels[name]})" if name in self.labels else f"  {name}"
                    for name in names]
        if self.ignored:
            out.append(f"ignored ({len(self.ignored)}, never uploaded): " + ", ".join(self.ignored))
        return out

    def summary(self) -> str:
        """One line naming the first few offending files of each kind."""
        parts = []
        for label, names in self.problems():
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            parts.append(f"{len(names)} {label} ({shown})")
        return f"{self.where} does not match the matrix: " + "; ".join(parts)

    def raise_for_problems(self, hint: str) -> None:
        if not self.ok:
            raise VerificationError(self.summary(), hint=hint)


def compare(
    where: str, expected: Iterable[str], found: Iterable[str], distribution: str, version: str,
    labels: Mapping[str, str] | None = None,
) -> FileSetReport:
    wanted = list(expected)
    wanted_set = set(wanted)
    have = sorted(set(found))
    project, release = canonicalize_name(distribution), Version(version)
    unexpected, other_version, other_project, ignored = [], [], [], []
    for name in have:
        if name in wanted_set:
            continue
        if not is_dist_file(name) or is_never_uploaded(name):
            ignored.append(name)
            continue
        parsed = name_and_version(name)
        if parsed is None:
            unexpected.append(name)
        elif parsed[0] != project:
            other_project.append(name)
        elif parsed[1] != release:
            other_version.append(name)
        else:
            unexpected.append(name)
    have_set = set(have)
    return FileSetReport(
        where=where,
        expected=tuple(wanted),
        missing=tuple(n for n in wanted if n not in have_set),
        unexpected=tuple(unexpected),
        wrong_version=tuple(other_version),
        wrong_project=tuple(other_project),
        ignored=tuple(ignored),
        labels=dict(labels or {}),
    )


def index_report(matrix: Matrix, version: ReleaseVersion, index: PackageIndex) -> FileSetReport:
    """What the index holds for this version (files of other versions are its history)."""
    held = index.files(matrix.distribution)
    wanted = Version(str(version))
    mine = [name for name in held if _version_of(name) in (wanted, None)]
    return compare(index.project_url(matrix.distribution), matrix.filenames(str(version)), mine,
                   matrix.distribution, str(version), labels=matrix.platform_labels(str(version)))


def _version_of(name: str) -> Version | None:
    parsed = name_and_version(name)
    return parsed[1] if parsed else None
