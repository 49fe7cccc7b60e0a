"""`wheels`: the release workflow on the fake GitHub, and checks of a directory or an index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path

import helpers
import pytest
from conftest import GITHUB_CANARY
from helpers import Cli, snapshot

from release.config import load_config
from release.fakes.dists import dist_bytes, seed_wheel_workflow, workflow_artifacts, write_dists
from release.fakes.example import ExampleProject
from release.fakes.github import FakeGitHub
from release.fakes.pypi import LocalIndex
from release.version import ReleaseVersion
from release.wheels.matrix import matrix_for

# The step reports progress before it fails.
one_line_error = partial(helpers.one_line_error, tail=True)

VERSION = "1.2.0"
WORKFLOW_REPO = "example/tinynum-release"
PYODIDE = "tinynum-1.2.0-cp313-cp313-pyodide_2025_0_wasm32.whl"


def expected(example: ExampleProject, version: str = VERSION) -> list[str]:
    config = load_config(example.repo).config
    return matrix_for(config, ReleaseVersion.parse(version)).filenames(version)


def artifacts(example: ExampleProject, drop: int | None = None) -> dict[str, dict[str, bytes]]:
    """numpy-release-style artifacts for tinynum 1.2.0; `drop` leaves out one file of the matrix."""
    config = load_config(example.repo).config
    files = matrix_for(config, ReleaseVersion.parse(VERSION)).files(VERSION)
    if drop is not None:
        del files[drop]
    return workflow_artifacts(files, "tinynum", VERSION)


@pytest.fixture
def release_repo(fake_github: FakeGitHub, example: ExampleProject) -> FakeGitHub:
    names = seed_wheel_workflow(fake_github, load_config(example.repo).config, VERSION)
    assert names == expected(example)
    return fake_github




# --- without a mode: read-only ---------------------------------------------------------------

def test_default_only_shows_the_matrix(example: ExampleProject, cli: Cli) -> None:
    result = cli("wheels", VERSION, "--repo", str(example.repo))
    assert result.code == 0, result.err
    listed = [line.strip() for line in result.out.splitlines()[1:]]
    assert listed == expected(example)
    assert result.out.startswith("tinynum 1.2.0: 59 wheels + 1 sdist = 60 files")
    assert "read-only: nothing dispatched" in result.err and "--dispatch" in result.err


# --- a local directory -----------------------------------------------------------------------

def test_from_dir_complete(example: ExampleProject, cli: Cli, tmp_path: Path) -> None:
    write_dists(tmp_path / "dist", expected(example), "tinynum")
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--from-dir",
                 str(tmp_path / "dist"))
    assert result.code == 0, result.err
    assert "60 of 60 expected files - complete" in result.out


def test_relative_from_dir_is_where_the_user_is(example: ExampleProject, cli: Cli, tmp_path: Path) -> None:
    """Under nox the process runs elsewhere; RELEASE_INVOKED_FROM says where the user typed it."""
    write_dists(tmp_path / "dist", expected(example), "tinynum")
    env = {**os.environ, "RELEASE_INVOKED_FROM": str(tmp_path)}
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--from-dir", "dist", env=env)
    assert result.code == 0, result.err
    assert result.out.startswith(f"{tmp_path / 'dist'}: 60 of 60 expected files - complete")


def test_from_dir_names_missing_and_stray_files(example: ExampleProject, cli: Cli, tmp_path: Path) -> None:
    names = expected(example)
    gone, stray = names[7], "tinynum-1.2.1-cp312-cp312-win_amd64.whl"
    write_dists(tmp_path / "dist", [n for n in names if n != gone] + [stray], "tinynum")
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--from-dir",
                 str(tmp_path / "dist"))
    assert result.code == 1
    one_line_error(result.err, f"1 missing ({gone})", f"1 for another version ({stray})")
    assert f"  {gone}" in result.out and f"  {stray}" in result.out


# --- a package index -------------------------------------------------------------------------

def test_index_holding_the_release(example: ExampleProject, cli: Cli, pypi: LocalIndex) -> None:
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

def test_dispatch_follows_downloads_and_verifies(example: ExampleProject, release_repo: FakeGitHub,
                                                 cli: Cli) -> None:
    dest = example.repo / "dist" / VERSION
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                 "--poll-interval", "0", "--dest", str(dest))
    assert result.code == 0, result.err
    assert release_repo.dispatches(WORKFLOW_REPO) == [
        ("wheels.yml", "maintenance/1.2.x", {"environment": "none"})]
    assert sorted(p.name for p in dest.iterdir()) == sorted(expected(example))
    assert (dest / "tinynum-1.2.0.tar.gz").read_bytes() == dist_bytes("tinynum-1.2.0.tar.gz",
                                                                       "tinynum")
    statuses = [line.split(": ", 1)[1] for line in result.err.splitlines()
                if line.startswith("run ")]
    assert statuses == ["in_progress", "completed, success"]  # one look was the dispatch's
    assert f"verified: {dest} holds exactly the 60 files of the matrix" in result.err
    assert f"left out (never uploaded): {PYODIDE}" in result.out
    assert GITHUB_CANARY not in result.out + result.err


def test_environment_is_passed_and_explained(example: ExampleProject, release_repo: FakeGitHub,
                                             cli: Cli) -> None:
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                 "--environment", "pypi", "--poll-interval", "0", "--ref", "maintenance/1.2.x",
                 "--dest", str(example.repo / "dist" / VERSION))
    assert result.code == 0, result.err
    assert release_repo.dispatches(WORKFLOW_REPO)[0][2] == {"environment": "pypi"}
    assert "approved on example/tinynum-release's deployments page" in result.err
    # The upload job waits for approval; the files are checked while it waits.
    run = max(release_repo.repo(WORKFLOW_REPO).runs.values(), key=lambda r: r.id)
    assert not run.approved
    assert any(line.endswith(": waiting") for line in result.err.splitlines())
    assert f"run {run.id} is waiting for approval of the pypi environment: the files check out" \
        in result.out
    assert len(list((example.repo / "dist" / VERSION).iterdir())) == 60


def test_dry_run_dispatches_nothing(example: ExampleProject, release_repo: FakeGitHub, cli: Cli) -> None:
    before = snapshot(example.repo)
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--dry-run")
    assert result.code == 0, result.err
    assert release_repo.dispatches(WORKFLOW_REPO) == []
    assert snapshot(example.repo) == before
    assert ("1. dispatch wheels.yml in example/tinynum-release on maintenance/1.2.x with inputs "
            "{'environment': 'none'}") in result.out
    assert "then verify: " in result.out


def test_dispatch_needs_a_token(example: ExampleProject, release_repo: FakeGitHub, cli: Cli,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch")
    assert result.code == 1
    assert release_repo.dispatches(WORKFLOW_REPO) == []
    one_line_error(result.err, "token")
    assert not (example.repo / "dist").exists()


def test_a_token_without_rights_is_a_one_line_error(example: ExampleProject, cli: Cli,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    read_only = "ghp_CANARY_wheels_read_only_0123456789"
    with FakeGitHub(tokens={read_only: "read"}) as github:
        seed_wheel_workflow(github, load_config(example.repo).config, VERSION)
        monkeypatch.setenv("GITHUB_API_URL", github.api_url)
        monkeypatch.setenv("GITHUB_TOKEN", read_only)
        result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                     "--poll-interval", "0")
        assert result.code == 1
        one_line_error(result.err, "dispatch wheels.yml", "403")
        assert github.dispatches(WORKFLOW_REPO) == []
        assert github.repo(WORKFLOW_REPO).runs == {}
    assert not (example.repo / "dist").exists()
    assert read_only not in result.out + result.err


def test_failed_run_is_an_error_naming_it(example: ExampleProject, fake_github: FakeGitHub, cli: Cli) -> None:
    fake_github.add_repo(WORKFLOW_REPO, "main", refs={"refs/heads/maintenance/1.2.x": "ab" * 20})
    fake_github.add_workflow(WORKFLOW_REPO, "wheels.yml", conclusion="failure",
                             artifacts=artifacts(example))
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                 "--poll-interval", "0")
    assert result.code == 1
    one_line_error(result.err, "finished with failure")
    assert not (example.repo / "dist" / VERSION).exists()


def test_run_missing_a_wheel_fails_verification(example: ExampleProject, fake_github: FakeGitHub,
                                                cli: Cli) -> None:
    names = expected(example)
    fake_github.add_repo(WORKFLOW_REPO, "main", refs={"refs/heads/maintenance/1.2.x": "ab" * 20})
    fake_github.add_workflow(WORKFLOW_REPO, "wheels.yml", artifacts=artifacts(example, drop=0))
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                 "--poll-interval", "0")
    assert result.code == 1
    one_line_error(result.err, f"1 missing ({names[0]})")


def test_run_id_follows_an_existing_run_and_refuses_a_full_dest(example: ExampleProject,
                                                                release_repo: FakeGitHub, cli: Cli) -> None:
    dest = str(example.repo / "dist" / VERSION)
    first = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                "--poll-interval", "0", "--dest", dest)
    assert first.code == 0, first.err
    run_id = max(release_repo.repo(WORKFLOW_REPO).runs)
    again = cli("wheels", VERSION, "--repo", str(example.repo), "--run-id", str(run_id),
                "--dest", dest)
    assert again.code == 1
    one_line_error(again.err, "already holds wheels or an sdist")
    other = example.repo.parent / "second"
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--run-id", str(run_id),
                 "--dest", str(other), "--poll-interval", "0")
    assert result.code == 0, result.err
    assert len(release_repo.dispatches(WORKFLOW_REPO)) == 1
    assert sorted(p.name for p in other.iterdir()) == sorted(expected(example))


def test_numpy_checkout_accepts_the_published_2_4_2_files(numpy_bundle_clone: Path, cli: Cli,
                                                          tmp_path: Path) -> None:
    from test_wheel_matrix import NUMPY_2_4_2

    write_dists(tmp_path / "dist", NUMPY_2_4_2, "numpy")
    result = cli("wheels", "2.4.2", "--repo", str(numpy_bundle_clone), "--from-dir",
                 str(tmp_path / "dist"))
    assert result.code == 0, result.err
    assert "72 of 72 expected files - complete" in result.out

    (tmp_path / "dist" / "numpy-2.4.2-pp311-pypy311_pp73-win_amd64.whl").unlink()
    missing = cli("wheels", "2.4.2", "--repo", str(numpy_bundle_clone), "--from-dir",
                  str(tmp_path / "dist"))
    assert missing.code == 1
    one_line_error(missing.err, "1 missing (numpy-2.4.2-pp311-pypy311_pp73-win_amd64.whl)")


def test_index_speaking_the_json_simple_api(example: ExampleProject, cli: Cli, tmp_path: Path) -> None:
    """PyPI answers PEP 691 JSON when asked; the same check works on it."""
    import hashlib
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    names = expected(example)[1:]
    body = json.dumps({"meta": {"api-version": "1.1"}, "name": "tinynum", "files": [
        {"filename": n, "url": f"../../files/{n}",
         "hashes": {"sha256": hashlib.sha256(n.encode()).hexdigest()}} for n in names]}).encode()
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(f"{self.path} {self.headers['Accept']}")
            self.send_response(200 if self.path == "/simple/tinynum/" else 404)
            self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        result = cli("wheels", VERSION, "--repo", str(example.repo), "--index-url", url)
    finally:
        server.shutdown()
        server.server_close()
    assert seen and seen[0].startswith("/simple/tinynum/ application/vnd.pypi.simple.v1+json")
    assert result.code == 1
    one_line_error(result.err, f"1 missing ({expected(example)[0]})")
    assert "59 of 60 expected files" in result.out


def test_release_candidate_from_workflow_to_index(example: ExampleProject, fake_github: FakeGitHub,
                                                  pypi: LocalIndex, cli: Cli) -> None:
    """The rehearsal's sequence: build with the workflow, upload the files, check the index."""
    import os

    rc = "1.2.0rc1"
    names = seed_wheel_workflow(fake_github, load_config(example.repo).config, rc)
    assert names[-1] == "tinynum-1.2.0rc1.tar.gz"
    dest = example.repo / "dist" / rc
    built = cli("wheels", rc, "--repo", str(example.repo), "--dispatch", "--poll-interval", "0",
                "--dest", str(dest))
    assert built.code == 0, built.err
    env = {**os.environ, **pypi.env()}
    uploaded = cli("upload", rc, "--repo", str(example.repo), "--from-dir", str(dest),
                   "--repository-url", pypi.url, "--upload", env=env)
    assert uploaded.code == 0, uploaded.err
    assert pypi.filenames() == sorted(names)
    checked = cli("wheels", rc, "--repo", str(example.repo), "--index-url", pypi.url)
    assert checked.code == 0, checked.err
    assert "60 of 60 expected files - complete" in checked.out


