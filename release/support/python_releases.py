"""CPython feature releases and their end of life, from `release/data/python_releases.toml`.

Support policies (NEP 29, SPEC 0) count from a Python's release date, so the dates are data the
toolkit ships rather than something looked up while a release is under way.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_VERSION_RE = re.compile(r"^3\.(\d+)$")


@dataclass(frozen=True)
class PythonRelease:
    """One CPython series: `3.12`, released 2023-10-02, end of life scheduled for 2028-10."""

    version: str
    minor: int
    schedule: str
    released: datetime.date
    end_of_life: datetime.date
    released_provisional: bool = False
    end_of_life_provisional: bool = False

    def released_by(self, day: datetime.date) -> bool:
        return self.released <= day

    def end_of_life_by(self, day: datetime.date) -> bool:
        return self.end_of_life <= day

    def released_text(self) -> str:
        return f"{self.released}{' (scheduled)' if self.released_provisional else ''}"

    def end_of_life_text(self) -> str:
        if self.end_of_life_provisional:
            return f"{self.end_of_life:%Y-%m} (scheduled)"
        return str(self.end_of_life)


@cache
def python_releases() -> tuple[PythonRelease, ...]:
    """Every known CPython series, oldest first."""
    text = resources.files("release").joinpath("data/python_releases.toml").read_text("utf-8")
    return tuple(_release(entry) for entry in tomllib.loads(text)["python"])


def python_release(version: str) -> PythonRelease | None:
    """The series `3.12`, or None when the table does not know it."""
    return next((r for r in python_releases() if r.version == version), None)


def minor_of(version: str) -> int:
    """`3.12` -> 12."""
    match = _VERSION_RE.match(version)
    if not match:
        raise ValueError(f"{version!r} is not a Python 3 feature version")
    return int(match[1])


def _release(entry: dict[str, Any]) -> PythonRelease:
    return PythonRelease(
        version=entry["version"], minor=minor_of(entry["version"]), schedule=entry["schedule"],
        released=entry["released"], end_of_life=entry["end_of_life"],
        released_provisional=entry.get("released_provisional", False),
        end_of_life_provisional=entry.get("end_of_life_provisional", False),
    )
