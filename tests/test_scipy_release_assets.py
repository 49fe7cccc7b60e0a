"""SciPy's GitHub release on SciPy's history, against the fake GitHub: the sdist, README.txt (the
notes and every file's md5 and sha256) and Changelog (`git log`), compared with what SciPy's own
tools/release/write_release_and_log.py (from the bundle) writes for the same files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import Cli, Result, git

from release.config import from_table
from release.fakes.dists import write_dists
from release.fakes.github import FakeGitHub
from release.version import ReleaseVersion
from release.wheels.matrix import matrix_for

TOKEN = "ghp_CANARY_scipy_assets_0123456789"
REPO = "scipy/scipy"


@dataclass
class Scene:
    work: Path
    dist: Path
    github: FakeGitHub
    env: dict[str, str]
    config: str

    def run(self, cli: Cli, *args: str) -> Result:
        return cli("github-release", "1.18.1", "--repo", str(self.work), "--dist", str(self.dist),
                   "--config", self.config, *args, env=self.env)


@pytest.fixture
def scene(scipy_bundle_clone: Path, tmp_path: Path) -> Iterator[Scene]:
    upstream, work = tmp_path / "upstream.git", tmp_path / "scipy"
    subprocess.run(["git", "clone", "--quiet", "--bare", "--shared", str(scipy_bundle_clone),
                    str(upstream)], check=True)
    subprocess.run(["git", "clone", "--quiet", "--shared", "--origin", "upstream", str(upstream),
                    str(work)], check=True)
    git(work, "checkout", "--quiet", "--detach", "v1.18.1")
    files = [item.filename for item in matrix_for(from_table({"profile": "scipy"}, "test"),
                                                  ReleaseVersion.parse("1.18.1")).files("1.18.1")]
    dist = tmp_path / "dist"
    write_dists(dist, files, "scipy")
    fake = FakeGitHub(tokens={TOKEN: "write"})
    fake.start()
    fake.add_repo(REPO, "main")
    env = {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.api_url}
    try:
        yield Scene(work, dist, fake, env, str(scipy_bundle_clone.parent / "scipy-release.toml"))
    finally:
        fake.stop()


def scipys_tool(scene: Scene, tmp_path: Path) -> tuple[bytes, bytes]:
    """README.txt and Changelog as SciPy's tool writes them, run in a copy of the v1.18.1
    checkout with the same files in its release/ folder."""
    checkout = tmp_path / "tool-run"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(scene.work), str(checkout)], check=True)
    git(checkout, "checkout", "--quiet", "--detach", "v1.18.1")
    tool = checkout / "write_release_and_log.py"
    tool.write_text(git(checkout, "show", "origin/main:tools/release/write_release_and_log.py"),
                    encoding="utf-8")
    (checkout / "release").mkdir()
    for path in scene.dist.iterdir():
        (checkout / "release" / path.name).write_bytes(path.read_bytes())
    subprocess.run([sys.executable, str(tool), "v1.18.0", "v1.18.1"], cwd=checkout, check=True,
                   capture_output=True)
    return ((checkout / "release" / "README.txt").read_bytes(),
            (checkout / "release" / "Changelog").read_bytes())


def test_published_with_scipys_readme_and_changelog(scene: Scene, cli: Cli, tmp_path: Path) -> None:
    """Byte for byte what SciPy's tool writes, but for the one line each checksum list of the
    tool gives README.txt itself (the sum of the notes alone, taken while the file was being
    written: it checks nothing)."""
    result = scene.run(cli, "--publish")
    assert result.code == 0, result.err
    [release] = scene.github.repo(REPO).releases.values()
    assets = {asset.name: asset.data for asset in release.assets.values()}
    assert sorted(assets) == ["Changelog", "README.txt", "scipy-1.18.1.tar.gz"]
    assert not release.draft and not release.prerelease
    readme, changelog = scipys_tool(scene, tmp_path)
    assert assets["Changelog"] == changelog
    assert changelog.startswith(b"commit ") and b"    REL: SciPy 1.18.1 rel commit\n" in changelog
    tools_lines = readme.decode().splitlines(keepends=True)
    self_sums = [line for line in tools_lines if line.endswith("  README.txt\n")]
    assert len(self_sums) == 2
    assert assets["README.txt"].decode() == "".join(line for line in tools_lines
                                                   if line not in self_sums)
    text = assets["README.txt"].decode()
    assert text.startswith(git(scene.work, "show", "v1.18.1:doc/source/release/1.18.1-notes.rst"))
    assert text.count(".whl\n") == 2 * (len(list(scene.dist.iterdir())) - 1)
    # the files SciPy's tool writes into release/, the description without the lists
    assert (scene.work / "release" / "README.txt").read_bytes() == assets["README.txt"]
    assert "Issues closed for" not in release.body and "Authors" in release.body
    assert "verified: v1.18.1 is published with exactly its 3 assets" in result.err


def test_published_release_takes_no_other_asset(scene: Scene, cli: Cli) -> None:
    """Published releases are immutable: a README.txt over other files is one error and no
    write; GitHub's refusal of an upload to such a release is what the fake answers too."""
    assert scene.run(cli, "--publish").code == 0
    rebuilt = scene.dist / "scipy-1.18.1-cp312-cp312-win_amd64.whl"
    write_dists(scene.dist, [rebuilt.name], "scipy", note=" (rebuilt)")
    scene.github.reset_counts()
    result = scene.run(cli, "--publish")
    assert result.code == 1
    assert "error: v1.18.1 is already published on GitHub and its assets do not match: " \
           "README.txt differs (" in result.err
    assert not any(name.startswith(("POST", "PATCH", "DELETE"))
                   for name in scene.github.rest_calls)
    auth = {"Authorization": f"token {TOKEN}"}
    answer = urllib.request.urlopen(urllib.request.Request(
        f"{scene.github.api_url}/repos/{REPO}/releases/tags/v1.18.1", headers=auth))
    upload_url = json.loads(answer.read())["upload_url"].partition("{")[0]
    request = urllib.request.Request(f"{upload_url}?name=x.txt", data=b"x", method="POST",
                                     headers={**auth, "Content-Type": "text/plain"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 422
    assert b"Cannot upload assets to an immutable release." in refused.value.read()


def test_missing_distribution_is_refused_before_github(scene: Scene, cli: Cli) -> None:
    (scene.dist / "scipy-1.18.1-cp313-cp313-win_arm64.whl").unlink()
    result = scene.run(cli, "--publish")
    assert result.code != 0
    assert "error: README.txt needs the checksums of all 61 files of 1.18.1; 1 are not in " in result.err
    assert scene.github.repo(REPO).releases == {}


def test_dry_run_names_the_generated_files_without_their_text(scene: Scene, cli: Cli) -> None:
    """README.txt and Changelog would go into release/ as SciPy's tool leaves them; a dry run
    names them with their length rather than printing hundreds of lines of log."""
    result = scene.run(cli, "--publish", "--dry-run")
    assert result.code == 0, result.err
    changelog = git(scene.work, "log", "--no-decorate", "v1.18.0..v1.18.1")
    assert f"create release/Changelog ({len(changelog.splitlines())} lines)" in result.out
    assert "create release/README.txt (" in result.out and "+Checksums" not in result.out
    assert not (scene.work / "release").exists() and scene.github.repo(REPO).releases == {}
