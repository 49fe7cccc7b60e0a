"""A release's declared Python support against its support window.

Three declarations must agree with the policy and with each other: `requires-python`, the
`Programming Language :: Python :: 3.X` classifiers and the CPython wheels of the wheel matrix.
Every disagreement is a failed row naming the rule that makes it one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from release.checks.result import CheckResult
from release.errors import PreconditionError
from release.support.policy import PythonWindow
from release.support.python_releases import PythonRelease, python_releases
from release.wheels.matrix import Matrix

_CLASSIFIER_RE = re.compile(r"^Programming Language :: Python :: 3\.(\d+)$")
_MINORS = range(0, 41)


def py(minor: int) -> str:
    return f"3.{minor}"


def _spans(minors: list[int] | tuple[int, ...]) -> str:
    """`3.11-3.14` for a contiguous run, else the list."""
    if not minors:
        return "none"
    ordered = sorted(minors)
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{py(ordered[0])}-{py(ordered[-1])}"
    return ", ".join(py(m) for m in ordered)


@dataclass(frozen=True)
class Declared:
    """What a pyproject.toml and the wheel matrix say about Python versions."""

    where: str
    requires_python: str | None
    allowed: frozenset[int]
    classifiers: tuple[int, ...]
    wheels: tuple[int, ...]
    free_threaded: tuple[int, ...]
    wheels_source: str

    @property
    def lower(self) -> int | None:
        return min(self.allowed) if self.requires_python is not None and self.allowed else None

    def describe(self) -> str:
        wheels = _spans(self.wheels)
        if self.free_threaded:
            wheels += " (free-threaded " + _spans(self.free_threaded) + ")"
        return (f"requires-python {self.requires_python or '(none)'!s}; classifiers "
                f"{_spans(self.classifiers)}; CPython wheels {wheels} ({self.wheels_source})")


def read_declared(text: str, where: str, matrix: Matrix | None) -> Declared:
    """The Python declarations of a pyproject.toml text, with the matrix's CPython wheels."""
    try:
        project = tomllib.loads(text).get("project", {})
    except tomllib.TOMLDecodeError as exc:
        raise PreconditionError(f"{where} is not valid TOML: {exc}", hint="fix its syntax") from None
    raw = project.get("requires-python")
    allowed: frozenset[int] = frozenset(_MINORS)
    if raw is not None:
        try:
            spec = SpecifierSet(str(raw))
        except InvalidSpecifier:
            raise PreconditionError(f"{where}: requires-python {raw!r} is not a version specifier",
                                    hint='write e.g. requires-python = ">=3.12"') from None
        allowed = frozenset(m for m in _MINORS
                            if any(spec.contains(f"3.{m}.{p}", prereleases=True) for p in range(30)))
    classifiers = sorted({int(match[1]) for item in project.get("classifiers", [])
                          if (match := _CLASSIFIER_RE.match(str(item).strip()))})
    wheels: list[int] = []
    free: list[int] = []
    source = "no wheel matrix"
    if matrix is not None:
        source = matrix.source
        for interp in matrix.interpreters:
            if not interp.pypy:
                (free if interp.free_threaded else wheels).append(interp.minor)
    return Declared(where, None if raw is None else str(raw), allowed, tuple(classifiers),
                    tuple(sorted(set(wheels))), tuple(sorted(set(free))), source)


def _release_of(minor: int) -> PythonRelease | None:
    return next((r for r in python_releases() if r.minor == minor), None)


def _why_required(window: PythonWindow, release: PythonRelease) -> str:
    policy = window.policy
    until = policy.python_drop(release)
    return (f"which {policy.name} requires until {until} (released {release.released_text()}, "
            f"+ {policy.python_span})")


def requires_python_results(declared: Declared, window: PythonWindow) -> list[CheckResult]:
    area, policy = "requires-python", window.policy
    rule = f"{policy.name}: keep every Python released in the last {policy.python_span}"
    if declared.requires_python is None:
        return [CheckResult.fail(area, "declare requires-python",
                                 f"{declared.where} has no requires-python",
                                 f'requires-python = ">={window.minimum.version}"')]
    results = [
        CheckResult.fail(area, rule, f"requires-python {declared.requires_python!r} leaves out "
                                     f"Python {release.version}, {_why_required(window, release)}",
                         f'requires-python = ">={window.minimum.version}"')
        for release in window.required if release.minor not in declared.allowed
    ]
    if not results:
        results.append(CheckResult.ok(area, rule, f"{declared.requires_python!r} keeps "
                                      f"{_spans([r.minor for r in window.required])}"))
    lower = declared.lower
    dead = {r.minor: r for r in window.past_end_of_life}
    if lower is not None and lower in dead:
        results.append(CheckResult.warn(
            area, "CPython end of life", f"requires-python {declared.requires_python!r} still "
            f"admits Python {py(lower)}, past its end of life ({dead[lower].end_of_life_text()})",
            f'requires-python = ">={window.minimum.version}"'))
    elif lower is not None and _release_of(lower) is None and lower < python_releases()[0].minor:
        results.append(CheckResult.warn(
            area, "CPython end of life", f"requires-python {declared.requires_python!r} admits "
            f"Python {py(lower)}, older than every Python the toolkit knows (from "
            f"{python_releases()[0].version}) and past its end of life",
            f'requires-python = ">={window.minimum.version}"'))
    return results


