"""Platform configurations (Python version x implementation x system x machine) as environment
markers see them.

A marker pin set is only right if exactly one of its lines applies on every configuration a build
can run on; these are the configurations it is checked against. The defaults come from the data
the toolkit ships: the CPython series not yet at end of life, and the NEP 57 platforms of the
wheel tiers.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from release.errors import UsageError
from release.support.python_releases import python_releases
from release.wheels.platform_tiers import platform_tiers

# What `platform.system()` says -> (`sys.platform`, `os.name`).
_SYSTEMS = {
    "Linux": ("linux", "posix"),
    "Darwin": ("darwin", "posix"),
    "Windows": ("win32", "nt"),
    "AIX": ("aix", "posix"),
    "FreeBSD": ("freebsd", "posix"),
    "OS400": ("os400", "posix"),
    "Emscripten": ("emscripten", "posix"),
}

# `platform_python_implementation` -> `implementation_name`.
_IMPLEMENTATIONS = {"CPython": "cpython", "PyPy": "pypy", "GraalVM": "graalpy"}

# NEP 57 platform keys -> (platform_system, platform_machine) as the interpreter reports them
# there (Windows says AMD64/ARM64/x86, macOS arm64, Linux aarch64).
_PLATFORM_MARKERS = {
    "manylinux_x86_64": ("Linux", "x86_64"),
    "musllinux_x86_64": ("Linux", "x86_64"),
    "manylinux_aarch64": ("Linux", "aarch64"),
    "musllinux_aarch64": ("Linux", "aarch64"),
    "manylinux_ppc64le": ("Linux", "ppc64le"),
    "manylinux_riscv64": ("Linux", "riscv64"),
    "manylinux_s390x": ("Linux", "s390x"),
    "manylinux_i686": ("Linux", "i686"),
    "macosx_x86_64-openblas": ("Darwin", "x86_64"),
    "macosx_x86_64-accelerate": ("Darwin", "x86_64"),
    "macosx_arm64-openblas": ("Darwin", "arm64"),
    "macosx_arm64-accelerate": ("Darwin", "arm64"),
    "win_amd64": ("Windows", "AMD64"),
    "win_arm64": ("Windows", "ARM64"),
    "win32": ("Windows", "x86"),
    "pyodide_wasm32": ("Emscripten", "wasm32"),
}

_T = TypeVar("_T")

_PYTHON_RE = re.compile(r"^3\.\d+$")
_PLATFORM_RE = re.compile(r"^([A-Za-z0-9]+)-([A-Za-z0-9_]+)$")


@dataclass(frozen=True, order=True)
class Configuration:
    """One place a requirement's marker is evaluated: `CPython 3.12 on Linux aarch64`."""

    implementation: str
    python: str
    system: str
    machine: str

    def environment(self) -> dict[str, str]:
        """Every marker variable, so nothing falls back to the machine running the check."""
        sys_platform, os_name = _SYSTEMS.get(self.system, (self.system.lower(), "posix"))
        full = f"{self.python}.0"
        return {
            "python_version": self.python,
            "python_full_version": full,
            "implementation_version": full,
            "implementation_name": _IMPLEMENTATIONS.get(self.implementation,
                                                        self.implementation.lower()),
            "platform_python_implementation": self.implementation,
            "platform_system": self.system,
            "platform_machine": self.machine,
            "sys_platform": sys_platform,
            "os_name": os_name,
            "platform_release": "",
            "platform_version": "",
            "extra": "",
        }

    @property
    def platform(self) -> str:
        return f"{self.system}-{self.machine}"

    def label(self) -> str:
        return f"{self.implementation} {self.python} on {self.system} {self.machine}"


@dataclass(frozen=True)
class Matrix:
    """The configurations to check and where their axes came from."""

    python: tuple[str, ...]
    platforms: tuple[tuple[str, str], ...]
    implementations: tuple[str, ...]
    source: str

    def configurations(self) -> list[Configuration]:
        return [Configuration(impl, python, system, machine)
                for impl in self.implementations
                for python in self.python
                for system, machine in self.platforms]

    def describe(self) -> str:
        platforms = ", ".join(f"{s}-{m}" for s, m in self.platforms)
        return (f"{len(self.configurations())} configurations: {'/'.join(self.implementations)} "
                f"{' '.join(self.python)} on {platforms} ({self.source})")


def supported_pythons(day: datetime.date) -> tuple[str, ...]:
    """The CPython series not at end of life on `day`, scheduled ones included: a build may
    run on any of them."""
    return tuple(r.version for r in python_releases() if not r.end_of_life_by(day))


def tier_platforms(tiers: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The (system, machine) pairs of the NEP 57 platforms in `tiers`, in the table's order."""
    wanted = set(tiers)
    found: list[tuple[str, str]] = []
    for platform in platform_tiers():
        pair = _PLATFORM_MARKERS.get(platform.key)
        if platform.tier in wanted and pair and pair not in found:
            found.append(pair)
    return tuple(found)


def parse_python(value: str, where: str) -> str:
    if not _PYTHON_RE.match(value):
        raise UsageError(f"{where}: {value!r} is not a Python feature version",
                         hint="write it as python_version is, e.g. 3.12")
    return value


def parse_platform(value: str, where: str) -> tuple[str, str]:
    match = _PLATFORM_RE.match(value)
    if not match or match[1] not in _SYSTEMS:
        raise UsageError(f"{where}: {value!r} is not a SYSTEM-MACHINE platform",
                         hint=f"e.g. Linux-aarch64, Darwin-arm64, Windows-AMD64; systems: "
                              f"{', '.join(_SYSTEMS)}")
    return match[1], match[2]


def parse_implementation(value: str, where: str) -> str:
    if value not in _IMPLEMENTATIONS:
        raise UsageError(f"{where}: {value!r} is not a Python implementation",
                         hint=f"one of {', '.join(_IMPLEMENTATIONS)} "
                              "(as platform_python_implementation says)")
    return value


def build_matrix(python: Sequence[str], platforms: Sequence[str], implementations: Sequence[str],
                 *, day: datetime.date, tiers: Iterable[str], source: str) -> Matrix:
    """A matrix from explicit axes; an empty axis takes the shipped data's default."""
    pythons = tuple(parse_python(v, f"{source} python") for v in python) or supported_pythons(day)
    pairs = (tuple(parse_platform(v, f"{source} platforms") for v in platforms)
             or tier_platforms(tiers))
    impls = tuple(parse_implementation(v, f"{source} implementations")
                  for v in implementations) or ("CPython",)
    ordered = sorted(_unique(pythons), key=lambda v: int(v.split(".")[1]))
    return Matrix(tuple(ordered), _unique(pairs), _unique(impls), source)


def _unique(items: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(items))
