from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Cli, git, one_line_error, snapshot

from release.checks.capi import api_hash
from release.fakes import example_files as f
from release.fakes.example import ExampleProject

CFG = "numpy/_core/include/numpy/numpyconfig.h"


@pytest.mark.parametrize("ref", ["v2.0.0", "v2.4.0", "v2.5.0", "v2.5.2", "v2.6.0.dev0"])
def test_numpy_releases_are_consistent(numpy_bundle_clone: Path, cli: Cli, ref: str) -> None:
    result = cli("cversions", "--repo", str(numpy_bundle_clone), "--ref", ref)
    assert result.code == 0, result.out + result.err
    assert "fail" not in result.out
    assert "pass  cversions.txt hash: 0x000000" in result.out


def test_numpy_2_2_0_warns_about_the_missing_macro(numpy_bundle_clone: Path, cli: Cli) -> None:
    result = cli("cversions", "--repo", str(numpy_bundle_clone), "--ref", "v2.2.0")
    assert result.code == 0
    assert "fail" not in result.out
    assert f"warn  NPY_2_2_API_VERSION: {CFG} does not define it yet" in result.out
    assert f"fix: add to {CFG}: #define NPY_2_2_API_VERSION 0x00000013" in result.out


def test_numpy_2_5_0_dev0_names_the_wrong_macro(numpy_bundle_clone: Path, cli: Cli) -> None:
    """The slip fixed by numpy#30740: the 2.5 macro said 0x16 while C_API_VERSION was 0x15."""
    result = cli("cversions", "--repo", str(numpy_bundle_clone), "--ref", "v2.5.0.dev0")
    assert result.code == 1
    line = git(numpy_bundle_clone, "show", f"v2.5.0.dev0:{CFG}").splitlines()[87]
    assert line == "#define NPY_2_5_API_VERSION 0x00000016"
    assert (f"fail  NPY_2_5_API_VERSION: {CFG} line 88: `{line}` but C_API_VERSION is 0x00000015"
            in result.out)
    assert f"fix: change {CFG} line 88 to: #define NPY_2_5_API_VERSION 0x00000015" in result.out
    assert "pass  cversions.txt hash: 0x00000015 = fbd24fc5b2ba4f7cd3606ec6128de7a5" in result.out


def test_numpy_2_3_0_comment_typo_is_a_warning(numpy_bundle_clone: Path, cli: Cli) -> None:
    result = cli("cversions", "2.3.0", "--repo", str(numpy_bundle_clone), "--ref", "v2.3.0")
    assert result.code == 0
    assert "warn  cversions.txt comment: line 81 `# Version 19 (NumPy 2.3.0)` says version 19" in (
        result.out)


def test_old_core_paths(numpy_bundle_clone: Path, cli: Cli) -> None:
    result = cli("cversions", "--repo", str(numpy_bundle_clone), "--ref", "v1.26.0")
    assert result.code == 0, result.err
    assert "matches numpy/core/code_generators/numpy_api.py" in result.out


@pytest.fixture
def branch(example: ExampleProject) -> Path:
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    return example.repo


def test_example_passes_with_version_from_pyproject(branch: Path, cli: Cli) -> None:
    result = cli("cversions", "--repo", str(branch))
    assert result.code == 0, result.err
    assert "tinynum 1.2.0.dev0" in result.err
    assert f"pass  cversions.txt hash: 0x00000002 = {api_hash(f.numpy_api(True))}" in result.out
    assert "pass  NPY_1_2_API_VERSION: 0x00000002" in result.out


def test_api_change_without_version_bump_fails(branch: Path, cli: Cli) -> None:
    api = branch / f.NUMPY_API
    api.write_text(api.read_text().replace("(5,)", "(5, MinVersion(\"1.2\"))"))
    new = api_hash(api.read_text())
    before = snapshot(branch)
    result = cli("cversions", "1.2.0", "--repo", str(branch), "--fix")
    assert result.code == 1
    assert snapshot(branch) == before
    assert "needs no new line; the failures above need the edits their fix lines show" in result.err
    assert f"hashes to {new}" in result.out and "the C API changed" in result.out
    assert f"set C_API_VERSION = '0x00000003' in {f.MESON} and add `0x00000003 = {new}`" in result.out


def test_fix_adds_the_missing_line(branch: Path, cli: Cli) -> None:
    api = branch / f.NUMPY_API
    api.write_text(api.read_text().replace("(5,)", "(5, MinVersion(\"1.2\"))"))
    meson = branch / f.MESON
    meson.write_text(meson.read_text().replace("C_API_VERSION = '0x00000002'",
                                               "C_API_VERSION = '0x00000003'"))
    cfg = branch / f.NUMPYCONFIG
    cfg.write_text(cfg.read_text().replace("NPY_1_2_API_VERSION 0x00000002",
                                           "NPY_1_2_API_VERSION 0x00000003"))
    new = api_hash(api.read_text())
    result = cli("cversions", "1.2.0", "--repo", str(branch))
    assert result.code == 1
    assert "no entry for it" in result.out
    assert f"# Version 3 (tinynum 1.2.0)\n           0x00000003 = {new}" in result.out

    before = snapshot(branch)
    dry = cli("cversions", "1.2.0", "--repo", str(branch), "--fix", "--dry-run")
    assert snapshot(branch) == before
    assert f"+# Version 3 (tinynum 1.2.0)\n+0x00000003 = {new}\n" in dry.out

    fixed = cli("cversions", "1.2.0", "--repo", str(branch), "--fix")
    assert fixed.code == 0, fixed.out + fixed.err
    text = (branch / f.CVERSIONS).read_text()
    assert text.endswith(f"# Version 3 (tinynum 1.2.0)\n0x00000003 = {new}\n")
    assert "verified: " in fixed.err
    again = cli("cversions", "1.2.0", "--repo", str(branch), "--fix")
    assert again.code == 0 and "needs no new line" in again.err
    assert (branch / f.CVERSIONS).read_text() == text


