"""A downstream project's NumPy requirements, read from its pyproject.toml.

Only what the downstream guide's rules look at: the NumPy lines (and oldest-supported-numpy) of
`[build-system] requires`, `[project] dependencies` and `[project.optional-dependencies]`, each
with the line it is written on, and the project's NPY_TARGET_VERSION settings.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from release.downstream.bounds import bounds, series_of
from release.downstream.marker_pins import PinLine, find_value, located, parse_line
from release.downstream.npy_target import TargetSetting, find_targets
from release.errors import UsageError

_HINT = "pass a project's pyproject.toml or the directory holding it"


@dataclass(frozen=True)
class DownstreamProject:
    pyproject: Path
    build: tuple[PinLine, ...]  # numpy and oldest-supported-numpy in [build-system] requires
    runtime: tuple[PinLine, ...]  # numpy in [project] dependencies
    optional: tuple[PinLine, ...]  # numpy in [project.optional-dependencies]
    dynamic_dependencies: bool
    targets: tuple[TargetSetting, ...]
    requires_python: SpecifierSet | None = None

    @property
    def oldest_python(self) -> str | None:
        """requires-python's floor: `>=3.11` -> "3.11"."""
        if self.requires_python is None:
            return None
        floor = bounds(self.requires_python).lower
        return series_of(floor) if floor is not None else None

    def allows_python(self, python: str) -> bool:
        return self.requires_python is None or \
            self.requires_python.contains(f"{python}.0", prereleases=True)

    @property
    def builds_against_numpy(self) -> bool:
        """NumPy in the build requirements means the C API (directly, Cython, Pythran...)."""
        return bool(self.build)

    def numpy_build_lines(self) -> list[PinLine]:
        return [line for line in self.build if line.requirement.name.lower() == "numpy"]


def pyproject_path(path: Path) -> Path:
    """`path` itself, or the pyproject.toml in the directory `path`."""
    if path.is_dir():
        path = path / "pyproject.toml"
        if not path.is_file():
            raise UsageError(f"{path.parent} has no pyproject.toml", hint=_HINT)
    elif not path.is_file():
        raise UsageError(f"{path} does not exist", hint=_HINT)
    return path


def read_project(path: Path) -> DownstreamProject:
    pyproject = pyproject_path(path)
    try:
        text = pyproject.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"{pyproject} is not a pyproject.toml: {reason}", hint=_HINT) from None
    if "build-system" not in data and "project" not in data:
        raise UsageError(f"{pyproject} is not a pyproject.toml: it has neither [build-system] "
                         "nor [project]", hint=_HINT)
    build = _requirements(data.get("build-system", {}), "requires", "[build-system] requires",
                          pyproject.name, text)
    project = data.get("project", {})
    runtime = _requirements(project, "dependencies", "[project] dependencies", pyproject.name, text)
    optional: list[PinLine] = []
    extras = project.get("optional-dependencies", {})
    if not isinstance(extras, dict):
        raise UsageError(f"{pyproject}: [project.optional-dependencies] must be a table", hint=_HINT)
    for extra, _ in extras.items():
        optional += _requirements(extras, extra, f"[project.optional-dependencies] {extra}",
                                  pyproject.name, text)
    dynamic = "dependencies" in project.get("dynamic", [])
    return DownstreamProject(
        pyproject, tuple(r for r in build if r.package == "numpy"),
        tuple(r for r in runtime if r.requirement.name.lower() == "numpy"),
        tuple(r for r in optional if r.requirement.name.lower() == "numpy"),
        dynamic, tuple(find_targets(pyproject.parent)),
        _requires_python(project.get("requires-python"), pyproject))


def _requires_python(value: object, pyproject: Path) -> SpecifierSet | None:
    if value is None:
        return None
    try:
        return SpecifierSet(str(value))
    except InvalidSpecifier:
        raise UsageError(f"{pyproject.name}: requires-python {value!r} is not a version specifier",
                         hint="e.g. requires-python = \">=3.11\"") from None


def _requirements(table: dict[str, Any], key: str, label: str, filename: str,
                  text: str) -> list[PinLine]:
    values = table.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise UsageError(f"{filename}: {label} must be a list of strings", hint=_HINT)
    found, start = [], _list_start(text, label)
    for value in values:
        found.append(parse_line(value, located(filename, text, value, label, start)))
        at = find_value(text, value, start)
        start = at + len(value) if at >= 0 else start
    return found


def _list_start(text: str, label: str) -> int:
    """Where the list `label` names (`[project] dependencies`) begins in the file's text, so a
    requirement written in two lists is found in the right one; 0 when it cannot be told."""
    header, key = label.split("] ", 1)
    at = text.find(f"{header}]")
    if at < 0:
        return 0
    match = re.compile(rf'^\s*["\']?{re.escape(key)}["\']?\s*=', re.M).search(text, at)
    return match.start() if match else at
