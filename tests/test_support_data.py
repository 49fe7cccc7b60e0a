"""The shipped tables: CPython release and end-of-life dates, NEP 57 platform tiers."""

from __future__ import annotations

import datetime
from pathlib import Path

from helpers import Cli

from release.support.python_releases import python_release, python_releases
from release.wheels.matrix import FREE_THREADED_TIER, NUMPY_SERIES, PLATFORMS, build_matrix
from release.wheels.platform_tiers import TIERS, platform_tier, platform_tiers

# numpy-satellite-facts §9 (python.org release dates; 3.15 is PEP 790's schedule).
RELEASED = {
    "3.9": "2020-10-05", "3.10": "2021-10-04", "3.11": "2022-10-24", "3.12": "2023-10-02",
    "3.13": "2024-10-07", "3.14": "2025-10-07", "3.15": "2026-10-01",
}

# numpy-satellite-facts §3.3 and §7: each build row of numpy-release and its NEP 57 tier.
WHEEL_PLATFORM_TIERS = {
    "manylinux_x86_64": "1", "manylinux_aarch64": "1", "musllinux_x86_64": "2",
    "musllinux_aarch64": "2", "macosx_arm64-openblas": "1", "macosx_arm64-accelerate": "1",
    "macosx_x86_64-openblas": "1", "macosx_x86_64-accelerate": "1", "win_amd64": "1",
    "win32": "3", "win_arm64": "1",
}
# NEP 57's platforms without a wheel row of their own.
OTHER_TIERS = {
    "free-threaded": "2", "pyodide_wasm32": "3", "manylinux_ppc64le": "3", "manylinux_riscv64": "3",
    "ios": "3", "android": "3", "freebsd": "unsupported", "pypy": "unsupported",
    "macosx_universal2": "unsupported", "manylinux_i686": "unsupported",
    "manylinux_s390x": "unsupported",
}


def test_python_table_has_every_version_from_3_9_to_3_15_in_order() -> None:
    releases = python_releases()
    assert [r.version for r in releases] == [f"3.{minor}" for minor in range(9, 16)]
    assert [r.minor for r in releases] == list(range(9, 16))
    assert {r.version: str(r.released) for r in releases} == RELEASED
    dates = [r.released for r in releases]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    ends = [r.end_of_life for r in releases]
    assert ends == sorted(ends)


def test_end_of_life_is_five_years_after_release_in_october() -> None:
    for release in python_releases():
        assert release.end_of_life.year == release.released.year + 5, release
        assert release.end_of_life.month == 10, release
    assert python_release("3.9") is not None
    assert python_release("3.9").end_of_life == datetime.date(2025, 10, 31)  # type: ignore[union-attr]


def test_provisional_dates_are_marked() -> None:
    provisional = [r.version for r in python_releases() if r.released_provisional]
    assert provisional == ["3.15"]
    past = [r.version for r in python_releases() if not r.end_of_life_provisional]
    assert past == ["3.9"]
    assert python_release("3.15").released_text() == "2026-10-01 (scheduled)"  # type: ignore[union-attr]
    assert python_release("3.12").end_of_life_text() == "2028-10 (scheduled)"  # type: ignore[union-attr]
    assert python_release("3.8") is None and python_release("3.16") is None


def test_every_wheel_platform_has_its_nep57_tier() -> None:
    assert set(PLATFORMS) == set(WHEEL_PLATFORM_TIERS)
    for key, tier in WHEEL_PLATFORM_TIERS.items():
        assert platform_tier(key).tier == tier, key
        assert PLATFORMS[key].tier == tier, key
    for key, tier in OTHER_TIERS.items():
        assert platform_tier(key).tier == tier, key
    assert FREE_THREADED_TIER == "2"
    assert {p.key for p in platform_tiers()} == set(WHEEL_PLATFORM_TIERS) | set(OTHER_TIERS)


def test_platform_table_is_ordered_by_tier_and_has_unique_keys() -> None:
    tiers = [TIERS.index(p.tier) for p in platform_tiers()]
    assert tiers == sorted(tiers)
    keys = [p.key for p in platform_tiers()]
    assert len(keys) == len(set(keys))
    assert [p.key for p in platform_tiers() if p.wheels_on_pypi] == [
        k for k in keys if platform_tier(k).tier in ("1", "2")]
    assert not platform_tier("win32").wheels_on_pypi
    assert platform_tier("musllinux_aarch64").describe() == "Linux aarch64 (musllinux), NEP 57 tier 2"


def test_tier_selection_of_the_default_matrix_drops_win32() -> None:
    """numpy-release main (2.6) builds tiers 1 and 2 only: win32 went to tier 3."""
    default = build_matrix(NUMPY_SERIES["2.6"], "numpy", "test")
    assert "win32" not in {p.key for p in default.platforms}
    assert len(default.platforms) == 10


def test_missing_wheel_is_named_with_its_platform_tier(numpy_bundle_clone: Path, cli: Cli,
                                                       tmp_path: Path) -> None:
    from test_wheel_matrix import NUMPY_2_4_2

    from release.fakes.dists import write_dists

    write_dists(tmp_path / "dist", NUMPY_2_4_2, "numpy")
    (tmp_path / "dist" / "numpy-2.4.2-cp314-cp314t-musllinux_1_2_aarch64.whl").unlink()
    result = cli("wheels", "2.4.2", "--repo", str(numpy_bundle_clone), "--from-dir",
                 str(tmp_path / "dist"))
    assert result.code == 1
    assert ("  numpy-2.4.2-cp314-cp314t-musllinux_1_2_aarch64.whl  "
            "(Linux aarch64 (musllinux), NEP 57 tier 2; free-threaded, tier 2)") in result.out

