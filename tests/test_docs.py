from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from helpers import Cli, Result, git, one_line_error, snapshot

from release.fakes.example import ExampleProject
from release.fakes.numpy_doc import DocRepo, build_html, build_numpy_doc, series_section
from release.sites.doc_site import broken_links

# numpy/doc commit d65d8e044 ("Add documentation for v2.5.0"): the section it added right after
# the marker, and the first switcher entries after it (numpy-satellite-facts.md §1.3, §1.4).
SECTION_2_5 = """\
  <!--- tag v2.5.0 -->
  <li>
    <p class="biglink"><a class="biglink" href="2.5">NumPy 2.5 Manual</a><br/>
      <span><a href="2.5/numpy-html.zip">[HTML+zip]</a></span>
      <span><a href="2.5/numpy-ref.pdf">[Reference Guide PDF]</a></span>
      <span><a href="2.5/numpy-user.pdf">[User Guide PDF]</a></span>
    </p>
  </li>
"""
MARKER = """\
  <!-- Remember to run python3 update.py after editing this!  -->
  <!-- insert here -->
"""
VERSIONS_HEAD_2_5 = """\
[
    {
        "name": "dev",
        "version": "devdocs",
        "url": "https://numpy.org/devdocs/"
    },
    {
        "name": "2.5 (stable)",
        "version": "2.5",
        "url": "https://numpy.org/doc/stable/",
        "preferred": true
    },
    {
        "name": "2.4",
        "version": "2.4",
        "url": "https://numpy.org/doc/2.4/"
    },
    {
        "name": "2.3",
        "version": "2.3",
        "url": "https://numpy.org/doc/2.3/"
    },
"""

# The same commit's versions.json hunk: the stable entry rewritten in place, the old stable
# re-inserted right after it as a plain entry.
STABLE_2_4 = """\
        "name": "2.4 (stable)",
        "version": "2.4",
        "url": "https://numpy.org/doc/stable/",
        "preferred": true
    },
"""
STABLE_2_5_THEN_2_4 = """\
        "name": "2.5 (stable)",
        "version": "2.5",
        "url": "https://numpy.org/doc/stable/",
        "preferred": true
    },
    {
        "name": "2.4",
        "version": "2.4",
        "url": "https://numpy.org/doc/2.4/"
    },
"""


@pytest.fixture
def doc(tmp_path: Path) -> DocRepo:
    return build_numpy_doc(tmp_path / "site")


@pytest.fixture
def numpy_repo(tmp_path: Path) -> Path:
    """A project directory without [tool.release]: the built-in NumPy profile applies."""
    path = tmp_path / "numpy"
    path.mkdir()
    return path


def docs(cli: Cli, project: Path, doc: DocRepo, version: str, built: Path, *extra: str) -> Result:
    return cli("docs", version, "--repo", str(project), "--doc-repo", str(doc.repo), "--built",
               str(built), *extra)




