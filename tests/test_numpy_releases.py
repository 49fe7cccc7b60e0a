"""The NumPy release table against NumPy's own history: tag dates and numpyconfig.h."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from packaging.version import Version

from release.downstream.bounds import series_of
from release.downstream.numpy_releases import (
    api_version,
    api_versions,
    first_numpy_for_python,
    numpy_releases,
    series_for_api,
)

_CONFIG_H = ("numpy/_core/include/numpy/numpyconfig.h", "numpy/core/include/numpy/numpyconfig.h")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def _config_h(repo: Path, rev: str) -> str:
    for path in _CONFIG_H:
        found = subprocess.run(["git", "-C", str(repo), "show", f"{rev}:{path}"],
                               capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout
    raise AssertionError(f"no numpyconfig.h at {rev}")


def test_the_table_is_ordered_and_complete() -> None:
    releases = numpy_releases()
    versions = [Version(r.version) for r in releases]
    assert versions == sorted(versions)
    assert [r.released for r in releases] == sorted(r.released for r in releases)
    assert releases[-1].version == "2.5"
    assert all(r.default_target in api_versions() for r in releases)
    # 1.26 kept 1.25's C API and numpyconfig.h has no name for it
    assert {r.version for r in releases} - set(api_versions()) == {"1.26"}


def test_release_dates_are_the_x_y_0_tags_in_utc(numpy_bundle_clone: Path) -> None:
    for release in numpy_releases():
        stamp = _git(numpy_bundle_clone, "for-each-ref", "--format=%(taggerdate:unix)",
                     f"refs/tags/v{release.version}.0").strip()
        tagged = datetime.datetime.fromtimestamp(int(stamp), datetime.UTC).date()
        assert release.released == tagged, release.version


def test_default_targets_are_numpyconfig_h_at_each_tag(numpy_bundle_clone: Path) -> None:
    for release in numpy_releases():
        text = _config_h(numpy_bundle_clone, f"v{release.version}.0")
        default = re.search(r"#define NPY_FEATURE_VERSION NPY_(\d+)_(\d+)_API_VERSION", text)
        if Version(release.version) < Version("1.25"):
            assert default is None, release.version  # no older default before 1.25
            continue
        assert default, release.version
        assert release.default_target == f"{default[1]}.{default[2]}", release.version


def test_api_versions_are_numpyconfig_h_on_main(numpy_bundle_clone: Path) -> None:
    text = _config_h(numpy_bundle_clone, "v2.5.2")
    shipped = {f"{m[1]}.{m[2]}": int(m[3], 16) for m in re.finditer(
        r"#define NPY_(\d+)_(\d+)_API_VERSION (0x[0-9a-fA-F]+)", text)}
    assert shipped == api_versions()
    assert api_version("2.0") == 0x12
    assert series_for_api(0x0d) == "1.16"
    assert series_for_api(0x99) is None


def _python_support(repo: Path, tag: str) -> tuple[str, list[str]]:
    """requires-python's floor and the `Python :: 3.N` classifiers of the pyproject at `tag`
    (1.25 kept its [project] table commented out; the lines are read all the same)."""
    text = _git(repo, "show", f"{tag}:pyproject.toml")
    floor = re.search(r'requires-python\s*=\s*">=(3\.\d+)', text)
    assert floor, tag
    return floor[1], re.findall(r"Python :: (3\.\d+)'", text)


def test_requires_python_is_each_series_pyproject(numpy_bundle_clone: Path) -> None:
    for release in numpy_releases():
        if Version(release.version) < Version("1.25"):
            continue  # setup.py held it before 1.25; the fixture has no setup.py
        floor, _ = _python_support(numpy_bundle_clone, f"v{release.version}.0")
        assert release.requires_python == floor, release.version


@pytest.mark.parametrize(("python", "first", "previous"), [
    ("3.12", "v1.26.0", "v1.25.2"), ("3.13", "v2.1.0", "v2.0.2"), ("3.14", "v2.3.2", "v2.3.1"),
    ("3.15", "v2.5.2", "v2.5.1"),
])
def test_the_first_numpy_for_a_python_is_the_release_adding_its_classifier(
        numpy_bundle_clone: Path, python: str, first: str, previous: str) -> None:
    assert python in _python_support(numpy_bundle_clone, first)[1]
    assert python not in _python_support(numpy_bundle_clone, previous)[1]
    assert first_numpy_for_python(python) == series_of(Version(first[1:]))
    assert first_numpy_for_python("3.8") is None
