"""`wheels`: the release workflow on the fake GitHub, and checks of a directory or an index."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GITHUB_CANARY
from helpers import snapshot

from release.config import load_config
from release.fakes.dists import dist_bytes, write_dists
from release.fakes.example import ExampleProject
from release.fakes.github import FakeGitHub
from release.fakes.pypi import LocalIndex
from release.version import ReleaseVersion
from release.wheel_matrix import matrix_for

VERSION = "1.2.0"
WORKFLOW_REPO = "example/tinynum-release"
PYODIDE = "tinynum-1.2.0-cp313-cp313-pyodide_2025_0_wasm32.whl"


def expected(example: ExampleProject, version: str = VERSION) -> list[str]:
    config = load_config(example.repo).config
    return matrix_for(config, ReleaseVersion.parse(version)).filenames(version)


def artifacts(names: list[str]) -> dict[str, dict[str, bytes]]:
    """One artifact per wheel, named like numpy-release's (`cp312-manylinux_x86_64-`), + sdist."""
    found: dict[str, dict[str, bytes]] = {}
    for name in [*names, PYODIDE]:
        key = "sdist" if name.endswith(".tar.gz") else "-".join(name.split("-")[3:])[:-4] + "-"
        found[key] = {name: dist_bytes(name, "tinynum")}
    return found


@pytest.fixture
def release_repo(fake_github: FakeGitHub, example: ExampleProject) -> FakeGitHub:
    fake_github.add_repo(WORKFLOW_REPO, "main",
                         refs={"refs/heads/maintenance/1.2.x": "ab" * 20})
    fake_github.add_workflow(WORKFLOW_REPO, "wheels.yml", "Wheel builder",
                             artifacts=artifacts(expected(example)))
    return fake_github


def one_line_error(err: str, *words: str) -> None:
    lines = err.strip().splitlines()[-2:]
    assert lines[0].startswith("error: ") and lines[1].startswith("hint: "), err
    for word in words:
        assert word in lines[0], err


# --- without a mode: read-only ---------------------------------------------------------------