def test_feature_release_edits_like_numpy(cli: Cli, numpy_repo: Path, doc: DocRepo, tmp_path: Path) -> None:
    built = build_html(tmp_path / "html", version="2.5.0")
    index_before = (doc.repo / "index.html").read_text()
    versions_before = (doc.repo / "_static/versions.json").read_text()
    old_2_4 = index_before.split(MARKER)[1]
    result = docs(cli, numpy_repo, doc, "2.5.0", built)
    assert result.code == 0, result.err

    index = (doc.repo / "index.html").read_text()
    assert index.split(MARKER)[1] == SECTION_2_5 + old_2_4
    assert index == index_before.replace(MARKER, MARKER + SECTION_2_5)
    text = (doc.repo / "_static/versions.json").read_text()
    assert text.startswith(VERSIONS_HEAD_2_5) and text.endswith("]\n")
    assert versions_before.count(STABLE_2_4) == 1
    assert text == versions_before.replace(STABLE_2_4, STABLE_2_5_THEN_2_4)
    entries = json.loads(text)
    assert [e["version"] for e in entries] == ["devdocs", "2.5", "2.4", "2.3", "doc/1.26"]
    assert sum(e.get("preferred") is True for e in entries) == 1
    assert os.readlink(doc.repo / "stable") == "2.5"
    assert git(doc.repo, "ls-tree", "HEAD", "stable").split()[0] == "120000"
    assert git(doc.repo, "cat-file", "-p", "HEAD:stable") == "2.5"
    assert git(doc.repo, "log", "-1", "--format=%s").strip() == "Add documentation for v2.5.0"
    assert git(doc.repo, "status", "--porcelain") == ""
    assert '"": "2.5"' in (doc.repo / "_static/versionwarning.js").read_text()
    for href in re.findall(r'href="([^"]+)"', SECTION_2_5):
        target = doc.repo / href
        assert (target / "index.html" if target.is_dir() else target).is_file(), href
    copied = {p.relative_to(doc.repo / "2.5").as_posix() for p in (doc.repo / "2.5").rglob("*")
              if p.is_file()}
    built_files = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    assert copied == built_files | {"numpy-html.zip"}
    assert (doc.repo / "2.5/_images/logo.png").read_bytes() == (built / "_images/logo.png").read_bytes()
    assert "versionwarning.js" in (doc.repo / "2.5/_static/doctools.js").read_text()
    changed = set(git(doc.repo, "show", "--name-only", "--format=", "HEAD").split())
    assert {"index.html", "_static/versions.json", "_static/versionwarning.js", "stable"} <= changed
    assert "2.4/index.html" not in changed and "2.5/numpy-html.zip" in changed
    assert "not pushed" in result.err


def test_rerun_changes_nothing(cli: Cli, numpy_repo: Path, doc: DocRepo, tmp_path: Path) -> None:
    built = build_html(tmp_path / "html", version="2.5.0")
    assert docs(cli, numpy_repo, doc, "2.5.0", built).code == 0
    before = snapshot(doc.repo)
    again = docs(cli, numpy_repo, doc, "2.5.0", built)
    assert again.code == 0 and "nothing to do" in again.out
    assert snapshot(doc.repo) == before


def test_relative_paths_are_where_the_user_is(cli: Cli, numpy_repo: Path, doc: DocRepo,
                                               tmp_path: Path) -> None:
    """Under nox the process runs elsewhere; RELEASE_INVOKED_FROM says where the user typed it."""
    build_html(tmp_path / "html", version="2.5.0")
    env = {**os.environ, "RELEASE_INVOKED_FROM": str(tmp_path)}
    result = cli("docs", "2.5.0", "--repo", str(numpy_repo), "--doc-repo",
                 os.path.relpath(doc.repo, tmp_path), "--built", "html", env=env)
    assert result.code == 0, result.err
    assert git(doc.repo, "log", "-1", "--format=%s").strip() == "Add documentation for v2.5.0"


def test_dry_run_shows_and_changes_nothing(cli: Cli, numpy_repo: Path, doc: DocRepo, tmp_path: Path) -> None:
    built = build_html(tmp_path / "html", version="2.5.0")
    before, remote = snapshot(doc.repo), snapshot(doc.remote)
    result = docs(cli, numpy_repo, doc, "2.5.0", built, "--dry-run", "--push")
    assert result.code == 0, result.err
    assert snapshot(doc.repo) == before and snapshot(doc.remote) == remote
    out = result.out
    assert "sync 2.5/ from" in out and "  + 2.5/numpy-html.zip" in out
    assert "+  <!--- tag v2.5.0 -->\n" in out
    assert '-        "name": "2.4 (stable)",\n' in out and '+        "name": "2.5 (stable)",\n' in out
    assert "point stable -> 2.5 (was 2.4)" in out
    assert "run git commit --quiet -m 'Add documentation for v2.5.0'" in out
    assert "run git push origin refs/heads/main:refs/heads/main" in out


