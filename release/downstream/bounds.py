"""The lower and upper bound a requirement's specifiers put on a version.

The downstream rules compare bounds, not specifier strings: `numpy>=1.25,<3`, `numpy~=2.1` and
`numpy==2.2.*` all have a floor and a ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.specifiers import Specifier, SpecifierSet
from packaging.version import Version


@dataclass(frozen=True)
class Bounds:
    """`lower`: the oldest version allowed (None: no floor). `ceiling`: the first feature
    release no longer allowed (None: no ceiling), with the specifier that sets it."""

    lower: Version | None = None
    ceiling: Version | None = None
    ceiling_spec: str = ""

    def allows_series(self, series: str) -> bool:
        """True when some release of the feature series `series` (X.Y) is allowed."""
        start, after = Version(series), next_minor(Version(series))
        return (self.lower is None or self.lower < after) and \
            (self.ceiling is None or self.ceiling > start)


def next_minor(version: Version) -> Version:
    major, minor = (*version.release, 0)[:2]
    return Version(f"{major}.{minor + 1}")


def series_of(version: Version) -> str:
    major, minor = (*version.release, 0)[:2]
    return f"{major}.{minor}"


def bounds(specifier: SpecifierSet) -> Bounds:
    lower: Version | None = None
    ceiling: tuple[Version, str] | None = None
    for spec in specifier:
        floor, top = _one(spec)
        if floor is not None and (lower is None or floor > lower):
            lower = floor
        if top is not None and (ceiling is None or top < ceiling[0]):
            ceiling = (top, str(spec))
    return Bounds(lower, *(ceiling or (None, "")))


def _one(spec: Specifier) -> tuple[Version | None, Version | None]:
    op, text = spec.operator, spec.version
    if op in ("==", "===") and text.endswith(".*"):
        prefix = Version(text[:-2])
        release = prefix.release
        return prefix, Version(".".join(map(str, (*release[:-1], release[-1] + 1))))
    version = Version(text)
    if op in (">=", ">"):
        return version, None
    if op in ("==", "==="):
        return version, next_minor(version)
    if op == "~=":
        release = version.release
        top = Version(".".join(map(str, (*release[:-2], release[-2] + 1))))
        return version, top
    if op == "<":
        return None, version
    if op == "<=":
        return None, next_minor(version)
    return None, None  # != leaves the range open
