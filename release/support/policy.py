"""The support window of a release date under NEP 29 or SPEC 0.

Both policies count days from a feature release's date: a Python or a project series may be
dropped on and after `released + days`. The day counts are the ones the policies' own scripts
use (NEP 29: `int(365 * 3.5 + 1)` and `int(365 * 2 + 1)`; SPEC 0: `int(365 * 3)` and
`int(365 * 2)`), so the answer changes on exactly the day their published tables give.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from release.support.python_releases import PythonRelease, python_releases


@dataclass(frozen=True)
class Policy:
    """A support policy: how long Python versions and the project's own series are kept."""

    key: str
    name: str
    python_days: int
    python_span: str
    python_at_least: int
    series_days: int
    series_span: str
    series_at_least: int

    def python_drop(self, release: PythonRelease) -> datetime.date:
        return release.released + datetime.timedelta(days=self.python_days)

    def series_drop(self, released: datetime.date) -> datetime.date:
        return released + datetime.timedelta(days=self.series_days)


POLICIES: dict[str, Policy] = {
    "nep29": Policy("nep29", "NEP 29", int(365 * 3.5 + 1), "42 months", 2,
                    365 * 2 + 1, "24 months", 3),
    "spec0": Policy("spec0", "SPEC 0", 365 * 3, "3 years", 0, 365 * 2, "2 years", 0),
}


@dataclass(frozen=True)
class PythonWindow:
    """What a release made on `day` owes each Python version under `policy`.

    `required`: released within the window (or among the newest `python_at_least`);
    `kept_longer`: older, past the policy's date but not past CPython's end of life (a project
    may keep them, NumPy often does for a while); `past_end_of_life`: older and dead;
    `upcoming`: the next Python, not released yet (its classifier and rc wheels may ship);
    `later`: anything after that.
    """

    policy: Policy
    day: datetime.date
    required: tuple[PythonRelease, ...]
    kept_longer: tuple[PythonRelease, ...]
    past_end_of_life: tuple[PythonRelease, ...]
    upcoming: tuple[PythonRelease, ...]
    later: tuple[PythonRelease, ...]

    @property
    def minimum(self) -> PythonRelease:
        return self.required[0]

    def may_support(self) -> tuple[PythonRelease, ...]:
        return self.kept_longer + self.upcoming


def python_window(policy: Policy, day: datetime.date) -> PythonWindow:
    table = python_releases()
    released = [r for r in table if r.released_by(day)]
    required = [r for r in released if day < policy.python_drop(r)]
    if len(required) < policy.python_at_least:
        required = released[-policy.python_at_least:]
    if not required and released:
        required = released[-1:]
    older = [r for r in released if r not in required]
    future = [r for r in table if not r.released_by(day)]
    return PythonWindow(
        policy=policy, day=day, required=tuple(required),
        kept_longer=tuple(r for r in older if not r.end_of_life_by(day)),
        past_end_of_life=tuple(r for r in older if r.end_of_life_by(day)),
        upcoming=tuple(future[:1]), later=tuple(future[1:]),
    )


@dataclass(frozen=True)
class Series:
    """A feature series of the project (`2.1`) and the day its X.Y.0 was tagged."""

    name: str
    released: datetime.date


@dataclass(frozen=True)
class SeriesWindow:
    """Which of the project's series downstream projects may stop supporting on `day`."""

    policy: Policy
    day: datetime.date
    droppable: tuple[Series, ...]
    kept: tuple[Series, ...]

    def next_drop(self) -> tuple[Series, datetime.date] | None:
        """The next series to become droppable and the day it does (None while the policy's
        minimum count holds it)."""
        if len(self.kept) <= self.policy.series_at_least:
            return None
        first = self.kept[0]
        return first, self.policy.series_drop(first.released)

def series_window(policy: Policy, day: datetime.date, series: list[Series]) -> SeriesWindow:
    released = sorted((s for s in series if s.released <= day), key=lambda s: s.released)
    kept = [s for s in released if day < policy.series_drop(s.released)]
    if len(kept) < policy.series_at_least:
        kept = released[-policy.series_at_least:]
    return SeriesWindow(policy, day, tuple(s for s in released if s not in kept), tuple(kept))
