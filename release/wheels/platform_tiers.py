"""NEP 57's platform tiers, from `release/data/platforms.toml`.

The tier says what a platform is owed at release time: tiers 1 and 2 get wheels on PyPI and
block the release when their CI fails; tier 3 is tested but gets no wheels on PyPI.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

TIERS = ("1", "2", "3", "unsupported")


@dataclass(frozen=True)
class PlatformTier:
    """One platform of NEP 57: its wheel matrix key, readable name, tier and any note."""

    key: str
    name: str
    tier: str
    note: str = ""

    @property
    def wheels_on_pypi(self) -> bool:
        return self.tier in ("1", "2")

    def describe(self) -> str:
        """`Linux x86-64 (musllinux), NEP 57 tier 2`."""
        tier = "unsupported" if self.tier == "unsupported" else f"tier {self.tier}"
        return f"{self.name}, NEP 57 {tier}"


@cache
def platform_tiers() -> tuple[PlatformTier, ...]:
    """Every platform NEP 57 names, tier 1 first."""
    text = resources.files("release").joinpath("data/platforms.toml").read_text("utf-8")
    return tuple(_platform(entry) for entry in tomllib.loads(text)["platform"])


def platform_tier(key: str) -> PlatformTier:
    """The platform with this key; KeyError when NEP 57 (as shipped) does not name it."""
    for platform in platform_tiers():
        if platform.key == key:
            return platform
    raise KeyError(key)


def tier_of(key: str) -> str:
    return platform_tier(key).tier


def _platform(entry: dict[str, Any]) -> PlatformTier:
    if entry["tier"] not in TIERS:
        raise ValueError(f"platform {entry['key']!r}: tier {entry['tier']!r} is not one of {TIERS}")
    return PlatformTier(entry["key"], entry["name"], entry["tier"], entry.get("note", ""))
