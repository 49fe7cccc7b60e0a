"""Marker pin sets: requirement lines whose environment markers choose one pin per platform.

oldest-supported-numpy's style (`numpy==1.19.3; python_version=='3.9' and ...`) only works when
exactly one line applies on every platform configuration: two lines and pip fails to resolve (or
picks one silently), none and the package is not installed at all. Both happen only on the
configuration concerned, which CI rarely runs, so the set is checked here against a whole matrix.
"""

from __future__ import annotations

import configparser
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion

from release.downstream.platform_configs import Configuration, Matrix
from release.errors import UsageError

# Requirements that stand for a NumPy pin in a build environment.
_PROVIDES = {"oldest-supported-numpy": "numpy"}


@dataclass(frozen=True)
class PinLine:
    """One requirement as written, with where it was written."""

    where: str
    text: str
    requirement: Requirement

    @property
    def package(self) -> str:
        """The package this line pins (oldest-supported-numpy pins numpy)."""
        name = canonicalize_name(self.requirement.name)
        return _PROVIDES.get(name, name)

    def pin(self) -> str:
        """The requirement without its marker: `numpy==1.19.3`."""
        return f"{self.requirement.name}{self.requirement.specifier}"

    def applies(self, configuration: Configuration) -> bool:
        marker = self.requirement.marker
        try:
            return marker is None or marker.evaluate(configuration.environment())
        except (UndefinedComparison, UndefinedEnvironmentName, InvalidVersion) as exc:
            raise UsageError(f"{self.where}: the marker of {self.text} cannot be evaluated on "
                             f"{configuration.label()}: {exc}",
                             hint="compare versions with versions (python_full_version ~= '3.12.0')"
                             ) from None

    def exact(self) -> str | None:
        """The version of an `==X` pin (no wildcard), else None."""
        specs = list(self.requirement.specifier)
        if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
            return specs[0].version
        return None


@dataclass(frozen=True)
class Overlap:
    """Several lines for one package apply on these configurations."""

    package: str
    lines: tuple[PinLine, ...]
    configurations: tuple[Configuration, ...]

    @property
    def conflict(self) -> bool:
        """True when no version satisfies all the lines (pip cannot resolve)."""
        for line in self.lines:
            version = line.exact()
            if version is None:
                continue
            if not all(other.requirement.specifier.contains(version, prereleases=True)
                       for other in self.lines):
                return True
        return False


@dataclass(frozen=True)
class Gap:
    """No line for the package applies on these configurations."""

    package: str
    configurations: tuple[Configuration, ...]


@dataclass(frozen=True)
class PinSetReport:
    lines: tuple[PinLine, ...]
    matrix: Matrix
    overlaps: tuple[Overlap, ...]
    gaps: tuple[Gap, ...]

    @property
    def clean(self) -> bool:
        return not self.overlaps and not self.gaps


def parse_line(text: str, where: str) -> PinLine:
    """A PEP 508 requirement, or a one-line error naming where it was written."""
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        reason = str(exc).strip().splitlines()[0]
        raise UsageError(f"{where}: {text} is not a valid requirement: {reason}",
                         hint="write it as PEP 508 says, e.g. "
                              "numpy==1.19.3; python_version=='3.9' and platform_machine=='aarch64'"
                         ) from None
    return PinLine(where, text, requirement)


def lines_from_text(text: str, source: str) -> list[PinLine]:
    """A requirements-style list: one requirement a line, `#` comments, blank lines."""
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw)
        if line:
            found.append(parse_line(line, f"{source}:{number}"))
    return found


def read_pin_set(path: Path) -> list[PinLine]:
    """Lines from a requirements file, a setup.cfg's `[options] install_requires` (as
    oldest-supported-numpy keeps them) or a pyproject.toml's `[build-system] requires`."""
    if not path.is_file():
        raise UsageError(f"pin set {path} does not exist",
                         hint="pass a requirements file, a setup.cfg or a pyproject.toml")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"pin set {path} is not a text file",
                         hint="pass a requirements file, a setup.cfg or a pyproject.toml") from None
    if path.name == "setup.cfg":
        return _from_setup_cfg(text, path)
    if path.suffix == ".toml":
        return _from_pyproject(text, path)
    return lines_from_text(text, path.name)


def _from_setup_cfg(text: str, path: Path) -> list[PinLine]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        raise UsageError(f"{path} is not a valid setup.cfg: {str(exc).splitlines()[0]}",
                         hint="fix its syntax") from None
    if not parser.has_option("options", "install_requires"):
        raise UsageError(f"{path} has no [options] install_requires",
                         hint="the pin set is read from there, as oldest-supported-numpy keeps it")
    value = parser.get("options", "install_requires")
    return [parse_line(line, located(path.name, text, line))
            for line in map(_strip_comment, value.splitlines()) if line]


def _from_pyproject(text: str, path: Path) -> list[PinLine]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} is not valid TOML: {exc}", hint="fix its syntax") from None
    requires = data.get("build-system", {}).get("requires")
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        raise UsageError(f"{path} has no [build-system] requires list",
                         hint="the pin set is read from there")
    return [parse_line(r, located(path.name, text, r, "[build-system] requires")) for r in requires]


def located(filename: str, text: str, value: str, label: str = "", start: int = 0) -> str:
    """`pyproject.toml:12 [build-system] requires`: where `value` is first written in `text` at
    or after `start` (quoted, else as it is), or the file and label alone when it is not found."""
    at = find_value(text, value, start)
    place = f"{filename}:{text.count(chr(10), 0, at) + 1}" if at >= 0 else filename
    return f"{place} {label}".strip()


def find_value(text: str, value: str, start: int = 0) -> int:
    """The offset of `value` (quoted, else as it is) at or after `start`, or -1."""
    for form in (f'"{value}"', f"'{value}'", value):
        at = text.find(form, start)
        if at >= 0:
            return at
    return -1


def _strip_comment(line: str) -> str:
    return line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""


def check_pin_set(lines: Sequence[PinLine], matrix: Matrix,
                  packages: Iterable[str] | None = None) -> PinSetReport:
    """Every configuration of `matrix` against the lines of each package (all the set's
    packages unless `packages` names some): overlaps and gaps, grouped by the lines involved."""
    wanted = list(dict.fromkeys(packages or (line.package for line in lines)))
    overlaps: dict[tuple[str, tuple[int, ...]], list[Configuration]] = defaultdict(list)
    gaps: dict[str, list[Configuration]] = defaultdict(list)
    for configuration in matrix.configurations():
        for package in wanted:
            applying = tuple(i for i, line in enumerate(lines)
                             if line.package == package and line.applies(configuration))
            if not applying:
                gaps[package].append(configuration)
            elif len(applying) > 1:
                overlaps[package, applying].append(configuration)
    return PinSetReport(
        tuple(lines), matrix,
        tuple(Overlap(package, tuple(lines[i] for i in index), tuple(configs))
              for (package, index), configs in sorted(overlaps.items())),
        tuple(Gap(package, tuple(configs)) for package, configs in gaps.items()),
    )


def describe_configurations(configurations: Iterable[Configuration]) -> str:
    """`CPython 3.12, 3.13 on Linux aarch64; CPython 3.12 on Darwin arm64`: one group per
    implementation and platform, the Python versions inside it."""
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for config in configurations:
        groups[config.implementation, config.system, config.machine].append(config.python)
    return "; ".join(f"{impl} {', '.join(pythons)} on {system} {machine}"
                     for (impl, system, machine), pythons in groups.items())