def test_default_only_shows_the_matrix(example, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("wheels", VERSION, "--repo", str(example.repo))
    assert result.code == 0, result.err
    listed = [line.strip() for line in result.out.splitlines()[1:]]
    assert listed == expected(example)
    assert result.out.startswith("tinynum 1.2.0: 59 wheels + 1 sdist = 60 files")
    assert "read-only: nothing dispatched" in result.err and "--dispatch" in result.err


# --- a local directory -----------------------------------------------------------------------

def test_from_dir_complete(example, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_dists(tmp_path / "dist", expected(example), "tinynum")
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--from-dir",
                 str(tmp_path / "dist"))
    assert result.code == 0, result.err
    assert "60 of 60 expected files - complete" in result.out


def test_from_dir_names_missing_and_stray_files(example, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = expected(example)
    gone, stray = names[7], "tinynum-1.2.1-cp312-cp312-win_amd64.whl"
    write_dists(tmp_path / "dist", [n for n in names if n != gone] + [stray], "tinynum")
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--from-dir",
                 str(tmp_path / "dist"))
    assert result.code == 1
    one_line_error(result.err, f"1 missing ({gone})", f"1 for another version ({stray})")
    assert f"  {gone}" in result.out and f"  {stray}" in result.out


# --- a package index -------------------------------------------------------------------------

def test_index_holding_the_release(example, cli, pypi: LocalIndex) -> None:  # type: ignore[no-untyped-def]
    names = expected(example)
    write_dists(pypi.packages, [*names, "tinynum-1.1.0.tar.gz"], "tinynum")
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--index-url", pypi.url)
    assert result.code == 0, result.err
    assert f"{pypi.simple_url}tinynum/: 60 of 60 expected files - complete" in result.out

    (pypi.packages / names[-1]).unlink()
    missing = cli("wheels", VERSION, "--repo", str(example.repo), "--index-url", pypi.simple_url)
    assert missing.code == 1
    one_line_error(missing.err, "1 missing (tinynum-1.2.0.tar.gz)")


# --- the workflow on the fake GitHub ---------------------------------------------------------

def test_dispatch_follows_downloads_and_verifies(example, release_repo, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                 "--poll-interval", "0")
    assert result.code == 0, result.err
    assert release_repo.dispatches(WORKFLOW_REPO) == [
        ("wheels.yml", "maintenance/1.2.x", {"environment": "none"})]
    dest = example.repo / "dist" / VERSION
    assert sorted(p.name for p in dest.iterdir()) == sorted(expected(example))
    assert (dest / "tinynum-1.2.0.tar.gz").read_bytes() == dist_bytes("tinynum-1.2.0.tar.gz",
                                                                       "tinynum")
    statuses = [line.split(": ", 1)[1] for line in result.err.splitlines()
                if line.startswith("run ")]
    assert statuses == ["in_progress", "completed, success"]  # one look was the dispatch's
    assert f"verified: {dest} holds exactly the 60 files of the matrix" in result.err
    assert f"left out (never uploaded): {PYODIDE}" in result.out
    assert GITHUB_CANARY not in result.out + result.err


def test_environment_is_passed_and_explained(example, release_repo, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                 "--environment", "pypi", "--poll-interval", "0", "--ref", "maintenance/1.2.x")
    assert result.code == 0, result.err
    assert release_repo.dispatches(WORKFLOW_REPO)[0][2] == {"environment": "pypi"}
    assert "approved on example/tinynum-release's deployments page" in result.err


def test_dry_run_dispatches_nothing(example, release_repo, cli) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(example.repo)
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--dry-run")
    assert result.code == 0, result.err
    assert release_repo.dispatches(WORKFLOW_REPO) == []
    assert snapshot(example.repo) == before
    assert ("1. dispatch wheels.yml in example/tinynum-release on maintenance/1.2.x with inputs "
            "{'environment': 'none'}") in result.out
    assert "then verify: " in result.out


def test_dispatch_needs_a_token(example, release_repo, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("GITHUB_TOKEN")
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch")
    assert result.code == 1
    assert release_repo.dispatches(WORKFLOW_REPO) == []
    assert result.err.startswith("error: ")


def test_failed_run_is_an_error_naming_it(example, fake_github, cli) -> None:  # type: ignore[no-untyped-def]
    fake_github.add_repo(WORKFLOW_REPO, "main", refs={"refs/heads/maintenance/1.2.x": "ab" * 20})
    fake_github.add_workflow(WORKFLOW_REPO, "wheels.yml", conclusion="failure",
                             artifacts=artifacts(expected(example)))
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                 "--poll-interval", "0")
    assert result.code == 1
    one_line_error(result.err, "finished with failure")
    assert not (example.repo / "dist" / VERSION).exists()


def test_run_missing_a_wheel_fails_verification(example, fake_github, cli) -> None:  # type: ignore[no-untyped-def]
    names = expected(example)
    fake_github.add_repo(WORKFLOW_REPO, "main", refs={"refs/heads/maintenance/1.2.x": "ab" * 20})
    fake_github.add_workflow(WORKFLOW_REPO, "wheels.yml", artifacts=artifacts(names[1:]))
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                 "--poll-interval", "0")
    assert result.code == 1
    one_line_error(result.err, f"1 missing ({names[0]})")


def test_run_id_follows_an_existing_run_and_refuses_a_full_dest(example, release_repo, cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                "--poll-interval", "0")
    assert first.code == 0, first.err
    run_id = max(release_repo.repo(WORKFLOW_REPO).runs)
    again = cli("wheels", VERSION, "--repo", str(example.repo), "--run-id", str(run_id))
    assert again.code == 1
    one_line_error(again.err, "already holds wheels or an sdist")
    other = example.repo.parent / "second"
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--run-id", str(run_id),
                 "--dest", str(other), "--poll-interval", "0")
    assert result.code == 0, result.err
    assert len(release_repo.dispatches(WORKFLOW_REPO)) == 1
    assert sorted(p.name for p in other.iterdir()) == sorted(expected(example))
