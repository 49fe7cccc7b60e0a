"""Marker pin sets (`pins --pin-set`): exactly one pin per platform configuration.

The pin sets are written in oldest-supported-numpy's style from the facts it states: the oldest
NumPy with wheels for each Python and platform.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from helpers import Cli, one_line_error, snapshot, table_rows

from release.downstream.marker_pins import check_pin_set, lines_from_text
from release.downstream.platform_configs import Configuration, build_matrix, supported_pythons

MATRIX = ("--python", "3.9,3.10,3.11,3.12,3.13",
          "--platform", "Linux-x86_64,Linux-aarch64,Darwin-x86_64,Darwin-arm64,Windows-AMD64",
          "--implementation", "CPython,PyPy")

# One pin per Python; arm64 macOS got wheels later; PyPy and unreleased Pythons unpinned.
CPYTHON = "platform_python_implementation != 'PyPy'"
PYPY = "platform_python_implementation == 'PyPy'"
MAC_ARM = "platform_machine=='arm64' and platform_system=='Darwin'"
NOT_MAC_ARM = "(platform_machine!='arm64' or platform_system!='Darwin')"
CLEAN = f"""\
# oldest NumPy with wheels for each Python and platform
numpy==1.19.3; python_version=='3.9' and {CPYTHON} and {NOT_MAC_ARM}
numpy==1.21.0; python_version=='3.9' and {CPYTHON} and {MAC_ARM}
numpy==1.21.6; python_version=='3.10' and {CPYTHON}
numpy==1.23.2; python_version=='3.11' and {CPYTHON}
numpy==1.26.0; python_version=='3.12' and {CPYTHON}

numpy; python_version>='3.13'
numpy; python_version<'3.13' and platform_python_implementation=='PyPy'  # no PyPy pins
"""


def write(tmp_path: Path, text: str, name: str = "pins.txt") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_clean_pin_set_exits_0(cli: Cli, tmp_path: Path) -> None:
    result = cli("pins", "--pin-set", str(write(tmp_path, CLEAN)), *MATRIX)
    assert result.code == 0, result.out + result.err
    assert "no findings" in result.out
    assert "7 requirement lines against 50 configurations" in result.err


def test_an_overlap_names_both_lines_and_the_configuration(cli: Cli, tmp_path: Path) -> None:
    # the arm64 line forgot to exclude the general 3.9 line's platforms
    text = CLEAN.replace(f" and {NOT_MAC_ARM}", "")
    result = cli("pins", "--pin-set", str(write(tmp_path, text)), *MATRIX)
    assert result.code == 1
    flat = " | ".join(" | ".join(row) for row in table_rows(result.out))
    assert "one-pin-per-configuration" in flat
    assert ("overlap: pins.txt:2 (numpy==1.19.3) and pins.txt:3 (numpy==1.21.0) conflict on "
            "CPython 3.9 on Darwin arm64: exactly one pin") in flat
    assert "gap" not in flat


def test_a_pin_and_an_unpinned_line_both_applying_is_an_overlap_not_a_conflict(tmp_path: Path) -> None:
    lines = lines_from_text("numpy==1.26.0; python_version=='3.12'\nnumpy; python_version>='3.12'\n",
                            "pins.txt")
    matrix = build_matrix(["3.12", "3.13"], ["Linux-x86_64"], [], day=datetime.date(2026, 1, 1),
                          tiers=(), source="test")
    report = check_pin_set(lines, matrix)
    assert not report.gaps
    [overlap] = report.overlaps
    assert not overlap.conflict
    assert overlap.configurations == (Configuration("CPython", "3.12", "Linux", "x86_64"),)


def test_a_gap_names_the_configurations(cli: Cli, tmp_path: Path) -> None:
    text = CLEAN.replace(f"numpy==1.21.6; python_version=='3.10' and {CPYTHON}\n", "")
    result = cli("pins", "--pin-set", str(write(tmp_path, text)), *MATRIX)
    assert result.code == 1
    flat = " | ".join(" | ".join(row) for row in table_rows(result.out))
    assert ("gap: no numpy line applies on CPython 3.10 on Linux x86_64; CPython 3.10 on Linux "
            "aarch64; CPython 3.10 on Darwin x86_64; CPython 3.10 on Darwin arm64; CPython 3.10 on "
            "Windows AMD64") in flat
    assert "overlap" not in flat


def test_oldest_supported_numpys_setup_cfg_layout(cli: Cli, tmp_path: Path) -> None:
    """install_requires in [options], comments between the lines, as the package keeps them.
    The aarch64 pin and the default 3.8 pin conflict there; the unpinned catch-all lines both
    apply on PyPy 3.10+ (no conflict, still two lines)."""
    cfg = """\
[metadata]
name = oldest-supported-numpy