def test_push_publishes_the_commit(cli: Cli, numpy_repo: Path, doc: DocRepo, tmp_path: Path) -> None:
    built = build_html(tmp_path / "html", version="2.5.0")
    result = docs(cli, numpy_repo, doc, "2.5.0", built, "--push")
    assert result.code == 0, result.err
    assert git(doc.remote, "rev-parse", "main") == git(doc.repo, "rev-parse", "HEAD")
    assert "verified: origin has refs/heads/main at the local object" in result.err
    before = snapshot(doc.remote)
    again = docs(cli, numpy_repo, doc, "2.5.0", built, "--push")
    assert again.code == 0 and "nothing to do" in again.out
    assert snapshot(doc.remote) == before


def test_patch_release_replaces_the_series_only(cli: Cli, numpy_repo: Path, doc: DocRepo,
                                                tmp_path: Path) -> None:
    assert docs(cli, numpy_repo, doc, "2.5.0", build_html(tmp_path / "a", version="2.5.0")).code == 0
    index, versions = (doc.repo / "index.html").read_text(), (doc.repo / "_static/versions.json").read_text()
    result = docs(cli, numpy_repo, doc, "2.5.1", build_html(tmp_path / "b", version="2.5.1"))
    assert result.code == 0, result.err
    assert (doc.repo / "index.html").read_text() == index
    assert (doc.repo / "_static/versions.json").read_text() == versions
    assert os.readlink(doc.repo / "stable") == "2.5"
    assert (doc.repo / "2.5/release/2.5.1-notes.html").is_file()
    assert not (doc.repo / "2.5/release/2.5.0-notes.html").exists()
    assert git(doc.repo, "log", "-1", "--format=%s").strip() == "Add documentation for v2.5.1"


def test_older_series_keeps_stable(cli: Cli, numpy_repo: Path, doc: DocRepo, tmp_path: Path) -> None:
    versions = (doc.repo / "_static/versions.json").read_text()
    result = docs(cli, numpy_repo, doc, "2.3.6", build_html(tmp_path / "h", version="2.3.6"))
    assert result.code == 0, result.err
    assert os.readlink(doc.repo / "stable") == "2.4"
    assert (doc.repo / "_static/versions.json").read_text() == versions
    assert (doc.repo / "2.3/release/2.3.6-notes.html").is_file()
    assert "verified: stable" not in result.err


def test_an_older_series_goes_in_version_order(cli: Cli, numpy_repo: Path, tmp_path: Path) -> None:
    doc = build_numpy_doc(tmp_path / "site", series=("1.26", "2.4"), stable="2.4")
    index_before = (doc.repo / "index.html").read_text()
    result = docs(cli, numpy_repo, doc, "2.3.0", build_html(tmp_path / "h", version="2.3.0"))
    assert result.code == 0, result.err
    index = (doc.repo / "index.html").read_text()
    section = series_section("2.3", "2.3.0", pdfs=True)
    after_2_4 = series_section("2.4", "2.4.0", pdfs=True)
    assert index == index_before.replace(after_2_4, after_2_4 + section)
    entries = json.loads((doc.repo / "_static/versions.json").read_text())
    assert [(e["name"], e["version"]) for e in entries] == [
        ("dev", "devdocs"), ("2.4 (stable)", "2.4"), ("2.3", "2.3"), ("1.26", "doc/1.26")]
    assert entries[2]["url"] == "https://numpy.org/doc/2.3/"
    assert os.readlink(doc.repo / "stable") == "2.4"
    assert '"": "2.4"' in (doc.repo / "_static/versionwarning.js").read_text()