def classifier_results(declared: Declared, window: PythonWindow) -> list[CheckResult]:
    area, policy = "classifiers", window.policy
    found = declared.classifiers
    if not found:
        return [CheckResult.warn(area, "classifiers name the Python versions",
                                 f"{declared.where} has no 'Programming Language :: Python :: 3.X' "
                                 "classifiers", "add one per supported Python version")]
    results = []
    gaps = [m for m in range(found[0], found[-1] + 1) if m not in found]
    if gaps:
        results.append(CheckResult.fail(
            area, "classifiers are one contiguous range", f"classifiers skip Python "
            f"{', '.join(py(m) for m in gaps)} (listed: {_spans(found)})",
            "add " + ", ".join(f"'Programming Language :: Python :: {py(m)}'" for m in gaps)))
    lower = declared.lower
    if lower is not None and found[0] != lower:
        results.append(CheckResult.fail(
            area, "the lowest classifier is requires-python's minimum",
            f"lowest classifier Python {py(found[0])}, requires-python {declared.requires_python!r} "
            f"starts at {py(lower)}", f"make both {py(max(found[0], lower))}"))
    excluded = [m for m in found if m not in declared.allowed]
    if excluded and declared.requires_python is not None:
        results.append(CheckResult.fail(
            area, "classifiers name only Pythons requires-python admits",
            f"classifiers name Python {', '.join(py(m) for m in excluded)}, which requires-python "
            f"{declared.requires_python!r} excludes", "remove those classifiers"))
    rule = f"{policy.name}: keep every Python released in the last {policy.python_span}"
    for release in window.required:
        if release.minor not in found:
            results.append(CheckResult.fail(
                area, rule, f"no classifier for Python {release.version}, "
                f"{_why_required(window, release)}",
                f"add 'Programming Language :: Python :: {release.version}'"))
    later = {r.minor: r for r in window.later}
    for minor in found:
        if minor in later:
            results.append(CheckResult.warn(
                area, "classifiers name released or next Pythons",
                f"classifier for Python {py(minor)}, due {later[minor].released_text()}, after "
                f"the next Python ({window.upcoming[0].version})", "remove it until its rc wheels"))
    if not results:
        results.append(CheckResult.ok(area, "classifiers agree", f"{_spans(found)}, contiguous, "
                                      "from requires-python's minimum"))
    return results


def wheel_results(declared: Declared, window: PythonWindow) -> list[CheckResult]:
    area, policy = "wheels", window.policy
    wheels = declared.wheels
    if not wheels:
        return [CheckResult.ok(area, "CPython wheels", f"none in {declared.wheels_source}; "
                                                       "nothing to compare")]
    results = []
    rule = f"{policy.name}: keep every Python released in the last {policy.python_span}"
    for release in window.required:
        if release.minor not in wheels:
            results.append(CheckResult.fail(
                area, rule, f"no cp3{release.minor} wheels in {declared.wheels_source} for Python "
                f"{release.version}, {_why_required(window, release)}",
                f"add cp3{release.minor} to [tool.release.wheels] python"))
    excluded = [m for m in (*wheels, *declared.free_threaded) if m not in declared.allowed]
    if excluded and declared.requires_python is not None:
        results.append(CheckResult.fail(
            area, "wheels only for Pythons requires-python admits",
            f"{declared.wheels_source} builds wheels for Python "
            f"{', '.join(py(m) for m in sorted(set(excluded)))}, which requires-python "
            f"{declared.requires_python!r} excludes (pip never installs them)",
            "drop them from [tool.release.wheels]"))
    if declared.classifiers:
        rule = "a classifier comes with the Python's first wheels"
        no_wheels = [m for m in declared.classifiers if m not in wheels]
        if no_wheels:
            results.append(CheckResult.fail(
                area, rule, "classifiers name Python " + ", ".join(py(m) for m in no_wheels)
                + f" but {declared.wheels_source} has no "
                + ", ".join(f"cp3{m}" for m in no_wheels) + " wheels",
                "add the wheels or remove the classifiers"))
        unnamed = [m for m in wheels if m not in declared.classifiers and m in declared.allowed]
        if unnamed:
            results.append(CheckResult.fail(
                area, rule, f"{declared.wheels_source} builds "
                + ", ".join(f"cp3{m}" for m in unnamed) + " wheels but no classifier names Python "
                + ", ".join(py(m) for m in unnamed),
                "add " + ", ".join(f"'Programming Language :: Python :: {py(m)}'" for m in unnamed)))
    if not results:
        results.append(CheckResult.ok(area, "wheels agree", f"CPython {_spans(wheels)} "
                                      f"({declared.wheels_source})"))
    return results


def patch_results(declared: Declared, previous: Declared | None, previous_tag: str) -> list[CheckResult]:
    """NEP 29: minimums change only in feature releases, never in a patch release."""
    area, rule = "patch release", "NEP 29: a patch release keeps the minimums"
    if previous is None:
        return [CheckResult.warn(area, rule, "no earlier release of this series to compare with",
                                 "tag the series' earlier releases or check by hand")]
    was, now = previous.lower, declared.lower
    if was != now:
        return [CheckResult.fail(
            area, rule, f"the minimum Python changes from {py(was) if was is not None else 'none'} "
            f"({previous_tag}) to {py(now) if now is not None else 'none'}",
            f"keep requires-python {previous.requires_python or '(none)'!s} until the next "
            "feature release")]
    return [CheckResult.ok(area, rule, f"minimum Python {py(now) if now is not None else 'none'}, "
                                       f"as in {previous_tag}")]
