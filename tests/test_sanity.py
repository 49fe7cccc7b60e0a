"""The sanity check on the example project and on a repository with a submodule: the checks on
the user's tree, the tests in a scratch clone of the release commit, `--clean` the only change."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from helpers import Cli, git, snapshot, table_rows

from release.fakes.example import ExampleProject

ENV = ["-c", "user.name=Chuck", "-c", "user.email=chuck@example.org"]
PY = shlex.quote(sys.executable)


def _row(out: str, check: str) -> list[str]:
    for row in table_rows(out):
        if row[1] == check:
            return row
    raise AssertionError(f"no row {check!r} in\n{out}")


@pytest.fixture
def branch(example: ExampleProject) -> ExampleProject:
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    return example


def test_tests_run_in_a_scratch_clone_and_the_tree_stays(branch: ExampleProject, cli: Cli) -> None:
    before = snapshot(branch.repo)
    # the test sees the release commit's files in its own directory, not the user's checkout
    command = (f"{PY} -c \"import os, sys; print(os.getcwd()); "
               "sys.exit(not os.path.isfile('pyproject.toml'))\"")
    result = cli("sanity", "1.2.0", "--repo", str(branch.repo), "--test-command", command)
    assert result.code == 0, result.out + result.err
    assert snapshot(branch.repo) == before
    row = _row(result.out, "tests")
    assert row[2] == "pass" and "release-sanity-" in row[3]
    assert str(branch.repo) not in row[3]
    assert _row(result.out, "maintenance/1.2.x up to date")[2] == "pass"
    assert _row(result.out, "git submodule update")[3] == "no submodules"


def test_a_failing_suite_fails_with_its_last_lines(branch: ExampleProject, cli: Cli) -> None:
    command = f"{PY} -c \"print('3 failed, 97 passed'); raise SystemExit(1)\""
    result = cli("sanity", "1.2.0", "--repo", str(branch.repo), "--test-command", command)
    assert result.code == 1
    row = _row(result.out, "tests")
    assert row[2] == "fail" and "failed (exit 1)" in row[3] and "3 failed, 97 passed" in row[3]


def test_what_git_clean_would_delete_and_clean(branch: ExampleProject, cli: Cli) -> None:
    (branch.repo / "build").mkdir()
    (branch.repo / "build" / "x.o").write_text("x")
    (branch.repo / "notes.txt").write_text("mine")
    args = ("sanity", "1.2.0", "--repo", str(branch.repo), "--no-tests")
    listed = cli(*args)
    row = _row(listed.out, "git clean -xdfq")
    assert row[2] == "warn" and "would delete 2: build/, notes.txt" in row[3]
    assert "python -m release sanity 1.2.0 --clean" in row[4]
    assert (branch.repo / "notes.txt").exists()
    shown = cli(*args, "--clean", "--dry-run")
    assert (branch.repo / "notes.txt").exists() and _row(shown.out, "git clean -xdfq")[2] == "warn"
    cleaned = cli(*args, "--clean")
    assert "deleted 2" in _row(cleaned.out, "git clean -xdfq")[3]
    assert not (branch.repo / "notes.txt").exists() and not (branch.repo / "build").exists()
    assert _row(cli(*args).out, "git clean -xdfq")[3] == "nothing untracked or ignored"


def test_a_branch_behind_upstream_and_a_changed_file(branch: ExampleProject, cli: Cli) -> None:
    git(branch.repo, "reset", "-q", "--hard", "HEAD~1")
    (branch.repo / "README.md").write_text("changed\n")
    result = cli("sanity", "1.2.0", "--repo", str(branch.repo), "--no-tests")
    assert result.code == 1 and result.out, result.err
    behind = _row(result.out, "maintenance/1.2.x up to date")
    assert behind[2] == "fail" and "2 commits behind upstream/maintenance/1.2.x" in behind[3]
    assert "git merge --ff-only upstream/maintenance/1.2.x" in behind[4]
    assert "README.md" in _row(result.out, "work tree")[3]


def test_submodules_are_checked_out_in_the_scratch_clone(tmp_path: Path, cli: Cli) -> None:
    sub = tmp_path / "highway"
    git(tmp_path, "init", "-q", "-b", "main", str(sub))
    (sub / "hwy.h").write_text("// highway\n")
    git(sub, "add", "-A")
    git(sub, *ENV, "commit", "-q", "-m", "hwy")
    repo = tmp_path / "numpy"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    (repo / "pyproject.toml").write_text("[project]\nname = 'numpy'\nversion = '2.5.3'\n")
    git(repo, "add", "-A")
    git(repo, *ENV, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub),
        "vendored/highway")
    git(repo, *ENV, "commit", "-q", "-m", "with a submodule")
    git(repo, "branch", "maintenance/2.5.x")
    git(repo, "submodule", "deinit", "-q", "--all")  # the user's own checkout has not fetched it
    command = f"{PY} -c \"import sys; sys.exit(not open('vendored/highway/hwy.h').read())\""
    result = cli("sanity", "2.5.3", "--repo", str(repo), "--test-command", command)
    assert result.code == 0, result.out + result.err
    assert _row(result.out, "git submodule update")[3] == "1: vendored/highway"
    assert not (repo / "vendored" / "highway" / "hwy.h").exists()


def test_without_the_release_commit_it_says_what_to_fetch(tmp_path: Path, cli: Cli) -> None:
    repo = tmp_path / "numpy"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    (repo / "a").write_text("a")
    git(repo, "add", "-A")
    git(repo, *ENV, "commit", "-q", "-m", "a")
    result = cli("sanity", "2.5.3", "--repo", str(repo), "--no-tests")
    assert result.code == 1 and "maintenance/2.5.x" in result.err and "hint: " in result.err
