"""github-release against the fake GitHub (real HTTP, real PyGithub) on the example project."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

import helpers
import pytest
from helpers import Cli, Result, git, snapshot

from release.fakes.dists import write_dists
from release.fakes.example import ExampleProject, commit_release_files
from release.fakes.github import FakeGitHub
from release.fakes.github_http import Response
from release.fakes.github_state import Asset, Release
from release.wheels.assets import LocalAsset, RemoteAsset, compare

# Progress lines (`[...]`) come before the error.
one_line_error = partial(helpers.one_line_error, progress=("[",))

REPO = "example/tinynum"
TOKEN = "ghp_CANARY_github_release_0123456789"
READ_TOKEN = "ghp_CANARY_read_only_0123456789"
CHANGELOG_PATH = "doc/changelog/1.2.0-changelog.rst"
NOTES_PATH = "doc/source/release/1.2.0-notes.rst"
CHANGELOG = """
Contributors
============

A total of 2 people contributed to this release.  People with a "+" by their
names contributed a patch for the first time.

* Alice Maintainer
* Bob Builder

Pull requests merged
====================

A total of 1 pull requests were merged for this release.

* `#5 <https://github.com/example/tinynum/pull/5>`__: ENH: add tinynum.mean
"""
NOTES = """\
.. currentmodule:: tinynum

===========================
tinynum 1.2.0 Release Notes
===========================

The tinynum 1.2.0 release adds ``mean`` and makes ``total``
faster.

This release supports Python versions 3.11-3.12.


Highlights
==========