def test_following_backs_off_and_gives_up_at_the_timeout() -> None:
    import io

    from release.errors import ServiceError
    from release.services.github import GitHubService
    from release.services.github_actions import GitHubActions
    from release.wheels.run import Followed, follow

    with FakeGitHub(run_polls=6) as gh:
        gh.add_repo(WORKFLOW_REPO, "main")
        gh.add_workflow(WORKFLOW_REPO, "wheels.yml")
        service = GitHubService(WORKFLOW_REPO, token="t", api_url=gh.api_url)
        actions = GitHubActions(service)
        started = actions.dispatch("wheels.yml", "main", {"environment": "none"})
        waits: list[float] = []
        err = io.StringIO()
        run = follow(actions, Followed(started), err, 10, 60, sleep=waits.append, clock=lambda: 0)
        assert run.conclusion == "success"
        assert waits == [10, 15, 22.5, 33.75, 50.625]
        assert err.getvalue().count("in_progress") == 1  # one line per change of status

        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        screen = Terminal()
        again = actions.dispatch("wheels.yml", "main", {"environment": "none"})
        follow(actions, Followed(again), screen, 0, 60, sleep=waits.append, clock=lambda: 0)
        assert "\x1b[" in screen.getvalue() and "completed, success" in screen.getvalue()

        slow = actions.dispatch("wheels.yml", "main", {"environment": "none"})
        now = [0.0]

        def sleep(seconds: float) -> None:
            now[0] += seconds

        with pytest.raises(ServiceError) as info:
            follow(actions, Followed(slow), io.StringIO(), 100, 2, sleep=sleep,
                   clock=lambda: now[0])
        assert f"--run-id {slow.id}" in (info.value.hint or "")