[options]
install_requires =
    # aarch64 wheels came later
    numpy==1.19.2; python_version=='3.8' and platform_machine=='aarch64'
    # default numpy requirements
    numpy==1.17.3; python_version=='3.8' and platform_python_implementation != 'PyPy'
    numpy==1.19.3; python_version=='3.9' and platform_python_implementation != 'PyPy'
    numpy; python_version>='3.10'
    numpy; python_version>='3.8' and platform_python_implementation=='PyPy'
"""
    result = cli("pins", "--pin-set", str(write(tmp_path, cfg, "setup.cfg")), *MATRIX,
                 "--python", "3.8")
    assert result.code == 1
    assert "60 configurations: CPython/PyPy 3.8 3.9 3.10 3.11 3.12 3.13 on" in result.err
    rows = table_rows(result.out)
    assert [row[2].split(":", 1)[0] for row in rows] == ["overlap"] * 3
    assert rows[0][2].startswith("overlap: setup.cfg:7 (numpy==1.19.2) and setup.cfg:9 "
                                 "(numpy==1.17.3) conflict on CPython 3.8 on Linux aarch64:")
    assert rows[1][2].startswith("overlap: setup.cfg:7 (numpy==1.19.2) and setup.cfg:12 (numpy) "
                                 "both apply on PyPy 3.8 on Linux aarch64:")
    assert rows[2][2].startswith("overlap: setup.cfg:11 (numpy) and setup.cfg:12 (numpy) both "
                                 "apply on PyPy 3.10, 3.11, 3.12, 3.13 on Linux x86_64; PyPy 3.10,")
    fixed = (cfg.replace("python_version=='3.8' and platform_python_implementation",
                         "python_version=='3.8' and platform_machine!='aarch64' and "
                         "platform_python_implementation")
             .replace("platform_machine=='aarch64'\n",
                      "platform_machine=='aarch64' and platform_python_implementation != 'PyPy'\n")
             .replace("numpy; python_version>='3.10'\n",
                      "numpy; python_version>='3.10' and platform_python_implementation != 'PyPy'\n"))
    again = cli("pins", "--pin-set", str(write(tmp_path, fixed, "setup.cfg")), *MATRIX,
                "--python", "3.8")
    assert again.code == 0, again.out
    assert "5 requirement lines against 60 configurations" in again.err


def test_the_guides_pyproject_example_with_oldest_supported_numpy(cli: Cli, tmp_path: Path) -> None:
    """oldest-supported-numpy's advice for a fix it cannot ship: one numpy pin on old Windows
    CPython, the meta-package everywhere else; together they are one pin per configuration."""
    pyproject = f"""\
