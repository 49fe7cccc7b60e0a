"""The wheel matrix against NumPy's real published file lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from release.config import Config, WheelsConfig, from_table, load_config
from release.errors import ConfigError
from release.version import ReleaseVersion
from release.wheels.file_set import compare
from release.wheels.matrix import build_matrix, matrix_for

# Every file PyPI holds for numpy 2.4.2 (71 wheels + the sdist), as published (sdist uploaded last).
NUMPY_2_4_2 = [line for line in """
numpy-2.4.2.tar.gz
numpy-2.4.2-cp311-cp311-macosx_10_9_x86_64.whl
numpy-2.4.2-cp311-cp311-macosx_11_0_arm64.whl
numpy-2.4.2-cp311-cp311-macosx_14_0_arm64.whl
numpy-2.4.2-cp311-cp311-macosx_14_0_x86_64.whl
numpy-2.4.2-cp311-cp311-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl
numpy-2.4.2-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl
numpy-2.4.2-cp311-cp311-musllinux_1_2_aarch64.whl
numpy-2.4.2-cp311-cp311-musllinux_1_2_x86_64.whl
numpy-2.4.2-cp311-cp311-win32.whl
numpy-2.4.2-cp311-cp311-win_amd64.whl
numpy-2.4.2-cp311-cp311-win_arm64.whl
numpy-2.4.2-cp312-cp312-macosx_10_13_x86_64.whl
numpy-2.4.2-cp312-cp312-macosx_11_0_arm64.whl
numpy-2.4.2-cp312-cp312-macosx_14_0_arm64.whl
numpy-2.4.2-cp312-cp312-macosx_14_0_x86_64.whl
numpy-2.4.2-cp312-cp312-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl
numpy-2.4.2-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl
numpy-2.4.2-cp312-cp312-musllinux_1_2_aarch64.whl
numpy-2.4.2-cp312-cp312-musllinux_1_2_x86_64.whl
numpy-2.4.2-cp312-cp312-win32.whl
numpy-2.4.2-cp312-cp312-win_amd64.whl
numpy-2.4.2-cp312-cp312-win_arm64.whl
numpy-2.4.2-cp313-cp313-macosx_10_13_x86_64.whl
numpy-2.4.2-cp313-cp313-macosx_11_0_arm64.whl
numpy-2.4.2-cp313-cp313-macosx_14_0_arm64.whl
numpy-2.4.2-cp313-cp313-macosx_14_0_x86_64.whl
numpy-2.4.2-cp313-cp313-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl
numpy-2.4.2-cp313-cp313-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl
numpy-2.4.2-cp313-cp313-musllinux_1_2_aarch64.whl
numpy-2.4.2-cp313-cp313-musllinux_1_2_x86_64.whl
numpy-2.4.2-cp313-cp313-win32.whl
numpy-2.4.2-cp313-cp313-win_amd64.whl
numpy-2.4.2-cp313-cp313-win_arm64.whl
numpy-2.4.2-cp313-cp313t-macosx_11_0_arm64.whl
numpy-2.4.2-cp313-cp313t-macosx_14_0_arm64.whl
numpy-2.4.2-cp313-cp313t-macosx_14_0_x86_64.whl
numpy-2.4.2-cp313-cp313t-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl
numpy-2.4.2-cp313-cp313t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl
numpy-2.4.2-cp313-cp313t-musllinux_1_2_aarch64.whl
numpy-2.4.2-cp313-cp313t-musllinux_1_2_x86_64.whl
numpy-2.4.2-cp313-cp313t-win32.whl
numpy-2.4.2-cp313-cp313t-win_amd64.whl
numpy-2.4.2-cp313-cp313t-win_arm64.whl
numpy-2.4.2-cp314-cp314-macosx_10_15_x86_64.whl
numpy-2.4.2-cp314-cp314-macosx_11_0_arm64.whl
numpy-2.4.2-cp314-cp314-macosx_14_0_arm64.whl
numpy-2.4.2-cp314-cp314-macosx_14_0_x86_64.whl
numpy-2.4.2-cp314-cp314-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl
numpy-2.4.2-cp314-cp314-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl
numpy-2.4.2-cp314-cp314-musllinux_1_2_aarch64.whl
numpy-2.4.2-cp314-cp314-musllinux_1_2_x86_64.whl
numpy-2.4.2-cp314-cp314-win32.whl
numpy-2.4.2-cp314-cp314-win_amd64.whl
numpy-2.4.2-cp314-cp314-win_arm64.whl
numpy-2.4.2-cp314-cp314t-macosx_11_0_arm64.whl
numpy-2.4.2-cp314-cp314t-macosx_14_0_arm64.whl
numpy-2.4.2-cp314-cp314t-macosx_14_0_x86_64.whl
numpy-2.4.2-cp314-cp314t-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl
numpy-2.4.2-cp314-cp314t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl
numpy-2.4.2-cp314-cp314t-musllinux_1_2_aarch64.whl
numpy-2.4.2-cp314-cp314t-musllinux_1_2_x86_64.whl
numpy-2.4.2-cp314-cp314t-win32.whl
numpy-2.4.2-cp314-cp314t-win_amd64.whl
numpy-2.4.2-cp314-cp314t-win_arm64.whl
numpy-2.4.2-pp311-pypy311_pp73-macosx_10_15_x86_64.whl
numpy-2.4.2-pp311-pypy311_pp73-macosx_11_0_arm64.whl
numpy-2.4.2-pp311-pypy311_pp73-macosx_14_0_arm64.whl
numpy-2.4.2-pp311-pypy311_pp73-macosx_14_0_x86_64.whl
numpy-2.4.2-pp311-pypy311_pp73-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl
numpy-2.4.2-pp311-pypy311_pp73-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl
numpy-2.4.2-pp311-pypy311_pp73-win_amd64.whl
""".splitlines() if line]

NUMPY = Config()


def numpy_files(version: str) -> list[str]:
    return matrix_for(NUMPY, ReleaseVersion.parse(version)).filenames(version)


def test_the_2_4_x_matrix_is_exactly_what_numpy_published() -> None:
    assert len(NUMPY_2_4_2) == 72
    expected = numpy_files("2.4.2")
    assert sorted(expected) == sorted(NUMPY_2_4_2)
    assert expected[-1] == "numpy-2.4.2.tar.gz"
    report = compare("PyPI numpy 2.4.2", expected, NUMPY_2_4_2, "numpy", "2.4.2")
    assert report.ok and report.found_expected == 72


def test_removing_one_file_fails_naming_it() -> None:
    gone = "numpy-2.4.2-cp313-cp313t-win_arm64.whl"
    report = compare("dist", numpy_files("2.4.2"), [n for n in NUMPY_2_4_2 if n != gone],
                     "numpy", "2.4.2")
    assert not report.ok
    assert report.missing == (gone,)
    assert gone in report.summary() and "1 missing" in report.summary()


def test_adding_one_file_fails_naming_it() -> None:
    extra = "numpy-2.4.2-cp313-cp313t-macosx_10_13_x86_64.whl"  # excluded on 2.4.x
    report = compare("dist", numpy_files("2.4.2"), [*NUMPY_2_4_2, extra], "numpy", "2.4.2")
    assert report.unexpected == (extra,) and not report.missing
    assert f"1 not in the matrix ({extra})" in report.summary()


def test_wrong_version_and_wrong_project_are_named() -> None:
    old = "numpy-2.4.1-cp312-cp312-win_amd64.whl"
    other = "scipy-2.4.2-cp312-cp312-win_amd64.whl"
    swapped = [old if n == "numpy-2.4.2-cp312-cp312-win_amd64.whl" else n for n in NUMPY_2_4_2]
    report = compare("dist", numpy_files("2.4.2"), [*swapped, other], "numpy", "2.4.2")
    assert report.wrong_version == (old,)
    assert report.wrong_project == (other,)
    assert report.missing == ("numpy-2.4.2-cp312-cp312-win_amd64.whl",)
    assert "1 for another version (numpy-2.4.1-cp312-cp312-win_amd64.whl)" in report.summary()


def test_pyodide_wheels_are_ignored() -> None:
    wasm = "numpy-2.4.2-cp313-cp313-pyodide_2025_0_wasm32.whl"
    report = compare("artifacts", numpy_files("2.4.2"), [*NUMPY_2_4_2, wasm], "numpy", "2.4.2")
    assert report.ok and report.ignored == (wasm,)


@pytest.mark.parametrize(("version", "wheels", "platform_counts"), [
    ("2.4.6", 71, {"musllinux_1_2_x86_64": 6, "win32": 6, "macosx_10_15_x86_64": 2}),
    ("2.5.1", 43, {"win32": 4, "macosx_14_0_x86_64": 4, "macosx_10_15_x86_64": 1}),
    ("2.6.0", 59, {"win32": 0, "manylinux_2_27_x86_64.manylinux_2_28_x86_64": 6}),
    ("2.7.0rc1", 59, {"win32": 0, "macosx_10_15_x86_64": 3}),
])
def test_counts_per_series(version: str, wheels: int, platform_counts: dict[str, int]) -> None:
    files = numpy_files(version)
    assert len(files) == wheels + 1
    assert files[-1] == f"numpy-{version}.tar.gz"
    for tag, count in platform_counts.items():
        assert sum(f.endswith(f"-{tag}.whl") for f in files) == count, tag


def test_real_2_5_1_names_are_in_its_matrix() -> None:
    files = set(numpy_files("2.5.1"))
    for name in ("numpy-2.5.1-cp314-cp314t-win32.whl",
                 "numpy-2.5.1-cp314-cp314-macosx_10_15_x86_64.whl",
                 "numpy-2.5.1-cp313-cp313-macosx_10_13_x86_64.whl",
                 "numpy-2.5.1-cp314-cp314t-macosx_14_0_x86_64.whl",
                 "numpy-2.5.1-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
                 "numpy-2.5.1.tar.gz"):
        assert name in files
    assert "numpy-2.5.1-cp314-cp314t-macosx_10_15_x86_64.whl" not in files


def test_tinynum_is_configured_by_its_own_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.release]\npackage = "tiny-num"\n[tool.release.wheels]\n'
        'python = ["cp311", "cp312"]\nfree_threaded = ["cp313t"]\ntiers = ["1"]\n'
        'legacy_platforms = ["win32"]\nexclude = []\n')
    config = load_config(tmp_path).config
    files = matrix_for(config, ReleaseVersion.parse("1.2.0rc1")).filenames("1.2.0rc1")
    # Tier 1 only: no musllinux and no free-threaded (a tier 2 dimension); win32 added as legacy.
    assert len(files) == 2 * 9 + 1
    assert "tiny_num-1.2.0rc1-cp311-cp311-win32.whl" in files
    assert "tiny_num-1.2.0rc1-cp311-cp311-macosx_10_9_x86_64.whl" in files
    assert not any("musllinux" in f or "cp313t" in f for f in files)
    assert files[-1] == "tiny_num-1.2.0rc1.tar.gz"


def test_numpy_can_opt_out_of_the_series_table() -> None:
    wheels = WheelsConfig(series_matrix=False)
    config = Config(wheels=wheels)
    assert len(matrix_for(config, ReleaseVersion.parse("2.4.2")).filenames("2.4.2")) == 60


@pytest.mark.parametrize(("field", "value", "words"), [
    ("platforms", ("win_amd46",), "did you mean 'win_amd64'"),
    ("python", ("py312",), "not an interpreter tag"),
    ("free_threaded", ("cp314",), "has no `t` suffix"),
    ("exclude", ("cp314t",), "not INTERPRETER:PLATFORM"),
])
def test_bad_matrix_config_is_named(field: str, value: tuple[str, ...], words: str) -> None:
    with pytest.raises(ConfigError) as info:
        settings: dict[str, Any] = {field: value}  # as a TOML table would give it
        build_matrix(WheelsConfig(**settings), "x", "[tool.release.wheels]")
    assert words in f"{info.value.message} {info.value.hint}"


SCIPY_PUBLISHED = Path(__file__).parent / "data/scipy/wheels/1.18.1-published.txt"


def scipy_published() -> list[str]:
    lines = SCIPY_PUBLISHED.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line and not line.startswith("#")]


def test_scipy_profile_expects_scipy_release_macos_tags() -> None:
    """scipy-release's OpenBLAS macOS rows target 10.15 and 12.3: the names PyPI holds for
    SciPy 1.18.1 are all expected, NumPy's OpenBLAS macOS names are not."""
    scipy = from_table({"profile": "scipy"}, "test")
    matrix = matrix_for(scipy, ReleaseVersion.parse("1.18.1"))
    expected = matrix.filenames("1.18.1")
    published = scipy_published()
    assert len(expected) == 61 and len(published) == 9
    assert not set(published) - set(expected)
    macos_openblas = sorted(n for n in expected if "macosx_1" in n and "_14_0_" not in n)
    assert len(macos_openblas) == 12
    assert all(n.endswith(("macosx_10_15_x86_64.whl", "macosx_12_0_arm64.whl"))
               for n in macos_openblas)
    # NumPy's profile keeps numpy-release's tags for the same matrix
    numpy_like = build_matrix(scipy.wheels, "scipy", "test").filenames("1.18.1")
    assert "scipy-1.18.1-cp313-cp313-macosx_12_0_arm64.whl" not in numpy_like
    assert "scipy-1.18.1-cp313-cp313-macosx_11_0_arm64.whl" in numpy_like


def test_scipy_file_check_passes_on_its_set_and_names_a_missing_published_wheel() -> None:
    scipy = from_table({"profile": "scipy"}, "test")
    expected = matrix_for(scipy, ReleaseVersion.parse("1.18.1")).filenames("1.18.1")
    assert compare("dist", expected, expected, "scipy", "1.18.1").ok
    gone = "scipy-1.18.1-cp313-cp313-macosx_12_0_arm64.whl"
    report = compare("dist", expected, [n for n in expected if n != gone], "scipy", "1.18.1")
    assert report.missing == (gone,)
    numpy_name = "scipy-1.18.1-cp313-cp313-macosx_11_0_arm64.whl"
    swapped = [numpy_name if n == gone else n for n in expected]
    report = compare("dist", expected, swapped, "scipy", "1.18.1")
    assert report.missing == (gone,) and report.unexpected == (numpy_name,)