def test_workflow_repo_workflow_and_ref_are_options(example: ExampleProject, fake_github: FakeGitHub,
                                                    cli: Cli) -> None:
    other = "someone/tinynum-builds"
    fake_github.add_repo(other, "main", refs={"refs/heads/release-builds": "cd" * 20})
    fake_github.add_workflow(other, "build.yml", artifacts=artifacts(example))
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch",
                 "--workflow-repo", other, "--workflow", "build.yml", "--ref", "release-builds",
                 "--environment", "testpypi", "--poll-interval", "0",
                 "--dest", str(example.repo.parent / "built"))
    assert result.code == 0, result.err
    assert fake_github.dispatches(other) == [
        ("build.yml", "release-builds", {"environment": "testpypi"})]
    assert sorted(p.name for p in (example.repo.parent / "built").iterdir()) == \
        sorted(expected(example))


def test_json_file_check(example: ExampleProject, cli: Cli, tmp_path: Path) -> None:
    names = expected(example)
    gone, stray = names[7], "tinynum-1.2.1-cp312-cp312-win_amd64.whl"
    write_dists(tmp_path / "dist", [n for n in names if n != gone] + [stray], "tinynum")
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--from-dir",
                 str(tmp_path / "dist"), "--json")
    assert result.code == 1
    document = json.loads(result.out)
    assert (document["kind"], document["schema_version"], document["complete"]) == ("wheels", 1, False)
    assert [m["file"] for m in document["missing"]] == [gone] and document["missing"][0]["what"]
    assert document["wrong_version"] == [stray] and len(document["expected"]) == 60
    matrix = json.loads(cli("wheels", VERSION, "--repo", str(example.repo), "--json").out)
    assert matrix["expected"] == names and matrix["distribution"] == "tinynum"
    refused = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--json")
    assert refused.code == 2 and "--json is for the file check" in refused.err


