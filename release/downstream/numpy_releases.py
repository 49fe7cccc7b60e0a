"""NumPy feature releases and their C-API targets, from `release/data/numpy_releases.toml`.

Downstream checks need both: support windows count from a release's date, and an extension
built against NumPy X.Y runs only on NumPy versions whose C API is at least the one it targets.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from packaging.version import Version


@dataclass(frozen=True)
class NumpyRelease:
    """One feature release: `2.3`, tagged 2025-06-07, building for NumPy 1.23's C API by default."""

    version: str
    released: datetime.date
    default_target: str
    requires_python: str

    @property
    def key(self) -> Version:
        return Version(self.version)


@cache
def _table() -> dict[str, Any]:
    text = resources.files("release").joinpath("data/numpy_releases.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def numpy_releases() -> tuple[NumpyRelease, ...]:
    """Every feature release the table knows, oldest first."""
    return tuple(NumpyRelease(e["version"], e["released"], e["default_target"],
                              e["requires_python"]) for e in _table()["numpy"])


def released_by(day: datetime.date) -> tuple[NumpyRelease, ...]:
    """The feature releases out on `day`, oldest first."""
    return tuple(r for r in numpy_releases() if r.released <= day)


def first_numpy_for_python(python: str) -> str | None:
    """The first NumPy feature series with wheels for Python `python` (3.12 -> 1.26)."""
    found = _table()["first_numpy_for_python"].get(python)
    return str(found) if found else None


def numpy_release(series: str) -> NumpyRelease | None:
    return next((r for r in numpy_releases() if r.version == series), None)


def api_versions() -> dict[str, int]:
    """`"1.22"` -> 0x0f: the C-API version number each NumPy feature release exposes."""
    return {str(k): int(v) for k, v in _table()["api_versions"].items()}


def api_version(series: str) -> int | None:
    return api_versions().get(series)


def series_for_api(number: int) -> str | None:
    """The oldest NumPy feature release exposing C-API version `number`."""
    found = [s for s, n in api_versions().items() if n == number]
    return min(found, key=Version) if found else None
