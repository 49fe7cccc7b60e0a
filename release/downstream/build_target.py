"""Which C API a downstream wheel targets, per Python, and the runtime floor that matches it.

A wheel for Python 3.N is built (in an isolated build) against the newest NumPy that the build
requirements allow and that installs on 3.N; it targets NPY_TARGET_VERSION when the project sets
one, else that NumPy's default. NumPy raises its default only when it drops the Python whose
first NumPy it names, so with the default a floor never falls below the target on a Python where
NumPy older than the target does not install; an explicit target is another matter.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from packaging.version import Version

from release.downstream.bounds import bounds, series_of
from release.downstream.marker_pins import PinLine
from release.downstream.numpy_releases import NumpyRelease, first_numpy_for_python, numpy_release, released_by
from release.downstream.platform_configs import Configuration, Matrix
from release.downstream.project import DownstreamProject
from release.support.python_releases import python_releases


@dataclass(frozen=True)
class Target:
    """The C API a build targets and what says so."""

    series: str
    source: str


@dataclass(frozen=True)
class FloorGap:
    """On Python `python` the floor lets NumPy `floor` install, older than the target."""

    python: str
    floor: Version
    target: Target


def installs(series: str, python: str) -> bool:
    """Whether NumPy `series` has wheels for Python `python`, as far as the data knows."""
    first = first_numpy_for_python(python)
    release = numpy_release(series)
    return (first is None or Version(series) >= Version(first)) and \
        (release is None or Version(release.requires_python) <= Version(python))


def line_pythons(line: PinLine, project: DownstreamProject, matrix: Matrix) -> list[str]:
    """The Python series a line applies on: those requires-python allows (the known series and
    requires-python's own floor) where its marker holds on some platform of the matrix."""
    known = {r.version for r in python_releases()} | (
        {project.oldest_python} if project.oldest_python else set())
    platforms = matrix.platforms or (("Linux", "x86_64"),)
    return [python for python in sorted(known, key=Version)
            if project.allows_python(python)
            and any(line.applies(Configuration("CPython", python, system, machine))
                    for system, machine in platforms)]


def build_numpy(project: DownstreamProject, day: datetime.date, matrix: Matrix,
                python: str | None = None) -> NumpyRelease | None:
    """The newest feature release out on `day` a build may pick: one a build line allows and,
    given `python`, that installs there with a build line that applies there."""
    for release in reversed(released_by(day)):
        for line in project.numpy_build_lines():
            if not bounds(line.requirement.specifier).allows_series(release.version):
                continue
            if python is None or (installs(release.version, python)
                                  and python in line_pythons(line, project, matrix)):
                return release
    return None


def build_target(project: DownstreamProject, day: datetime.date, matrix: Matrix,
                 python: str | None = None) -> Target | None:
    explicit = [t for t in project.targets if t.series or t.own_version]
    if explicit and explicit[0].series:
        return Target(explicit[0].series, f"NPY_TARGET_VERSION at {explicit[0].where}")
    newest = build_numpy(project, day, matrix, python)
    if newest is None:
        return None
    on = f" for Python {python}" if python else ""
    if explicit:
        return Target(newest.version, f"NPY_API_VERSION at {explicit[0].where}: NumPy "
                                      f"{newest.version}, the newest the build may pick{on} on {day}")
    return Target(newest.default_target, f"the default of NumPy {newest.version}, the newest the "
                                         f"build may pick{on} on {day}")


def floor_gap(project: DownstreamProject, day: datetime.date, matrix: Matrix, line: PinLine,
              floor: Version) -> FloorGap | None:
    """The first Python the line applies on where NumPy older than the target can install."""
    for python in line_pythons(line, project, matrix):
        target = build_target(project, day, matrix, python)
        if target is None:
            continue
        first = first_numpy_for_python(python)
        effective = max(floor, Version(first)) if first else floor
        if Version(series_of(effective)) < Version(target.series):
            return FloorGap(python, floor, target)
    return None


def needed_floor(project: DownstreamProject, day: datetime.date, matrix: Matrix,
                 pythons: Sequence[str]) -> str | None:
    """The lowest floor that matches the target on every one of `pythons`."""
    needed: list[str] = []
    for python in pythons:
        target = build_target(project, day, matrix, python)
        if target is None:
            continue
        first = first_numpy_for_python(python)
        if first is None or Version(first) < Version(target.series) or not needed:
            needed.append(target.series)
    return max(needed, key=Version) if needed else None