@pytest.mark.parametrize(("option", "value"), [
    ("--poll-interval", "-1"), ("--poll-interval", "nan"), ("--timeout", "0"),
    ("--timeout", "inf"), ("--timeout", "-5")])
def test_waits_are_checked_before_the_dispatch(example: ExampleProject, release_repo: FakeGitHub, cli: Cli,
                                               option: str,
                                               value: str) -> None:
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch", option, value)
    assert result.code == 2
    one_line_error(result.err, option, "is not a")
    assert "nothing was dispatched" in result.err
    assert release_repo.dispatches(WORKFLOW_REPO) == []


@pytest.mark.parametrize("fault", ["fail:1", "interrupt:2", "term:3", "fail:verify", "kill:2",
                                   "kill:3"])
def test_a_stopped_dispatch_is_followed_not_dispatched_again(example: ExampleProject,
                                                             release_repo: FakeGitHub, cli: Cli,
                                                             fault: str) -> None:
    argv = ["wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--poll-interval", "0",
            "--dest", str(example.repo / "dist" / VERSION)]
    env = {**os.environ, "RELEASE_FAULT": fault}
    if fault.startswith("kill:"):
        killed = subprocess.run([sys.executable, "-m", "release", *argv], env=env,
                                capture_output=True, text=True, check=False)
        assert killed.returncode == -9, killed.stderr
    else:
        failed = cli(*argv, env=env)
        assert failed.code != 0 and "Traceback" not in failed.err, failed.err
        if fault == "fail:1":
            assert "nothing was changed" in failed.err
        else:  # the dispatch happened: said, with how to finish and how to undo
            assert "done before that, and kept: 1. dispatch wheels.yml" in failed.err
            assert f"to finish, rerun `python -m release {' '.join(argv)}`" in failed.err
            assert "gh run cancel" in failed.err
    dest = example.repo / "dist" / VERSION
    assert not dest.exists() or fault == "fail:verify"  # a stopped download is put back
    again = cli(*argv)
    assert again.code == 0, again.err
    dispatched = 0 if fault == "fail:1" else 1
    if dispatched:
        assert "is the one an earlier `wheels --dispatch` started for 1.2.0" in again.err
    assert len(release_repo.dispatches(WORKFLOW_REPO)) == 1  # never a second build
    assert sorted(p.name for p in dest.iterdir()) == sorted(expected(example))


