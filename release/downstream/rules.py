"""The downstream guide's rules for depending on NumPy, applied to a project's requirements.

NumPy's "For downstream package authors" guide: build against NumPy >= 2.0 so one wheel runs on
1.x and 2.x; state a runtime floor no older than the C API the build targets and follow NEP 29's
support window; set no upper bound, or one at least three feature releases ahead;
oldest-supported-numpy is for NumPy 1.x builds only. Each finding names its rule and says the
guide's reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace

from packaging.version import Version

from release.downstream.bounds import Bounds, bounds, series_of
from release.downstream.build_target import floor_gap, installs, line_pythons, needed_floor
from release.downstream.marker_pins import PinLine, PinSetReport, check_pin_set, describe_configurations
from release.downstream.numpy_releases import NumpyRelease, first_numpy_for_python, numpy_release, released_by
from release.downstream.platform_configs import Matrix
from release.downstream.project import DownstreamProject

NUMPY_2 = Version("2.0.0rc1")
NEP29_DAYS = 365 * 2 + 1  # NEP 29's `plus24 = timedelta(days=int(365*2 + 1))`
NEP29_MINIMUM = 3

REASONS = {
    "build-against-numpy-2": "wheels built against NumPy 1.x fail to import on NumPy 2, while "
                             "wheels built against NumPy 2 run on 1.x and 2.x alike",
    "oldest-supported-numpy": "it makes builds use NumPy 1.x, whose wheels break on NumPy 2; since "
                              "1.25 NumPy targets an old C API by default, so build against "
                              "numpy>=2.0 instead",
    "runtime-lower-bound": "a wheel built against NumPy 2 runs on 1.x only back to the C API it "
                           "targets, so the runtime requirement has to say where that is",
    "below-build-target": "an extension refuses to import on a NumPy older than the C API it was "
                          "built for (NPY_TARGET_VERSION, else the building NumPy's default)",
    "target-above-build": "NumPy's headers refuse a target newer than themselves, so every NumPy "
                          "the build may pick must be at least the target",
    "target-consistent": "the target must be the same for every extension module",
    "support-window": "the guide asks projects to follow NEP 29, which keeps every NumPy feature "
                      "release of the last 24 months (at least three) supported",
    "floor-vs-python": "the floor has to install on the oldest Python the project supports, and "
                       "the guide asks for a CI job testing exactly that NumPy",
    "upper-bound": "NumPy keeps backward compatibility, so most projects need no upper bound; "
                   "a tighter one than three feature releases past the current NumPy (or the "
                   "next major, for C-API users) stops installs next to newer packages",
    "one-pin-per-configuration": "exactly one pin of a package must apply on every platform "
                                 "configuration, or the build fails or pip refuses to install there",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    where: str
    message: str

    @property
    def line(self) -> str:
        """The finding in one line: what is wrong, then the guide's reason."""
        return f"{self.message}: {REASONS[self.rule]}"


def check_project(project: DownstreamProject, day: datetime.date, matrix: Matrix) -> list[Finding]:
    found = oldest_supported(project.build + project.runtime + project.optional)
    matrix = replace(matrix, python=tuple(p for p in matrix.python if project.allows_python(p)))
    found += build_numpy_2(project, matrix)
    if len(project.build) > 1 or any(line.requirement.marker for line in project.build):
        found += pin_set_findings(check_pin_set(project.build, matrix, ["numpy"]))
    found += target_findings(project)
    found += runtime_findings(project, day, matrix)
    return found


def oldest_supported(lines: Iterable[PinLine]) -> list[Finding]:
    return [Finding("oldest-supported-numpy", line.where, f"{line.text} is obsolete for NumPy 2 builds")
            for line in lines if line.requirement.name.lower() == "oldest-supported-numpy"]


def build_numpy_2(project: DownstreamProject, matrix: Matrix) -> list[Finding]:
    """Build lines that allow NumPy 1.x, except those only for Pythons NumPy 2 never supported."""
    found = []
    for line in project.numpy_build_lines():
        lower = bounds(line.requirement.specifier).lower
        if not any(installs("2.0", python) for python in line_pythons(line, project, matrix)):
            continue
        if lower is None or lower < NUMPY_2:
            found.append(Finding("build-against-numpy-2", line.where,
                                 f"{line.text} lets the build use NumPy 1.x; require numpy>=2.0"))
    return found


def pin_set_findings(report: PinSetReport) -> list[Finding]:
    found = []
    for overlap in report.overlaps:
        texts = " and ".join(f"{line.where.split(' ')[0]} ({line.pin()})" for line in overlap.lines)
        verdict = "conflict" if overlap.conflict else "both apply"
        found.append(Finding("one-pin-per-configuration",
                             "; ".join(line.where for line in overlap.lines),
                             f"overlap: {texts} {verdict} on "
                             f"{describe_configurations(overlap.configurations)}"))
    for gap in report.gaps:
        found.append(Finding("one-pin-per-configuration", f"no {gap.package} line",
                             f"gap: no {gap.package} line applies on "
                             f"{describe_configurations(gap.configurations)}"))
    return found