[build-system]
requires = [
    "numpy==1.19.0; python_version<='3.8' and platform_system=='Windows' and {CPYTHON}",
    "oldest-supported-numpy; python_version>'3.8' or platform_system!='Windows' or {PYPY}",
    "setuptools",
]
"""
    path = write(tmp_path, pyproject, "pyproject.toml")
    result = cli("pins", "--pin-set", str(path), *MATRIX, "--python", "3.7,3.8")
    assert result.code == 0, result.out
    broken = pyproject.replace("python_version>'3.8' or ", "python_version>='3.8' or ")
    result = cli("pins", "--pin-set", str(write(tmp_path, broken, "pyproject.toml")), *MATRIX,
                 "--python", "3.8")
    assert result.code == 1
    [row] = table_rows(result.out)
    assert row[1] == "pyproject.toml:3 [build-system] requires; pyproject.toml:4 [build-system] requires"
    assert row[2].startswith("overlap: pyproject.toml:3 (numpy==1.19.0) and pyproject.toml:4 "
                             "(oldest-supported-numpy) both apply on CPython 3.8 on Windows AMD64:")


def test_markers_see_the_configuration_not_the_machine_running_the_check(tmp_path: Path) -> None:
    lines = lines_from_text(
        "numpy==2.0.0; sys_platform=='win32' and os_name=='nt' and implementation_name=='cpython'\n"
        "numpy==2.1.0; sys_platform!='win32' or implementation_name=='pypy'\n"
        "numpy==2.2.0; python_full_version>='3.14.0' and platform_release=='never'\n", "pins.txt")
    matrix = build_matrix(["3.12", "3.14"], ["Windows-ARM64", "Linux-riscv64"], ["CPython", "PyPy"],
                          day=datetime.date(2026, 1, 1), tiers=(), source="test")
    report = check_pin_set(lines, matrix)
    assert report.clean, (report.overlaps, report.gaps)
    assert len(matrix.configurations()) == 8


def test_the_default_matrix_comes_from_the_shipped_data(cli: Cli, tmp_path: Path) -> None:
    result = cli("pins", "--pin-set", str(write(tmp_path, "numpy>=2\n")), "--date", "2026-11-25")
    assert result.code == 0, result.out + result.err
    # 3.10 reached its end of life on 2026-10-01; 3.15 is scheduled and included
    assert supported_pythons(datetime.date(2026, 11, 25)) == ("3.11", "3.12", "3.13", "3.14", "3.15")
    assert ("30 configurations: CPython 3.11 3.12 3.13 3.14 3.15 on Windows-AMD64, Windows-ARM64, "
            "Linux-x86_64, Linux-aarch64, Darwin-arm64, Darwin-x86_64 (the shipped Python and "
            "NEP 57 data)") in result.err
    earlier = cli("pins", "--pin-set", str(write(tmp_path, "numpy>=2\n")), "--date", "2026-09-30")
    assert "CPython 3.10 3.11" in earlier.err


def test_the_matrix_from_tool_release_pins(cli: Cli, tmp_path: Path) -> None:
    config = write(tmp_path, '[tool.release.pins]\npython = ["3.12"]\nplatforms = ["Linux-ppc64le"]\n'
                   'implementations = ["PyPy"]\n', "release.toml")
    pins = write(tmp_path, "numpy==2.0.0; platform_machine=='ppc64le' and "
                 "platform_python_implementation=='PyPy'\n")
    result = cli("pins", "--pin-set", str(pins), "--config", str(config))
    assert result.code == 0, result.out
    assert "1 configurations: PyPy 3.12 on Linux-ppc64le ([tool.release.pins])" in result.err
    flagged = cli("pins", "--pin-set", str(pins), "--config", str(config), "--platform", "Linux-s390x")
    assert flagged.code == 1
    assert "gap: no numpy line applies on PyPy 3.12 on Linux s390x" in table_rows(flagged.out)[0][2]


@pytest.mark.parametrize(("text", "words"), [
    ("numpy==1.19.3; python_version=='3.9'\nnumpy>=; python_version=='3.10'\n",
     "pins.txt:2: numpy>=; python_version=='3.10' is not a valid requirement"),
    ("numpy==1.19.3; python_versio=='3.9'\n", "pins.txt:1: numpy==1.19.3; python_versio=='3.9' is not"),
    ("numpy==1.19.3; python_version=='3.9' and\n", "is not a valid requirement"),
    ("numpy==2.0.0; python_full_version ~= 'x'\n",
     "pins.txt:1: the marker of numpy==2.0.0; python_full_version ~= 'x' cannot be evaluated on "
     "CPython 3.9 on Linux x86_64"),
])
def test_an_unparsable_requirement_or_marker_is_one_line(cli: Cli, tmp_path: Path, text: str,
                                                         words: str) -> None:
    path = write(tmp_path, text)
    before = snapshot(tmp_path)
    result = cli("pins", "--pin-set", str(path), *MATRIX)
    assert result.code == 2
    one_line_error(result.err, words)
    assert result.out == ""
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(("args", "words"), [
    (("--pin-set", "missing.txt"), "pin set"),
    (("--pin-set", "pins.txt", "--platform", "Linux"), "'Linux' is not a SYSTEM-MACHINE platform"),
    (("--pin-set", "pins.txt", "--platform", "Plan9-x86_64"), "'Plan9-x86_64'"),
    (("--pin-set", "pins.txt", "--python", "3"), "'3' is not a Python feature version"),
    (("--pin-set", "pins.txt", "--implementation", "Jython"), "'Jython' is not a Python implementation"),
    (("--pin-set", "pins.txt", "--date", "2026-13-01"), "--date '2026-13-01' is not a date"),
    (("--pin-set", "setup.cfg"), "has no [options] install_requires"),
    ((), "nothing to check"),
])
def test_bad_input_is_one_line_and_writes_nothing(cli: Cli, tmp_path: Path, args: tuple[str, ...],
                                                  words: str) -> None:
    write(tmp_path, CLEAN)
    write(tmp_path, "[metadata]\nname = x\n", "setup.cfg")
    before = snapshot(tmp_path)
    result = cli("pins", *args, env={"RELEASE_INVOKED_FROM": str(tmp_path)})
    assert result.code == 2
    one_line_error(result.err, words)
    assert snapshot(tmp_path) == before


def test_a_project_and_a_pin_set_together(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "proj").mkdir()
    pyproject = tmp_path / "proj" / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\ndynamic = ["dependencies"]\n')
    pins = write(tmp_path, CLEAN)
    result = cli("pins", str(pyproject), "--pin-set", str(pins), *MATRIX, "--date", "2026-01-15")
    assert result.code == 0, result.out
    assert result.out == f"{pyproject} and {pins}: no findings on 2026-01-15\n"
    assert "dependencies are dynamic" in result.err
    bad = write(tmp_path, "numpy>=\n", "bad.txt")
    result = cli("pins", str(pyproject), "--pin-set", str(bad), *MATRIX)
    assert result.code == 2
    one_line_error(result.err, "bad.txt:1: numpy>= is not a valid requirement")
