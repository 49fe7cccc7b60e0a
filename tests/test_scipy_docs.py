"""docs.scipy.org under the SciPy profile: the front page's row and the served tree (the docs
step), and main's version switcher (post-release), against SciPy's own published edits."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import Cli, git, snapshot

from release.errors import PreconditionError
from release.fakes.docs_scipy_org import DocsSite, build_docs_scipy_org, try_examples_json
from release.fakes.numpy_doc import build_html
from release.sites.scipy_docs import with_stable

DATA = Path(__file__).parent / "data" / "scipy"
SWITCHERS = DATA / "version_switcher"


@pytest.mark.parametrize("version", ["1.18.0", "1.16.2"])
def test_version_switcher_edit_is_scipy_s_own(version: str) -> None:
    """SciPy's forward ports of 1.18.0 and 1.16.2 changed version_switcher.json exactly so."""
    before = (SWITCHERS / f"before-{version}.json").read_text(encoding="utf-8")
    after = (SWITCHERS / f"after-{version}.json").read_text(encoding="utf-8")
    url = f"https://docs.scipy.org/doc/scipy-{version}/"
    assert with_stable(before, version, url, "switcher") == after
    assert with_stable(after, version, url, "switcher") == after


def test_version_switcher_older_release_and_refusals() -> None:
    after = (SWITCHERS / "after-1.18.0.json").read_text(encoding="utf-8")
    older = with_stable(after, "1.17.1", "https://docs.scipy.org/doc/scipy-1.17.1/", "s")
    entries = json.loads(older)
    names = [e["name"] for e in entries]
    assert names[:4] == ["development", "1.18.0 (stable)", "1.17.1", "1.17.0"]
    assert [e for e in entries if e.get("preferred")] == [entries[1]]
    assert older.count('"version":"1.17.1"') == 1  # SciPy's spelling, no space
    two = after.replace('"name": "1.17.0",', '"name": "1.17.0",\n        "preferred": true,', 1)
    with pytest.raises(PreconditionError, match='2 entries with "preferred": true'):
        with_stable(two, "1.18.1", "u", "switcher")


def _site(tmp_path: Path) -> tuple[DocsSite, Path]:
    site = build_docs_scipy_org(tmp_path / "docsite", releases=("1.16.2", "1.17.0"))
    html = build_html(tmp_path / "html", project="SciPy", version="1.18.0", package="scipy",
                      pdfs=False)
    (html / "try_examples.json").write_text(try_examples_json(), encoding="utf-8")
    (tmp_path / "release.toml").write_text('[tool.release]\nprofile = "scipy"\n', encoding="utf-8")
    return site, html


def _changed_lines(patch: str) -> list[str]:
    return [line for line in patch.splitlines()
            if line[:1] in ("+", "-") and not line.startswith(("+++", "---"))]


def test_docs_step_publishes_like_scipy(tmp_path: Path, cli: Cli) -> None:
    site, html = _site(tmp_path)
    args = ("docs", "1.18.0", "--repo", str(tmp_path), "--config", str(tmp_path / "release.toml"),
            "--doc-repo", str(site.repo), "--built", str(html), "--upload-dir", str(site.server))
    before = snapshot(site.repo), snapshot(site.server)
    dry = cli(*args, "--dry-run", "--push")
    assert dry.code == 0, dry.err
    assert (snapshot(site.repo), snapshot(site.server)) == before
    assert "point scipy -> scipy-1.18.0 (was scipy-1.17.0)" in dry.out

    result = cli(*args, "--push")
    assert result.code == 0, result.err
    assert git(site.repo, "log", "-1", "--format=%s").strip() == "Add SciPy 1.18.0"
    ours = _changed_lines(git(site.repo, "show", "HEAD", "--format="))
    theirs = _changed_lines((DATA / "docs.scipy.org" / "add-1.18.0.patch").read_text("utf-8"))
    assert ours == theirs  # the lines SciPy's "Add SciPy 1.18.0" changed on docs.scipy.org
    assert git(site.remote, "rev-parse", "main") == git(site.repo, "rev-parse", "main")
    folder = site.server / "scipy-1.18.0"
    assert (folder / "index.html").is_file() and (folder / "scipy-html-1.18.0.zip").is_file()
    assert (site.server / "scipy").readlink() == Path("scipy-1.18.0")
    assert json.loads((folder / "try_examples.json").read_text("utf-8"))["ignore_patterns"] == []
    assert json.loads((html / "try_examples.json").read_text("utf-8"))["ignore_patterns"] == [".*"]

    again = cli(*args, "--push")
    assert again.code == 0 and "nothing to do" in again.out, again.err

    patch = cli("docs", "1.18.1", "--repo", str(tmp_path), "--config",
                str(tmp_path / "release.toml"), "--doc-repo", str(site.repo))
    assert patch.code == 0 and "X.Y.0 releases only" in patch.out


