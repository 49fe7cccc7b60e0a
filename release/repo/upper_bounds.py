"""Upper bounds a new maintenance branch pins, by SciPy's rules (its `pyproject.toml` comments
and the core-dev guide's "Version ranges for NumPy and other dependencies").

A build requirement gets `<X.(Y+1).0`, where X.Y.Z is its newest release on the index (micro
releases stay allowed); NumPy, at build and at run time, gets `<2.(N+3)` where 2.N is the newest
NumPy feature release, and the package's `np_maxversion` says `2.(N+3).0`. A requirement that
already has an upper bound is left as it is. Lines are edited in place, so comments stay.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from release.errors import PreconditionError

_UPPER = ("<", "<=", "==", "===", "~=")
_NP_MAX = re.compile(r"^(np_maxversion\s*=\s*)(['\"])([^'\"]*)\2", re.MULTILINE)


@dataclass(frozen=True)
class Pin:
    """One requirement's new text and why."""

    table: str  # "build-system.requires" or "project.dependencies"
    old: str
    new: str
    reason: str


def numpy_ceiling(newest_numpy: str) -> Version:
    """`<2.(N+3)`: NumPy deprecations last two releases, both projects release twice a year."""
    major, minor = Version(newest_numpy).release[:2]
    return Version(f"{major}.{minor + 3}")


def next_minor(version: Version) -> Version:
    major, minor = (*version.release, 0)[:2]
    return Version(f"{major}.{minor + 1}.0")


def requirements(pyproject: str, where: str) -> list[tuple[str, str]]:
    """(table, requirement string) for every build and run-time requirement."""
    try:
        data = tomllib.loads(pyproject)
    except tomllib.TOMLDecodeError as exc:
        raise PreconditionError(f"{where} is not valid TOML: {exc}", hint="fix it first") from None
    found = [("build-system.requires", str(r)) for r in data.get("build-system", {}).get("requires", [])]
    found += [("project.dependencies", str(r)) for r in data.get("project", {}).get("dependencies", [])]
    return found


def unbounded(pyproject: str, where: str) -> list[tuple[str, str, Requirement]]:
    """(table, text as written, parsed) for the requirements without an upper bound."""
    result = []
    for table, text in requirements(pyproject, where):
        try:
            req = Requirement(text)
        except InvalidRequirement as exc:
            raise PreconditionError(f"{where}: {table} has {text!r}, not a requirement ({exc})",
                                    hint="fix the requirement by hand") from None
        if not any(spec.operator in _UPPER for spec in req.specifier):
            result.append((table, text, req))
    return result


def pins(pyproject: str, where: str, *, newest_numpy: str,
         newest: Callable[[str], Version | None]) -> list[Pin]:
    """The new text of every unbounded requirement; `newest(name)` is its newest release on the
    index (None: the index has none, which is an error naming it)."""
    result = []
    for table, old, req in unbounded(pyproject, where):
        if canonicalize_name(req.name) == "numpy":
            ceiling = numpy_ceiling(newest_numpy)
            reason = f"NumPy {newest_numpy} is the newest feature release; 3 more are allowed"
            bound = f"{ceiling.major}.{ceiling.minor}"
        else:
            found = newest(req.name)
            if found is None:
                raise PreconditionError(
                    f"{where}: no release of {req.name} on the index to set its upper bound from",
                    hint="pass --index-url (an index holding it), or bound it by hand first")
            bound = str(next_minor(found))
            reason = f"{found} is its newest release"
        result.append(Pin(table, old, _with_bound(old, bound), reason))
    return result


def _with_bound(text: str, bound: str) -> str:
    """`numpy>=2.0.0` -> `numpy>=2.0.0,<2.8` (before any `; marker`)."""
    spec, sep, marker = text.partition(";")
    joiner = "," if re.search(r"[<>=!~]", spec) else ""
    space = spec[len(spec.rstrip()):]
    return f"{spec.rstrip()}{joiner}<{bound}{space}" + (f"{sep}{marker}" if sep else "")


def apply_pins(pyproject: str, found: list[Pin], where: str) -> str:
    """`pyproject` with each pinned requirement's quoted string replaced where it stands."""
    text = pyproject
    for pin in found:
        quoted = re.compile(r"([\"'])" + re.escape(pin.old) + r"\1")
        match = quoted.search(text)
        if match is None:
            raise PreconditionError(f"{where}: cannot find {pin.old!r} written as one string",
                                    hint="set its upper bound by hand")
        q = match[1]
        text = text[:match.start()] + f"{q}{pin.new}{q}" + text[match.end():]
    return text


def np_maxversion(init_text: str, newest_numpy: str) -> str | None:
    """The package's `__init__.py` with `np_maxversion = '2.(N+3).0'`, or None when it has no
    such line."""
    ceiling = numpy_ceiling(newest_numpy)
    if _NP_MAX.search(init_text) is None:
        return None
    return _NP_MAX.sub(lambda m: f"{m[1]}{m[2]}{ceiling}.0{m[2]}", init_text, count=1)