* ``tinynum.mean`` computes the arithmetic mean.
"""
TAG_DATE = "2025-04-02T09:00:00+00:00"
WRITES = ("POST", "PATCH", "PUT", "DELETE")
AnyFake = TypeVar("AnyFake", bound=FakeGitHub)


class FailingUploads(FakeGitHub):
    """GitHub going away after `allowed` asset uploads (the connection a kill would cut)."""

    def __init__(self, allowed: int, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.allowed = allowed
        self.uploads = 0

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Response:
        if method == "POST" and target.startswith("/api/uploads/"):
            self.uploads += 1
            if self.uploads > self.allowed:
                return Response(502, b"<html>Bad gateway</html>", {"Content-Type": "text/html"})
        return super().handle(method, target, headers, body)


@dataclass
class Scene:
    project: ExampleProject
    github: FakeGitHub
    dist: Path
    env: dict[str, str]

    @property
    def repo(self) -> Path:
        return self.project.repo

    def releases(self) -> list[Release]:
        return list(self.github.repo(REPO).releases.values())

    def writes(self) -> int:
        return sum(n for name, n in self.github.rest_calls.items() if name.startswith(WRITES))

    def uploads(self) -> int:
        return sum(n for name, n in self.github.rest_calls.items() if "/api/uploads/" in name)


def _tagged(project: ExampleProject, cli: Cli, monkeypatch: pytest.MonkeyPatch,
            version: str = "1.2.0") -> None:
    commit_release_files(project, version, {CHANGELOG_PATH: CHANGELOG, NOTES_PATH: NOTES})
    monkeypatch.setenv("GIT_COMMITTER_DATE", TAG_DATE)
    result = cli("tag", version, "--repo", str(project.repo), "--push")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    assert result.code == 0, result.err


def _start(fake: AnyFake) -> AnyFake:
    fake.start()
    fake.add_repo(REPO, "main")
    return fake


@pytest.fixture
def scene(example: ExampleProject, cli: Cli, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Scene]:
    _tagged(example, cli, monkeypatch)
    fake = _start(FakeGitHub(tokens={TOKEN: "write", READ_TOKEN: "read"}))
    dist = tmp_path / "dist"
    write_dists(dist, ["tinynum-1.2.0.tar.gz"], "tinynum")
    env = {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.api_url}
    try:
        yield Scene(example, fake, dist, env)
    finally:
        fake.stop()


def _run(scene: Scene, cli: Cli, *args: str, env: dict[str, str] | None = None) -> Result:
    return cli("github-release", "1.2.0", "--repo", str(scene.repo), "--dist", str(scene.dist),
               *args, env=env or scene.env)


def _expected_assets(scene: Scene) -> dict[str, bytes]:
    return {"tinynum-1.2.0.tar.gz": (scene.dist / "tinynum-1.2.0.tar.gz").read_bytes(),
            "README.rst": NOTES.encode(), "1.2.0-changelog.rst": CHANGELOG.encode()}




def test_publish_makes_the_release_with_three_verified_assets(scene: Scene, cli: Cli) -> None:
    result = _run(scene, cli, "--publish")
    assert result.code == 0, result.err
    [release] = scene.releases()
    assert (release.tag_name, release.name) == ("v1.2.0", "v1.2.0 (2025-04-02)")
    assert not release.draft and not release.prerelease and release.immutable
    assert {a.name: a.data for a in release.assets.values()} == _expected_assets(scene)
    body = (scene.repo / "release" / "README.md").read_text(encoding="utf-8")
    assert release.body == body
    assert body.startswith("# tinynum 1.2.0 Release Notes\n\nThe tinynum 1.2.0 release adds "
                           "`mean` and makes `total` faster.\n")
    assert (scene.repo / "release" / "README.rst").read_text(encoding="utf-8") == NOTES
    calls = scene.github.rest_calls
    assert calls["POST /repos/{owner}/{repo}/releases"] == 1
    assert scene.uploads() == 3
    assert calls["PATCH /repos/{owner}/{repo}/releases/{id}"] == 1
    assert "verified: v1.2.0 is published with exactly its 3 assets" in result.err
    assert "v1.2.0 (published):" in result.out
    written = b"".join(p.read_bytes() for p in scene.repo.rglob("*") if p.is_file())
    assert TOKEN not in result.out + result.err and TOKEN.encode() not in written


def test_status_reads_a_finished_release_in_one_query(scene: Scene, cli: Cli) -> None:
    """`status` asks GitHub once (GraphQL: the release, its assets, the release's pull requests)
    where it listed releases and read each asset before; --verbose says what it sent, and the
    fake GitHub saw the same."""
    published = _run(scene, cli, "--publish", "--verbose")
    assert published.code == 0, published.err
    sent = sum(scene.github.rest_calls.values())  # PyGithub's requests and the session's alike
    assert f"GitHub: {sent} REST requests, 0 GraphQL queries (0 points)" in published.err.splitlines()
    scene.github.add_pull(REPO, 40, "REL: begin 1.2.1", "alice", state="open", merged=False,
                          head="alice:begin-1.2.1", base="maintenance/1.2.x")
    scene.github.reset_counts()
    result = cli("status", "1.2.0", "--repo", str(scene.repo), "--json", "--verbose", env=scene.env)
    rows = {row["step"]: row for row in json.loads(result.out)["steps"]}
    assert rows["GitHub release"]["state"] == "done", rows["GitHub release"]
    assert "published with " + ", ".join(sorted(_expected_assets(scene))) + ";" in \
        rows["GitHub release"]["detail"]
    assert f"; pull request #40 is open: {scene.github.root}/{REPO}/pull/40" in \
        rows["maintenance reset"]["detail"]
    counted = sum(scene.github.rest_calls.values()) + scene.github.graphql_calls
    assert counted <= 3 and scene.github.graphql_calls == 1, scene.github.rest_calls
    assert "GitHub: 0 REST requests, 1 GraphQL query (1 point)" in result.err.splitlines()
    assert scene.github.graphql_points == 1


def test_dry_run_changes_nothing_and_sends_no_write(scene: Scene, cli: Cli) -> None:
    before = snapshot(scene.repo)
    result = _run(scene, cli, "--publish", "--dry-run")
    assert result.code == 0, result.err
    assert snapshot(scene.repo) == before
    assert scene.writes() == 0 and scene.releases() == []
    sdist = _expected_assets(scene)["tinynum-1.2.0.tar.gz"]
    out = result.out
    assert "1. create draft release v1.2.0 titled 'v1.2.0 (2025-04-02)'" in out
    assert (f"upload tinynum-1.2.0.tar.gz from {scene.dist / 'tinynum-1.2.0.tar.gz'} "
            f"({len(sdist)} bytes, sha256 {hashlib.sha256(sdist).hexdigest()})") in out
    assert "upload README.rst from v1.2.0:doc/source/release/1.2.0-notes.rst" in out
    assert "upload 1.2.0-changelog.rst from v1.2.0:doc/changelog/1.2.0-changelog.rst" in out
    assert "publish v1.2.0 (draft -> published; immutable from then on)" in out
    assert "+# tinynum 1.2.0 Release Notes" in out  # the README.md diff


def test_without_a_flag_only_local_files_are_written(scene: Scene, cli: Cli) -> None:
    result = _run(scene, cli)
    assert result.code == 0, result.err
    assert scene.writes() == 0 and scene.releases() == []
    assert (scene.repo / "release" / "README.rst").read_text(encoding="utf-8") == NOTES
    assert "Dry run: on GitHub, with --draft (up to the check) or --publish (all)" in result.out
    assert "create draft release v1.2.0" in result.out
    assert git(scene.repo, "status", "--porcelain") == ""  # release/ is ignored


def test_draft_then_rerun_then_publish(scene: Scene, cli: Cli) -> None:
    assert _run(scene, cli, "--draft").code == 0
    [release] = scene.releases()
    assert release.draft and len(release.assets) == 3
    scene.github.reset_counts()
    again = _run(scene, cli, "--draft")
    assert again.code == 0, again.err
    assert scene.writes() == 0
    assert "already on the draft with the same size and sha256" in again.err
    published = _run(scene, cli, "--publish")
    assert published.code == 0, published.err
    assert scene.uploads() == 0 and len(scene.releases()) == 1
    assert not scene.releases()[0].draft


def test_interrupted_upload_then_rerun_has_each_asset_once(example: ExampleProject, cli: Cli,
                                                           tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _tagged(example, cli, monkeypatch)
    fake = _start(FailingUploads(2, tokens={TOKEN: "write"}))
    try:
        dist = tmp_path / "dist"
        write_dists(dist, ["tinynum-1.2.0.tar.gz"], "tinynum")
        scene = Scene(example, fake, dist,
                      {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.api_url})
        first = _run(scene, cli, "--publish")
        assert first.code == 1
        one_line_error(first.err, "GitHub failed (502) while trying to upload")
        [release] = scene.releases()
        assert release.draft and len(release.assets) == 2
        fake.allowed = fake.uploads + 1
        second = _run(scene, cli, "--publish")
        assert second.code == 0, second.err
        [release] = scene.releases()
        names = sorted(a.name for a in release.assets.values())
        assert names == sorted(_expected_assets(scene)) and not release.draft
        assert {a.name: a.data for a in release.assets.values()} == _expected_assets(scene)
    finally:
        fake.stop()


def test_a_different_draft_asset_is_replaced(scene: Scene, cli: Cli, tmp_path: Path) -> None:
    assert _run(scene, cli, "--draft").code == 0
    other = tmp_path / "other"
    write_dists(other, ["tinynum-1.2.0.tar.gz"], "tinynum", note=" (rebuilt)")
    scene.github.reset_counts()
    result = cli("github-release", "1.2.0", "--repo", str(scene.repo), "--sdist",
                 str(other / "tinynum-1.2.0.tar.gz"), "--draft", env=scene.env)
    assert result.code == 0, result.err
    assert "delete asset tinynum-1.2.0.tar.gz" in result.err
    assert scene.uploads() == 1
    [release] = scene.releases()
    sdists = [a for a in release.assets.values() if a.name.endswith(".tar.gz")]
    assert [a.data for a in sdists] == [(other / "tinynum-1.2.0.tar.gz").read_bytes()]


def test_read_only_token_is_one_line_error_and_nothing_done(scene: Scene, cli: Cli) -> None:
    before = snapshot(scene.repo)
    result = _run(scene, cli, "--publish", env={**scene.env, "GITHUB_TOKEN": READ_TOKEN})
    assert result.code == 1
    one_line_error(result.err, "the token may not create the draft release for v1.2.0")
    assert "this needs contents: write" in result.err
    assert scene.releases() == [] and snapshot(scene.repo) == before
    assert READ_TOKEN not in result.out + result.err


def test_published_release_with_another_sdist_is_an_error(scene: Scene, cli: Cli, tmp_path: Path) -> None:
    assert _run(scene, cli, "--publish").code == 0
    other = tmp_path / "other"
    write_dists(other, ["tinynum-1.2.0.tar.gz"], "tinynum", note=" (rebuilt)")
    scene.github.reset_counts()
    result = cli("github-release", "1.2.0", "--repo", str(scene.repo), "--sdist",
                 str(other / "tinynum-1.2.0.tar.gz"), "--publish", env=scene.env)
    assert result.code == 1
    one_line_error(result.err, "v1.2.0 is already published on GitHub and its assets do not "
                                "match: tinynum-1.2.0.tar.gz differs (")
    assert scene.writes() == 0
    same = _run(scene, cli, "--publish")
    assert same.code == 0 and "already published with the same 3 assets; nothing to do" in same.out


def test_release_candidate_is_a_prerelease(example: ExampleProject, cli: Cli, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _tagged(example, cli, monkeypatch, "1.2.0rc1")
    fake = _start(FakeGitHub(tokens={TOKEN: "write"}))
    try:
        dist = tmp_path / "dist"
        write_dists(dist, ["tinynum-1.2.0rc1.tar.gz"], "tinynum")
        env = {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.api_url}
        result = cli("github-release", "1.2.0rc1", "--repo", str(example.repo), "--dist", str(dist),
                     "--publish", env=env)
        assert result.code == 0, result.err
        [release] = fake.repo(REPO).releases.values()
        assert release.prerelease and release.name == "v1.2.0rc1 (2025-04-02)"
        assert sorted(a.name for a in release.assets.values()) == [
            "1.2.0-changelog.rst", "README.rst", "tinynum-1.2.0rc1.tar.gz"]
    finally:
        fake.stop()


def test_tag_not_pushed_is_refused_before_asking_github(example: ExampleProject, cli: Cli,
                                                        tmp_path: Path) -> None:
    commit_release_files(example, "1.2.0", {CHANGELOG_PATH: CHANGELOG, NOTES_PATH: NOTES})
    assert cli("tag", "1.2.0", "--repo", str(example.repo)).code == 0
    with FakeGitHub(tokens={TOKEN: "write"}) as fake:
        env = {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.api_url}
        result = cli("github-release", "1.2.0", "--repo", str(example.repo), "--sdist",
                     str(tmp_path / "none.tar.gz"), "--publish", env=env)
        assert result.code == 1
        one_line_error(result.err, "v1.2.0 is not on upstream")
        assert fake.total_requests == 0


def test_missing_or_wrong_sdist_is_refused(scene: Scene, cli: Cli, tmp_path: Path) -> None:
    missing = cli("github-release", "1.2.0", "--repo", str(scene.repo), "--publish", env=scene.env)
    one_line_error(missing.err, "the sdist tinynum-1.2.0.tar.gz is needed")
    wrong_dir = tmp_path / "wrong"
    write_dists(wrong_dir, ["tinynum-1.1.0.tar.gz"], "tinynum")
    (wrong_dir / "tinynum-1.2.0.tar.gz").write_bytes((wrong_dir / "tinynum-1.1.0.tar.gz").read_bytes())
    wrong = cli("github-release", "1.2.0", "--repo", str(scene.repo), "--dist", str(wrong_dir),
                "--publish", env=scene.env)
    one_line_error(wrong.err, "tinynum-1.2.0.tar.gz holds tinynum 1.1.0, not tinynum 1.2.0")
    assert scene.github.total_requests == 0


def test_without_a_token_the_body_is_still_written(scene: Scene, cli: Cli) -> None:
    env = {k: v for k, v in scene.env.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    result = _run(scene, cli, env=env)
    assert result.code == 0, result.err
    assert (scene.repo / "release" / "README.md").read_text(encoding="utf-8").startswith(
        "# tinynum 1.2.0 Release Notes\n")
    assert "the release on GitHub was not looked at" in result.err
    assert scene.github.total_requests == 0
    refused = _run(scene, cli, "--publish", env=env)
    assert refused.code == 1
    one_line_error(refused.err, "a GitHub token is needed to look for the release v1.2.0")


def test_a_stray_draft_asset_is_deleted(scene: Scene, cli: Cli) -> None:
    assert _run(scene, cli, "--draft").code == 0
    [release] = scene.releases()
    stray = Asset(scene.github.world.new_id(), "notes.txt", "", "text/plain", b"x", "release-manager")
    release.assets[stray.id] = stray
    result = _run(scene, cli, "--draft")
    assert result.code == 0, result.err
    assert f"delete asset notes.txt (id {stray.id}) from the draft" in result.err
    assert sorted(a.name for a in release.assets.values()) == sorted(_expected_assets(scene))


def test_an_incomplete_upload_counts_as_wrong() -> None:
    local = LocalAsset("readme", "README.rst", b"notes\n", "here")
    half = RemoteAsset(7, "README.rst", 6, None, state="starter")
    same = RemoteAsset(8, "README.rst", 6, local.sha256)
    assert compare([local], [half]).replace == ((half, local),)
    assert compare([local], [half]).problems() == ["README.rst differs (upload incomplete: state "
                                                   "starter)"]
    assert compare([local], [same]).in_order


class HangingUploads(FakeGitHub):
    """Holds the connection of every upload after `allowed`, so the client can be killed mid-way."""

    def __init__(self, allowed: int, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.allowed = allowed
        self.uploads = 0
        self.reached = threading.Event()
        self.gate = threading.Event()

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Response:
        if method == "POST" and target.startswith("/api/uploads/"):
            self.uploads += 1
            if self.uploads > self.allowed and not self.gate.is_set():
                self.reached.set()
                self.gate.wait(60)
                return Response(502, b"gone", {"Content-Type": "text/plain"})
        return super().handle(method, target, headers, body)


def test_killed_during_the_third_upload_then_rerun(example: ExampleProject, cli: Cli, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _tagged(example, cli, monkeypatch)
    fake = _start(HangingUploads(2, tokens={TOKEN: "write"}))
    try:
        dist = tmp_path / "dist"
        write_dists(dist, ["tinynum-1.2.0.tar.gz"], "tinynum")
        env = {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.api_url,
               "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        process = subprocess.Popen(
            [sys.executable, "-m", "release", "github-release", "1.2.0", "--repo", str(example.repo),
             "--dist", str(dist), "--publish"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert fake.reached.wait(60), "the third upload never started"
        process.kill()
        process.wait(30)
        fake.gate.set()
        [release] = fake.repo(REPO).releases.values()
        assert release.draft and len(release.assets) == 2
        scene = Scene(example, fake, dist, env)
        rerun = _run(scene, cli, "--publish")
        assert rerun.code == 0, rerun.err
        assert {a.name: a.data for a in release.assets.values()} == _expected_assets(scene)
        assert not release.draft
    finally:
        fake.gate.set()
        fake.stop()


class CorruptingUploads(FakeGitHub):
    """Stores one asset a byte short, as a broken connection or proxy could leave it."""

    def __init__(self, name: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.name = name
        self.active = True

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Response:
        if self.active and method == "POST" and target.startswith("/api/uploads/") \
                and f"name={self.name}" in target:
            body = body[:-1]
        return super().handle(method, target, headers, body)


def test_a_mismatched_asset_is_never_published(example: ExampleProject, cli: Cli, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _tagged(example, cli, monkeypatch)
    fake = _start(CorruptingUploads("README.rst", tokens={TOKEN: "write"}))
    try:
        dist = tmp_path / "dist"
        write_dists(dist, ["tinynum-1.2.0.tar.gz"], "tinynum")
        scene = Scene(example, fake, dist,
                      {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.api_url})
        first = _run(scene, cli, "--publish")
        assert first.code == 1
        one_line_error(first.err, "the assets of v1.2.0 on GitHub are not right: README.rst "
                                   f"differs ({len(NOTES) - 1} bytes on GitHub, {len(NOTES)} here)")
        [release] = scene.releases()
        assert release.draft and len(release.assets) == 3
        assert "PATCH /repos/{owner}/{repo}/releases/{id}" not in fake.rest_calls
        fake.active = False
        second = _run(scene, cli, "--publish")
        assert second.code == 0, second.err
        assert "delete asset README.rst" in second.err and scene.uploads() == 4
        [release] = scene.releases()
        assert {a.name: a.data for a in release.assets.values()} == _expected_assets(scene)
        assert not release.draft
    finally:
        fake.stop()


def test_title_and_assets_come_from_the_config(scene: Scene, cli: Cli) -> None:
    pyproject = scene.repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + (
        '\n[tool.release.github]\nrelease_title = "{project} {version}, {date:%B %d, %Y}"\n'
        'release_assets = ["notes", "changelog"]\n'), encoding="utf-8")
    git(scene.repo, "commit", "--quiet", "-am", "MAINT: release settings")
    result = cli("github-release", "1.2.0", "--repo", str(scene.repo), "--publish", env=scene.env)
    assert result.code == 0, result.err
    [release] = scene.releases()
    assert release.name == "tinynum 1.2.0, April 02, 2025"
    assert {a.name: a.data for a in release.assets.values()} == {
        "1.2.0-notes.rst": NOTES.encode(), "1.2.0-changelog.rst": CHANGELOG.encode()}


def test_a_title_pattern_that_cannot_be_filled_is_refused(scene: Scene, cli: Cli) -> None:
    pyproject = scene.repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + (
        '\n[tool.release.github]\nrelease_title = "v{version} ({when})"\n'), encoding="utf-8")
    git(scene.repo, "commit", "--quiet", "-am", "MAINT: release settings")
    result = _run(scene, cli, "--publish")
    assert result.code != 0
    one_line_error(result.err, "release_title 'v{version} ({when})' cannot be filled")
    assert scene.github.total_requests == 0 and scene.releases() == []