def test_a_failed_run_is_not_followed_again(example: ExampleProject, fake_github: FakeGitHub,
                                            cli: Cli) -> None:
    fake_github.add_repo(WORKFLOW_REPO, "main", refs={"refs/heads/maintenance/1.2.x": "ab" * 20})
    fake_github.add_workflow(WORKFLOW_REPO, "wheels.yml", conclusion="failure",
                             artifacts=artifacts(example))
    argv = ["wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--poll-interval", "0"]
    assert cli(*argv).code == 1
    assert cli(*argv).code == 1
    assert len(fake_github.dispatches(WORKFLOW_REPO)) == 2  # the failed build is built again


# --- what a run's check costs ------------------------------------------------------------------

ZIP = "GET /repos/{owner}/{repo}/actions/artifacts/{artifact}/zip"


def test_the_test_build_is_checked_from_the_list_and_downloads_nothing(
        example: ExampleProject, release_repo: FakeGitHub, cli: Cli) -> None:
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--poll-interval", "0")
    assert result.code == 0, result.err
    assert release_repo.rest_calls[ZIP] == 0
    assert release_repo.rest_calls["GET /repos/{owner}/{repo}/actions/runs/{run}/artifacts"] == 1
    assert not (example.repo / "dist").exists()
    assert "checked from its artifact list; nothing downloaded" in result.out
    assert "left out (never uploaded): artifact cp313-pyodide_wasm32-" in result.out