def target_findings(project: DownstreamProject) -> list[Finding]:
    found = []
    values = {t.value for t in project.targets}
    if len(values) > 1:
        found.append(Finding("target-consistent", "; ".join(t.where for t in project.targets),
                             f"NPY_TARGET_VERSION is set to {', '.join(sorted(values))}"))
    explicit = next((t for t in project.targets if t.series), None)
    lines = project.numpy_build_lines()
    floors = [bounds(line.requirement.specifier).lower for line in lines]
    if explicit and explicit.series and lines and all(floors):
        oldest = min(f for f in floors if f is not None)
        if Version(series_of(oldest)) < Version(explicit.series):
            found.append(Finding(
                "target-above-build", explicit.where,
                f"NPY_TARGET_VERSION {explicit.value} needs NumPy {explicit.series}'s headers but "
                f"the build may use NumPy {oldest}; require numpy>={explicit.series} to build"))
    return found


def runtime_findings(project: DownstreamProject, day: datetime.date,
                     matrix: Matrix) -> list[Finding]:
    found: list[Finding] = []
    if project.builds_against_numpy and not project.dynamic_dependencies:
        found += _floor_findings(project, day, matrix)
    for line in project.runtime + project.optional:
        limits = bounds(line.requirement.specifier)
        pythons = line_pythons(line, project, matrix)
        restricted = project.requires_python is not None or line.requirement.marker is not None
        found += _window(line, limits, day, pythons)
        found += _python(line, limits, pythons[0] if restricted and pythons else None)
        found += _ceiling(line, limits, day)
    return found


def _python(line: PinLine, limits: Bounds, python: str | None) -> list[Finding]:
    """The floor's NumPy against the oldest Python the line applies on, both ways."""
    if limits.lower is None or python is None:
        return []
    series = series_of(limits.lower)
    first = first_numpy_for_python(python)
    if first and Version(series) < Version(first):
        return [Finding("floor-vs-python", line.where,
                        f"{line.text} names NumPy {series}, which has no wheels for Python {python} "
                        f"(the oldest Python it applies on; NumPy {first} is the first that has)")]
    release = numpy_release(series)
    if release and Version(release.requires_python) > Version(python):
        return [Finding("floor-vs-python", line.where,
                        f"{line.text} needs Python {release.requires_python} or newer (NumPy "
                        f"{series}'s requires-python) but applies on Python {python}")]
    return []


def _floor_findings(project: DownstreamProject, day: datetime.date, matrix: Matrix) -> list[Finding]:
    if not project.runtime:
        floor = needed_floor(project, day, matrix, matrix.python)
        return [Finding("runtime-lower-bound", f"{project.pyproject.name} [project] dependencies",
                        "numpy is a build requirement but not a runtime dependency; add "
                        + (f"numpy>={floor}" if floor else "a numpy>= floor"))]
    found = []
    for line in project.runtime:
        lower = bounds(line.requirement.specifier).lower
        if lower is None:
            floor = needed_floor(project, day, matrix, line_pythons(line, project, matrix))
            found.append(Finding("runtime-lower-bound", line.where,
                                 f"{line.text} has no lower bound; add "
                                 + (f"numpy>={floor}" if floor else "a numpy>= floor")))
            continue
        gap = floor_gap(project, day, matrix, line, lower)
        if gap:
            found.append(Finding(
                "below-build-target", line.where,
                f"{line.text} lets NumPy {lower} install on Python {gap.python}, but a wheel built "
                f"there targets NumPy {gap.target.series}'s C API ({gap.target.source}); raise it "
                f"to numpy>={gap.target.series}"))
    return found


def nep29_series(day: datetime.date) -> list[NumpyRelease]:
    """The feature releases NEP 29 says to support on `day`: those of the prior 24 months,
    and at least the three newest."""
    out = released_by(day)
    recent = [r for r in out if r.released + datetime.timedelta(days=NEP29_DAYS) > day]
    return list(out[-NEP29_MINIMUM:]) if len(recent) < NEP29_MINIMUM else recent


def _window(line: PinLine, limits: Bounds, day: datetime.date,
            pythons: list[str]) -> list[Finding]:
    """Feature releases NEP 29 still covers that the floor leaves out, counting only those that
    install on a Python the line applies on (a floor for 3.13 need not name NumPy 2.0)."""
    required = nep29_series(day)
    if limits.lower is None or not required:
        return []
    left_out = [r.version for r in required if not limits.allows_series(r.version)
                and Version(r.version) < limits.lower
                and any(installs(r.version, python) for python in pythons)]
    if not left_out:
        return []
    return [Finding("support-window", line.where,
                    f"{line.text} leaves out NumPy {', '.join(left_out)}, still supported on {day} "
                    f"(NEP 29: {required[0].version} and newer)")]


def _ceiling(line: PinLine, limits: Bounds, day: datetime.date) -> list[Finding]:
    out = released_by(day)
    if limits.ceiling is None or not out:
        return []
    current = Version(out[-1].version)
    major, minor = current.release[:2]
    advised = Version(f"{major}.{minor + 3}")
    if limits.ceiling >= advised or limits.ceiling == Version(str(major + 1)):
        return []
    return [Finding("upper-bound", line.where,
                    f"{line.text} stops at {limits.ceiling_spec} while NumPy {current} is current; "
                    f"drop it or use <{advised} at the tightest")]