def test_wrong_macro_and_decreasing_macros(branch: Path, cli: Cli) -> None:
    cfg = branch / f.NUMPYCONFIG
    cfg.write_text(cfg.read_text().replace("NPY_1_2_API_VERSION 0x00000002",
                                           "NPY_1_2_API_VERSION 0x00000000"))
    result = cli("cversions", "1.2.0", "--repo", str(branch))
    assert result.code == 1
    assert "fail  NPY_1_2_API_VERSION:" in result.out
    assert "fail  API version macros:" in result.out
    assert "but C_API_VERSION is 0x00000002" in result.out


def test_meson_newer_than_cversions_is_named(branch: Path, cli: Cli) -> None:
    meson = branch / f.MESON
    meson.write_text(meson.read_text().replace("'0x00000002'", "'0x00000001'"))
    result = cli("cversions", "1.2.0", "--repo", str(branch))
    assert result.code == 1
    assert f"fix: in {f.MESON}: C_API_VERSION = '0x00000002'" in result.out


@pytest.mark.parametrize(
    ("kind", "argv", "code", "words"),
    [
        ("missing-meson", ["1.2.0"], 1, f"meson.build {f.MESON} does not exist"),
        ("bad-meson", ["1.2.0"], 1, "has no line C_API_VERSION"),
        ("bad-cversions", ["1.2.0"], 1, "has no `0x........ = <md5>` lines"),
        ("typo-cversions", ["1.2.0"], 1, "line 6 is not `0x........ = <md5>`: '0x00000002 = ff98'"),
        ("bad-api", ["1.2.0"], 1, "does not parse"),
        ("none", ["1.2"], 2, "exactly three numbers"),
        ("none", ["9.9.0"], 1, "pyproject.toml says 1.2.0.dev0; 9.9.0 is not a 1.2 release"),
        ("none", ["1.2.0", "--ref", "no-such-ref"], 1, "'no-such-ref' is not a commit"),
        ("none", ["1.2.0", "--ref", "v1.1.0", "--fix"], 2, "cannot be combined with --ref"),
    ],
)
def test_bad_input(branch: Path, cli: Cli, kind: str, argv: list[str], code: int, words: str) -> None:
    if kind == "missing-meson":
        (branch / f.MESON).unlink()
    elif kind == "bad-meson":
        (branch / f.MESON).write_text("project('tinynum')\n")
    elif kind == "bad-cversions":
        (branch / f.CVERSIONS).write_text("# nothing here\n")
    elif kind == "typo-cversions":
        path = branch / f.CVERSIONS
        lines = path.read_text().splitlines()
        lines[5] = "0x00000002 = ff98"
        path.write_text("\n".join(lines) + "\n")
    elif kind == "bad-api":
        (branch / f.NUMPY_API).write_text("multiarray_funcs_api = {\n")
    before = snapshot(branch)
    result = cli("cversions", *argv, "--repo", str(branch), "--fix" if kind != "none" else "--dry-run")
    assert result.code == code, result.out + result.err
    one_line_error(result.err, words)
    assert snapshot(branch) == before


def test_missing_abi_line_only_warns(branch: Path, cli: Cli) -> None:
    meson = branch / f.MESON
    meson.write_text("".join(line for line in meson.read_text().splitlines(keepends=True)
                             if not line.startswith("C_ABI_VERSION")))
    result = cli("cversions", "1.2.0", "--repo", str(branch))
    assert result.code == 0, result.out + result.err
    assert f"warn  C_ABI_VERSION: {f.MESON} has no C_ABI_VERSION line\n" \
           f"      fix: add to {f.MESON}: C_ABI_VERSION = '0x01000000'\n" in result.out


def test_version_comes_from_the_work_tree(branch: Path, cli: Cli) -> None:
    """An uncommitted version bump is what the C-API files are checked against."""
    pyproject = branch / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"1.2.0.dev0"', '"1.3.0.dev0"'))
    result = cli("cversions", "--repo", str(branch))
    assert "tinynum 1.3.0.dev0" in result.err
    assert "warn  NPY_1_3_API_VERSION:" in result.out
    pyproject.unlink()
    before = snapshot(branch)
    missing = cli("cversions", "--repo", str(branch), "--fix")
    assert missing.code == 2
    one_line_error(missing.err, "no version given and pyproject.toml is missing")
    assert snapshot(branch) == before


def test_a_project_without_a_c_api_says_so_and_skips(example: ExampleProject, cli: Cli) -> None:
    """`cversions = ""` in [tool.release]: no C-API files are looked for, by cversions or check."""
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    pyproject = example.repo / "pyproject.toml"
    text = pyproject.read_text()
    assert f'cversions = "{f.CVERSIONS}"' in text
    pyproject.write_text(text.replace(f'cversions = "{f.CVERSIONS}"', 'cversions = ""'))
    git(example.repo, "rm", "-q", f.CVERSIONS, f.NUMPY_API, f.NUMPYCONFIG)
    git(example.repo, "commit", "-qam", "MAINT: no C API")
    before = snapshot(example.repo)
    result = cli("cversions", "1.2.0", "--repo", str(example.repo))
    assert result.code == 0, result.err
    assert "pass  C-API version: none to check: cversions = \"\" in tinynum's [tool.release]" in result.out
    result = cli("check", "1.2.0", "--repo", str(example.repo), "--offline")  # no network here
    assert "none to check" in result.out
    assert "could not run" not in result.out
    assert snapshot(example.repo) == before