def test_an_uploading_build_downloads_only_the_sdist(example: ExampleProject, release_repo: FakeGitHub,
                                                     cli: Cli) -> None:
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--environment", "pypi",
                 "--poll-interval", "0")
    assert result.code == 0, result.err
    assert release_repo.rest_calls[ZIP] == 1
    dest = example.repo / "dist" / VERSION
    assert [p.name for p in dest.iterdir()] == ["tinynum-1.2.0.tar.gz"]
    assert "the sdist is in" in result.out and "waiting for approval" in result.out


def test_an_expired_or_extra_artifact_fails_the_check_from_the_list(
        example: ExampleProject, fake_github: FakeGitHub, cli: Cli) -> None:
    files = artifacts(example)
    files["cp312-freebsd_x86_64-"] = {"odd.whl": b"x"}
    fake_github.add_repo(WORKFLOW_REPO, "main", refs={"refs/heads/maintenance/1.2.x": "ab" * 20})
    fake_github.add_workflow(WORKFLOW_REPO, "wheels.yml", artifacts=files)
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--poll-interval", "0")
    assert result.code == 1
    one_line_error(result.err, "1 not in the matrix (artifact cp312-freebsd_x86_64-)")
    assert fake_github.rest_calls[ZIP] == 0


def test_a_poll_over_an_unchanged_run_costs_no_counted_request() -> None:
    import io

    from release.services.github import GitHubService
    from release.services.github_actions import GitHubActions
    from release.wheels.run import Followed, follow

    with FakeGitHub(run_polls=8) as gh:
        gh.add_repo(WORKFLOW_REPO, "main")
        gh.add_workflow(WORKFLOW_REPO, "wheels.yml")
        actions = GitHubActions(GitHubService(WORKFLOW_REPO, token="t", api_url=gh.api_url))
        started = actions.dispatch("wheels.yml", "main", {"environment": "none"})  # looked: queued
        gh.reset_counts()
        remaining = gh.rest_remaining
        state = Followed(started)
        err = io.StringIO()
        run = follow(actions, state, err, 1, 60, sleep=lambda _: None, clock=lambda: 0)
        looks = gh.rest_calls["GET /repos/{owner}/{repo}/actions/runs/{run}"]
        # in_progress (changed: counted), six unchanged looks (304: free), completed (counted)
        assert (looks, gh.free_calls["GET /repos/{owner}/{repo}/actions/runs/{run}"]) == (8, 6)
        assert gh.counted_rest == 2 and state.unchanged == 6
        assert gh.rest_remaining == remaining - 2  # the limit GitHub reports, alike
        assert run.status == "completed" and run.conclusion == "success"
        assert err.getvalue().count("in_progress") == 1  # each 304 gave back what the look before had


def test_artifacts_named_otherwise_are_downloaded_once_to_be_checked(
        example: ExampleProject, fake_github: FakeGitHub, cli: Cli) -> None:
    """A workflow that does not name its artifacts as the matrix's jobs: the list cannot say
    which file each holds, so they are downloaded (once, for the check and the copy alike)."""
    files = {f"dist-{n}": contents for n, contents in enumerate(artifacts(example).values())}
    fake_github.add_repo(WORKFLOW_REPO, "main", refs={"refs/heads/maintenance/1.2.x": "ab" * 20})
    fake_github.add_workflow(WORKFLOW_REPO, "wheels.yml", artifacts=files)
    dest = example.repo / "dist" / VERSION
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--poll-interval", "0",
                 "--dest", str(dest))
    assert result.code == 0, result.err
    assert fake_github.rest_calls[ZIP] == len(files)
    assert sorted(p.name for p in dest.iterdir()) == sorted(expected(example))
    fake_github.reset_counts()
    checked = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--poll-interval", "0",
                  "--dest", str(example.repo / "second"))
    assert checked.code == 0, checked.err
    assert fake_github.rest_calls[ZIP] == len(files)  # the second run's, once
    tested = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--poll-interval", "0")
    assert tested.code == 0, tested.err
    assert "checked by downloading them to a temporary directory; nothing kept" in tested.out