def test_other_project(cli: Cli, example: ExampleProject, tmp_path: Path) -> None:
    doc = build_numpy_doc(tmp_path / "site", series=("1.1",), stable="1.1")
    built = build_html(tmp_path / "html", project="tinynum", version="1.2.0", package="tinynum",
                       pdfs=False)
    result = docs(cli, example.repo, doc, "1.2.0", built)
    assert result.code == 0, result.err
    section = (doc.repo / "index.html").read_text().split(MARKER)[1]
    assert section.startswith(
        '  <!--- tag v1.2.0 -->\n  <li>\n    <p class="biglink"><a class="biglink" href="1.2">'
        'tinynum 1.2 Manual</a><br/>\n      <span><a href="1.2/tinynum-html.zip">[HTML+zip]</a>'
        "</span>\n    </p>\n  </li>\n")
    assert (doc.repo / "1.2/tinynum-html.zip").is_file()
    assert json.loads((doc.repo / "_static/versions.json").read_text())[1]["name"] == "1.2 (stable)"


def test_release_candidate_is_skipped(cli: Cli, numpy_repo: Path, doc: DocRepo, tmp_path: Path) -> None:
    before = snapshot(doc.repo)
    result = docs(cli, numpy_repo, doc, "2.5.0rc1", build_html(tmp_path / "h"))
    assert result.code == 0
    assert result.out.startswith("skipped: documentation is not merged for pre-releases")
    assert snapshot(doc.repo) == before


def _break(kind: str, doc: DocRepo, built: Path) -> None:
    index, versions = doc.repo / "index.html", doc.repo / "_static/versions.json"
    if kind == "marker":
        index.write_text(index.read_text().replace("  <!-- insert here -->\n", ""))
    elif kind == "json":
        versions.write_text(versions.read_text().replace('"dev",', '"dev"'))
    elif kind == "two-preferred":
        data = json.loads(versions.read_text())
        data[2]["preferred"] = True
        versions.write_text(json.dumps(data, indent=4) + "\n")
    elif kind == "not-a-list":
        versions.write_text('{"name": "dev"}\n')
    elif kind == "built":
        (built / "index.html").unlink()
        return
    elif kind == "dirty":
        (doc.repo / "stray.txt").write_text("x\n")
        return
    git(doc.repo, "commit", "-q", "-am", f"break {kind}")


@pytest.mark.parametrize(("kind", "words"), [
    ("marker", "has no line `<!-- insert here -->`"),
    ("json", "versions.json is not valid JSON (line 4"),
    ("two-preferred", "has 2 entries with \"preferred\": true, not exactly one"),
    ("not-a-list", "is not a JSON list of objects"),
    ("built", "holds no built HTML"),
    ("dirty", "is not clean (stray.txt)"),
])
def test_bad_input(cli: Cli, numpy_repo: Path, doc: DocRepo, tmp_path: Path, kind: str, words: str) -> None:
    built = build_html(tmp_path / "html", version="2.5.0")
    _break(kind, doc, built)
    before = snapshot(doc.repo)
    result = docs(cli, numpy_repo, doc, "2.5.0", built, "--push")
    assert result.code == 1
    one_line_error(result.err, words)
    assert snapshot(doc.repo) == before


def test_missing_doc_repo(cli: Cli, numpy_repo: Path, tmp_path: Path) -> None:
    result = cli("docs", "2.5.0", "--repo", str(numpy_repo))
    assert result.code == 2
    one_line_error(result.err, "no documentation repository given")
    result = cli("docs", "2.5.0", "--repo", str(numpy_repo), "--doc-repo", str(tmp_path / "nope"))
    one_line_error(result.err, "does not exist")


def test_link_check_names_what_does_not_open(doc: DocRepo) -> None:
    index = (doc.repo / "index.html").read_text()
    hrefs = ["2.4", "2.4/numpy-html.zip", "2.4/numpy-ref.pdf"]
    assert broken_links(doc.repo, index, hrefs) == []
    (doc.repo / "2.4/numpy-ref.pdf").unlink()
    (doc.repo / "2.4/index.html").unlink()
    assert broken_links(doc.repo, index, hrefs) == ["2.4", "2.4/numpy-ref.pdf"]
    assert broken_links(doc.repo, index, ["2.3/numpy-html.zip", "2.5/numpy-html.zip"]) == [
        "2.5/numpy-html.zip"]
