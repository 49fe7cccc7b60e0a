"""`pins PATH`: the downstream guide's rules on a project's pyproject.toml.

The projects are written from the guide's rules and its example (build against
`numpy>=2.0.0rc1`, run with `numpy>=1.23.5`); dates are fixed with --date.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Cli, one_line_error, snapshot, table_rows

# The guide's example for a C-API package supporting NumPy 1.23.5 and up.
GUIDE = """\
[build-system]
build-backend = "mesonpy"
requires = [
    "meson-python>=0.15.0",
    "Cython>=3.0",
    "numpy>=2.0.0rc1",
]

[project]
name = "downstream"
version = "1.0.0"
requires-python = ">=3.11"
dependencies = [
    "numpy>=1.23.5",
]
"""
BEFORE_2_5 = "2026-01-15"  # NumPy 2.4 current: builds target NumPy 1.23's C API
AFTER_2_5 = "2026-11-25"  # NumPy 2.5 current: builds target NumPy 1.25's C API


def project(tmp_path: Path, pyproject: str, **files: str) -> Path:
    root = tmp_path / "downstream"
    root.mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject)
    for name, text in files.items():
        (root / name.replace("_", ".")).write_text(text)
    return root


def findings(cli: Cli, path: Path, day: str, *args: str) -> list[list[str]]:
    result = cli("pins", str(path), "--date", day, *args)
    rows = table_rows(result.out)
    assert result.code == (1 if rows else 0), result.out + result.err
    return rows


def rules(rows: list[list[str]]) -> list[str]:
    return [row[0] for row in rows]


def test_the_guides_example_is_clean_while_numpy_2_4_is_current(cli: Cli, tmp_path: Path) -> None:
    root = project(tmp_path, GUIDE)
    before = snapshot(tmp_path)
    result = cli("pins", str(root), "--date", BEFORE_2_5)
    assert result.code == 0, result.out
    assert result.out == f"{root / 'pyproject.toml'}: no findings on {BEFORE_2_5}\n"
    assert snapshot(tmp_path) == before


def test_the_guides_example_stays_clean_after_numpy_2_5_raised_its_default(cli: Cli,
                                                                           tmp_path: Path) -> None:
    """NumPy 2.5 builds target 1.25's C API by default, above the floor 1.23.5; but 2.5 installs
    only on Python 3.12+, where no NumPy older than 1.26 does. On 3.11 the build picks 2.4,
    whose default is 1.23. No Python lets a too-old NumPy meet a wheel built there."""
    assert findings(cli, project(tmp_path, GUIDE), AFTER_2_5) == []


def test_targeting_the_building_numpy_needs_the_floor_raised(cli: Cli, tmp_path: Path) -> None:
    meson = "add_project_arguments('-DNPY_TARGET_VERSION=NPY_API_VERSION', language : 'c')\n"
    rows = findings(cli, project(tmp_path, GUIDE, meson_build=meson), BEFORE_2_5)
    assert rules(rows) == ["below-build-target"]
    assert rows[0][1] == "pyproject.toml:14 [project] dependencies"
    assert rows[0][2] == (
        "numpy>=1.23.5 lets NumPy 1.23.5 install on Python 3.11, but a wheel built there targets "
        "NumPy 2.4's C API (NPY_API_VERSION at meson.build:1: NumPy 2.4, the newest the build may "
        "pick for Python 3.11 on 2026-01-15); raise it to numpy>=2.4: an extension refuses to "
        "import on a NumPy older than the C API it was built for (NPY_TARGET_VERSION, else the "
        "building NumPy's default)")


def test_npy_target_version_in_meson_build_keeps_the_floor_right(cli: Cli, tmp_path: Path) -> None:
    meson = ("project('downstream', 'c', 'cython')\n"
             "add_project_arguments('-DNPY_TARGET_VERSION=NPY_1_23_API_VERSION', language : 'c')\n")
    assert findings(cli, project(tmp_path, GUIDE, meson_build=meson), AFTER_2_5) == []
    lower = meson.replace("NPY_1_23", "NPY_1_25")
    rows = findings(cli, project(tmp_path, GUIDE, meson_build=lower), AFTER_2_5)
    assert rules(rows) == ["below-build-target"]
    assert "(NPY_TARGET_VERSION at meson.build:2)" in rows[0][2]


def test_a_hex_target_in_setup_py_is_read_through_numpyconfig_h(cli: Cli, tmp_path: Path) -> None:
    setup = ('Extension("fast", ["fast.c"],\n'
             '          define_macros=[("NPY_TARGET_VERSION", "0x00000011")])\n')
    rows = findings(cli, project(tmp_path, GUIDE, setup_py=setup), BEFORE_2_5)
    assert rules(rows) == ["below-build-target"]
    assert "targets NumPy 1.25's C API (NPY_TARGET_VERSION at setup.py:2)" in rows[0][2]


def test_building_against_numpy_1(cli: Cli, tmp_path: Path) -> None:
    text = GUIDE.replace('"numpy>=2.0.0rc1"', '"numpy>=1.25,<2"')
    rows = findings(cli, project(tmp_path, text), BEFORE_2_5)
    assert rules(rows) == ["build-against-numpy-2"]
    assert rows[0][1] == "pyproject.toml:6 [build-system] requires"
    assert rows[0][2].startswith("numpy>=1.25,<2 lets the build use NumPy 1.x; require "
                                 "numpy>=2.0: wheels built against NumPy 1.x fail to import on "
                                 "NumPy 2, while wheels built against NumPy 2 run on 1.x and 2.x")
    bare = findings(cli, project(tmp_path, GUIDE.replace('"numpy>=2.0.0rc1"', '"numpy"')),
                    BEFORE_2_5)
    assert rules(bare) == ["build-against-numpy-2"]


def test_oldest_supported_numpy_is_obsolete(cli: Cli, tmp_path: Path) -> None:
    text = GUIDE.replace('"numpy>=2.0.0rc1"', '"oldest-supported-numpy"')
    rows = findings(cli, project(tmp_path, text), BEFORE_2_5)
    assert rules(rows) == ["oldest-supported-numpy"]
    assert rows[0][2].startswith("oldest-supported-numpy is obsolete for NumPy 2 builds: it makes "
                                 "builds use NumPy 1.x, whose wheels break on NumPy 2")


def test_a_runtime_requirement_without_a_floor(cli: Cli, tmp_path: Path) -> None:
    rows = findings(cli, project(tmp_path, GUIDE.replace('"numpy>=1.23.5"', '"numpy"')), BEFORE_2_5)
    assert rules(rows) == ["runtime-lower-bound"]
    assert rows[0][2].startswith("numpy has no lower bound; add numpy>=1.23: a wheel built against "
                                 "NumPy 2 runs on 1.x only back to the C API it targets")
    missing = GUIDE.replace('    "numpy>=1.23.5",\n', '    "scipy>=1.13",\n')
    rows = findings(cli, project(tmp_path, missing), BEFORE_2_5)
    assert rules(rows) == ["runtime-lower-bound"]
    assert rows[0][1] == "pyproject.toml [project] dependencies"
    assert rows[0][2].startswith("numpy is a build requirement but not a runtime dependency; add "
                                 "numpy>=1.23")


def test_a_pure_python_project_needs_no_floor(cli: Cli, tmp_path: Path) -> None:
    text = GUIDE.replace('    "numpy>=2.0.0rc1",\n', "").replace('"numpy>=1.23.5"', '"numpy"')
    assert findings(cli, project(tmp_path, text), BEFORE_2_5) == []


def test_a_target_newer_than_the_oldest_build_numpy(cli: Cli, tmp_path: Path) -> None:
    meson = "add_project_arguments('-DNPY_TARGET_VERSION=NPY_2_2_API_VERSION', language : 'c')\n"
    text = GUIDE.replace('"numpy>=1.23.5"', '"numpy>=2.2"')
    rows = findings(cli, project(tmp_path, text, meson_build=meson), AFTER_2_5)
    assert rules(rows) == ["target-above-build"]
    assert rows[0][1] == "meson.build:1"
    assert rows[0][2].startswith("NPY_TARGET_VERSION NPY_2_2_API_VERSION needs NumPy 2.2's headers "
                                 "but the build may use NumPy 2.0.0rc1; require numpy>=2.2 to build")
    fixed = text.replace('"numpy>=2.0.0rc1"', '"numpy>=2.2.0"')
    assert findings(cli, project(tmp_path, fixed, meson_build=meson), AFTER_2_5) == []


def test_different_targets_in_different_files(cli: Cli, tmp_path: Path) -> None:
    meson = "add_project_arguments('-DNPY_TARGET_VERSION=NPY_1_25_API_VERSION', language : 'c')\n"
    text = GUIDE.replace('"numpy>=1.23.5"', '"numpy>=1.25"') + (
        '\n[tool.cibuildwheel]\nenvironment = { CFLAGS = "-DNPY_TARGET_VERSION=NPY_1_23_API_VERSION" }\n')
    rows = findings(cli, project(tmp_path, text, meson_build=meson), BEFORE_2_5)
    assert rules(rows) == ["target-consistent"]
    assert rows[0][1] == "pyproject.toml:18; meson.build:1"
    assert rows[0][2].startswith("NPY_TARGET_VERSION is set to NPY_1_23_API_VERSION, "
                                 "NPY_1_25_API_VERSION: the target must be the same")


def test_the_support_window_changes_on_the_day_nep_29_drops_numpy_2_0(cli: Cli, tmp_path: Path) -> None:
    """NumPy 2.0 was tagged 2024-06-15; NEP 29 keeps it for 731 days, until 2026-06-16 (its own
    table: `Jun 16, 2026 ... 2.1+`). A floor of 2.1 is early the day before, fine that day."""
    text = (GUIDE.replace('"numpy>=1.23.5"', '"numpy>=2.1"')
            .replace('"numpy>=2.0.0rc1"', '"numpy>=2.1"'))
    root = project(tmp_path, text)
    rows = findings(cli, root, "2026-06-15")
    assert rules(rows) == ["support-window"]
    assert rows[0][2].startswith("numpy>=2.1 leaves out NumPy 2.0, still supported on 2026-06-15 "
                                 "(NEP 29: 2.0 and newer): the guide asks projects to follow NEP 29")
    assert findings(cli, root, "2026-06-16") == []


def test_an_optional_dependency_floor_outside_the_window(cli: Cli, tmp_path: Path) -> None:
    text = GUIDE + '\n[project.optional-dependencies]\nfast = ["numpy>=2.4"]\n'
    rows = findings(cli, project(tmp_path, text), BEFORE_2_5)
    assert rules(rows) == ["support-window"]
    assert rows[0][1] == "pyproject.toml:18 [project.optional-dependencies] fast"
    assert "leaves out NumPy 2.0, 2.1, 2.2, 2.3, still supported on 2026-01-15" in rows[0][2]


def test_the_floor_against_requires_python(cli: Cli, tmp_path: Path) -> None:
    """NumPy 1.23 has no wheels for Python 3.12 (1.26 is the first); NumPy 2.3 needs 3.11."""
    newer_python = GUIDE.replace('">=3.11"', '">=3.12"')
    rows = findings(cli, project(tmp_path, newer_python), BEFORE_2_5)
    assert rules(rows) == ["floor-vs-python"]
    assert rows[0][2].startswith(
        "numpy>=1.23.5 names NumPy 1.23, which has no wheels for Python 3.12 (the oldest Python it "
        "applies on; NumPy 1.26 is the first that has): the floor has to install on the oldest Python")
    older_python = (GUIDE.replace('">=3.11"', '">=3.10"')
                    .replace('"numpy>=1.23.5"', '"numpy>=2.3"'))
    rows = findings(cli, project(tmp_path, older_python), "2026-12-10")  # NEP 29: 2.3+
    assert rules(rows) == ["floor-vs-python"]
    assert rows[0][2].startswith("numpy>=2.3 needs Python 3.11 or newer (NumPy 2.3's "
                                 "requires-python) but applies on Python 3.10")


def test_floors_per_python_are_judged_on_the_pythons_they_apply_on(cli: Cli, tmp_path: Path) -> None:
    """NumPy 2.0 has no Python 3.13 wheels, so a 3.13-only floor of 2.1 leaves nothing out that
    NEP 29 covers; the same floor for every Python does."""
    per_python = GUIDE.replace('    "numpy>=1.23.5",\n',
                               '    "numpy>=1.23.5; python_version<\'3.13\'",\n'
                               '    "numpy>=2.1; python_version>=\'3.13\'",\n')
    assert findings(cli, project(tmp_path, per_python), BEFORE_2_5) == []
    everywhere = GUIDE.replace('"numpy>=1.23.5"', '"numpy>=2.1"')
    rows = findings(cli, project(tmp_path, everywhere), BEFORE_2_5)
    assert rules(rows) == ["support-window"]
    assert "leaves out NumPy 2.0, still supported on 2026-01-15" in rows[0][2]
    too_old = per_python.replace("numpy>=2.1;", "numpy>=1.26;")
    rows = findings(cli, project(tmp_path, too_old), BEFORE_2_5)
    assert rules(rows) == ["floor-vs-python"]
    assert rows[0][1] == "pyproject.toml:15 [project] dependencies"
    assert "names NumPy 1.26, which has no wheels for Python 3.13" in rows[0][2]


def test_build_pins_are_checked_only_on_the_pythons_the_project_allows(cli: Cli, tmp_path: Path) -> None:
    text = (GUIDE.replace('">=3.11"', '">=3.12"').replace('"numpy>=1.23.5"', '"numpy>=1.26"')
            .replace('    "numpy>=2.0.0rc1",\n', '    "numpy>=2.0.0; python_version>=\'3.12\'",\n'))
    assert findings(cli, project(tmp_path, text), BEFORE_2_5) == []
    rows = findings(cli, project(tmp_path, text.replace('">=3.12"', '">=3.11"')), BEFORE_2_5)
    assert "one-pin-per-configuration" in rules(rows)


def test_dynamic_dependencies_leave_the_runtime_floor_unchecked(cli: Cli, tmp_path: Path) -> None:
    text = (GUIDE.replace('dependencies = [\n    "numpy>=1.23.5",\n]\n', 'dynamic = ["dependencies"]\n'))
    result = cli("pins", str(project(tmp_path, text)), "--date", AFTER_2_5)
    assert result.code == 0, result.out
    assert "dependencies are dynamic" in result.err


@pytest.mark.parametrize(("ceiling", "flagged"), [
    ("<2.6", True), ("<2.7", False), ("<3", False), ("<2", True), ("~=2.4", False),
    ("==2.4.*", True), ("<=2.6", False), ("==2.4.1", True),
])
def test_the_upper_bound_rule(cli: Cli, tmp_path: Path, ceiling: str, flagged: bool) -> None:
    """On 2026-01-15 NumPy 2.4 is current: `<2.7` is three feature releases on."""
    floor = "" if ceiling.startswith(("~=", "==")) else ">=1.23.5,"
    text = GUIDE.replace('"numpy>=1.23.5"', f'"numpy{floor}{ceiling}"')
    rows = [row for row in findings(cli, project(tmp_path, text), BEFORE_2_5)
            if row[0] == "upper-bound"]
    assert bool(rows) == flagged, rows
    if flagged and ceiling == "<2.6":
        assert rows[0][2].startswith("numpy>=1.23.5,<2.6 stops at <2.6 while NumPy 2.4 is current; "
                                     "drop it or use <2.7 at the tightest: NumPy keeps backward "
                                     "compatibility")


def test_marker_pins_in_the_build_requirements(cli: Cli, tmp_path: Path) -> None:
    text = GUIDE.replace('    "numpy>=2.0.0rc1",\n',
                         '    "numpy>=2.0.0; python_version<\'3.13\'",\n'
                         '    "numpy>=2.1.0; python_version>\'3.13\'",\n')
    rows = findings(cli, project(tmp_path, text), BEFORE_2_5, "--platform", "Linux-x86_64")
    assert rules(rows) == ["one-pin-per-configuration"]
    assert rows[0][2].startswith("gap: no numpy line applies on CPython 3.13 on Linux x86_64: "
                                 "exactly one pin of a package must apply")
    fixed = text.replace("python_version>'3.13'", "python_version>='3.13'")
    assert findings(cli, project(tmp_path, fixed), BEFORE_2_5) == []


def test_the_matrix_from_the_projects_own_tool_release_pins(cli: Cli, tmp_path: Path) -> None:
    text = GUIDE.replace('    "numpy>=2.0.0rc1",\n',
                         '    "numpy>=2.0.0; platform_system==\'Linux\'",\n') + (
        '\n[tool.release.pins]\nplatforms = ["Linux-x86_64", "Linux-aarch64"]\n')
    assert findings(cli, project(tmp_path, text), BEFORE_2_5) == []
    rows = findings(cli, project(tmp_path, text), BEFORE_2_5, "--platform", "Darwin-arm64")
    assert rules(rows) == ["one-pin-per-configuration"]


def test_a_relative_path_is_taken_from_where_nox_was_invoked(cli: Cli, tmp_path: Path) -> None:
    project(tmp_path, GUIDE)
    result = cli("pins", "downstream/pyproject.toml", "--date", BEFORE_2_5,
                 env={"RELEASE_INVOKED_FROM": str(tmp_path)})
    assert result.code == 0, result.err


@pytest.mark.parametrize(("setup", "words"), [
    (lambda root: None, "does not exist"),
    (lambda root: root.mkdir(), "has no pyproject.toml"),
    (lambda root: (root.mkdir(), (root / "pyproject.toml").write_text("[project\n")),
     "is not a pyproject.toml: "),
    (lambda root: (root.mkdir(), (root / "pyproject.toml").write_text("[tool.black]\nx = 1\n")),
     "it has neither [build-system] nor [project]"),
    (lambda root: (root.mkdir(), (root / "pyproject.toml").write_text(
        GUIDE.replace('"numpy>=1.23.5"', '"numpy>=1.23.5; python_version=>\'3.11\'"'))),
     "pyproject.toml:14 [project] dependencies: numpy>=1.23.5; python_version=>'3.11' is not a "
     "valid requirement"),
    (lambda root: (root.mkdir(), (root / "pyproject.toml").write_text(
        GUIDE.replace('"numpy>=2.0.0rc1"', '"numpy>=2.0.0rc1 ; "'))), "is not a valid requirement"),
    (lambda root: (root.mkdir(), (root / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = "numpy"\n')), "must be a list of strings"),
    (lambda root: (root.mkdir(), (root / "pyproject.toml").write_text(
        GUIDE.replace('">=3.11"', '"3.11+"'))), "requires-python '3.11+' is not a version specifier"),
])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(cli: Cli, tmp_path: Path,
                                                         setup: Callable[[Path], object],
                                                         words: str) -> None:
    root = tmp_path / "downstream"
    setup(root)
    before = snapshot(tmp_path)
    result = cli("pins", str(root), "--date", BEFORE_2_5)
    assert result.code == 2
    one_line_error(result.err, words)
    assert result.out == ""
    assert snapshot(tmp_path) == before


def test_a_requirement_written_in_two_lists_is_found_in_each(cli: Cli, tmp_path: Path) -> None:
    text = (GUIDE.replace('"numpy>=1.23.5"', '"numpy<2"').replace('"numpy>=2.0.0rc1"', '"numpy<2"')
            + '\n[project.optional-dependencies]\nall = ["numpy<2"]\n')
    rows = findings(cli, project(tmp_path, text), BEFORE_2_5)
    assert [(row[0], row[1]) for row in rows] == [
        ("build-against-numpy-2", "pyproject.toml:6 [build-system] requires"),
        ("runtime-lower-bound", "pyproject.toml:14 [project] dependencies"),
        ("upper-bound", "pyproject.toml:14 [project] dependencies"),
        ("upper-bound", "pyproject.toml:18 [project.optional-dependencies] all"),
    ]