def test_an_older_release_goes_below_and_keeps_the_link(tmp_path: Path, cli: Cli) -> None:
    site, html = _site(tmp_path)
    (tmp_path / "release.toml").write_text(
        '[tool.release]\nprofile = "scipy"\n[tool.release.docs]\npatch_releases = true\n',
        encoding="utf-8")
    result = cli("docs", "1.16.3", "--repo", str(tmp_path), "--config",
                 str(tmp_path / "release.toml"), "--doc-repo", str(site.repo), "--built",
                 str(html), "--upload-dir", str(site.server))
    assert result.code == 0, result.err
    index = (site.repo / "index.rst").read_text(encoding="utf-8")
    assert index.index('href="scipy-1.17.0/"') < index.index('href="scipy-1.16.3/"') < index.index(
        'href="scipy-1.16.2/"')
    assert "scipy/scipy-html-1.17.0.zip" in index
    assert (site.server / "scipy").readlink() == Path("scipy-1.17.0")


def test_post_release_updates_main_s_switcher_as_scipy_did(scipy_bundle_clone: Path,
                                                            tmp_path: Path, cli: Cli) -> None:
    """SciPy's history has no version_switcher.json (the fixture keeps other paths): main gets
    the real file as it stood before 1.18.0, and post-release leaves it as SciPy's forward port
    did."""
    repo = tmp_path / "scipy"
    subprocess.run(["git", "clone", "--quiet", str(scipy_bundle_clone), str(repo)], check=True)
    git(repo, "remote", "rename", "origin", "upstream")
    git(repo, "fetch", "--quiet", str(scipy_bundle_clone),
        "refs/remotes/origin/maintenance/1.18.x:refs/heads/maintenance/1.18.x")
    switcher = repo / "doc/source/_static/version_switcher.json"
    switcher.parent.mkdir(parents=True, exist_ok=True)
    switcher.write_bytes((SWITCHERS / "before-1.18.0.json").read_bytes())
    git(repo, "config", "user.name", "Release Manager")
    git(repo, "config", "user.email", "rm@example.org")
    git(repo, "add", "--", str(switcher))
    git(repo, "commit", "--quiet", "-m", "the switcher as it stood")
    (tmp_path / "release.toml").write_text('[tool.release]\nprofile = "scipy"\n', encoding="utf-8")
    args = ("post-release", "1.18.0", "--repo", str(repo), "--config", str(tmp_path / "release.toml"))
    result = cli(*args)
    assert result.code == 0, result.err
    work = "post-1.18.0-release-update"
    assert git(repo, "show", f"{work}:doc/source/_static/version_switcher.json") == (
        SWITCHERS / "after-1.18.0.json").read_text(encoding="utf-8")
    assert "- Update version_switcher.json" in git(repo, "log", "-1", "--format=%B", work)
    patch = cli("post-release", "1.18.1", "--repo", str(repo), "--config",
                str(tmp_path / "release.toml"), "--dry-run")
    assert "version_switcher.json" not in patch.out + patch.err  # no docs for patch releases
