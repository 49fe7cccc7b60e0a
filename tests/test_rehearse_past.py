"""Rehearsing a release NumPy already made (2.5.2, tagged in the history fixture): the scratch copy
is rewound to before it, the fake GitHub knows the range's pull requests, and the result is
compared with the real release commit and the published changelog."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from helpers import Cli, Result, git, one_line_error, snapshot

from release.cli import main
from release.config import Config
from release.fakes.example import ExampleProject
from release.fakes.github import FakeGitHub
from release.fakes.history_seed import history_pulls, seed_pulls
from release.rehearsal.past_release import RealRelease, contributors, replay_hand_edits
from release.rehearsal.scratch import Rewind
from release.services.git import GitService
from release.version import ReleaseVersion
from release.wheels.matrix import matrix_for

# A whole rehearsal (or several): the quick loop leaves these out (-m "not slow").
pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).resolve().parent / "data" / "numpy"
PUBLISHED = (FIXTURE / "changelogs" / "2.5.2-changelog.rst").resolve()
REAL_REL = "REL: Prepare for the NumPy 2.5.2 release (#32226)"


@pytest.fixture(scope="module")
def rehearsed(numpy_bundle_clone: Path,
              tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, str]:
    before = snapshot(numpy_bundle_clone)
    workdir = tmp_path_factory.mktemp("past") / "rehearsal"
    out, err = io.StringIO(), io.StringIO()
    code = main(["rehearse", "2.5.2", "--repo", str(numpy_bundle_clone), "--workdir", str(workdir),
                 "--real-changelog", str(PUBLISHED)], env=dict(os.environ), out=out, err=err)
    return Result(code, out.getvalue(), err.getvalue()), workdir, before


@pytest.mark.slow(rehearsals=2)  # the module's rehearsal of NumPy's history comes with it
def test_a_past_release_rehearses_green(rehearsed: tuple[Result, Path, str],
                                        numpy_bundle_clone: Path) -> None:
    result, workdir, before = rehearsed
    assert result.code == 0, result.out[-3000:]
    assert snapshot(numpy_bundle_clone) == before
    assert "FAIL" not in result.out
    assert ("v2.5.2 exists already: rehearsing on a copy from before it (v2.5.2 dropped from the "
            "scratch copy; maintenance/2.5.x reset to 681c0678fc34") in result.err
    upstream = workdir / "scratch" / "upstream.git"
    real_commit = git(numpy_bundle_clone, "rev-parse", "v2.5.2^{commit}").strip()
    assert git(upstream, "cat-file", "-t", "v2.5.2").strip() == "tag"
    assert git(upstream, "rev-parse", "v2.5.2").strip() != git(numpy_bundle_clone, "rev-parse",
                                                               "v2.5.2").strip()
    new_commit = git(upstream, "rev-parse", "v2.5.2^{commit}").strip()
    assert new_commit != real_commit
    assert git(upstream, "log", "-1", "--format=%s", new_commit).strip() == \
        "REL: Prepare for the NumPy 2.5.2 release"
    parent = git(numpy_bundle_clone, "rev-parse", f"{real_commit}^1").strip()
    git(upstream, "merge-base", "--is-ancestor", parent, new_commit)  # raises if not
    # the release PR carries the hand edits and the generated files, as NumPy's squashed one did
    changed = set(git(upstream, "diff", "--name-only", parent, new_commit).split())
    assert changed == {".mailmap", "doc/release/upcoming_changes/31771.c_api.rust",
                       "doc/changelog/2.5.2-changelog.rst", "doc/source/release/2.5.2-notes.rst"}
    generated = git(upstream, "show", "v2.5.2:doc/changelog/2.5.2-changelog.rst")
    assert contributors(generated) == contributors(PUBLISHED.read_text(encoding="utf-8"))
    assert 'version = "2.5.2"' in git(upstream, "show", "v2.5.2:pyproject.toml")


def test_the_index_holds_the_series_file_set(rehearsed: tuple[Result, Path, str]) -> None:
    result, workdir, _ = rehearsed
    version = ReleaseVersion.parse("2.5.2")
    expected = {name for name in matrix_for(Config(), version).filenames(version)
                if "pyodide" not in name}  # never uploaded
    assert {p.name for p in (workdir / "index" / "packages").iterdir()} == expected
    assert f"the index holds {len(expected)} files of 2.5.2" in result.err


def test_the_comparison_with_the_real_release(rehearsed: tuple[Result, Path, str]) -> None:
    result, workdir, _ = rehearsed
    assert "[2.5.2] compare with the real v2.5.2 | ok |" in (workdir / "rehearsal-report.md").read_text()
    report = result.err.split("compare with the real v2.5.2", 1)[1].split("\n== ", 1)[0]
    assert f"Contributors: identical to {PUBLISHED} (16 names)" in report
    # git's title of #31889 lost the " 1" that GitHub's title has
    assert "28 listed, the real changelog 28; 28 in both, 1 with another title" in report
    assert "#31889" in report
    assert 'pyproject.toml version line: identical (version = "2.5.2")' in report
    assert "only the real release commit changed: pyproject.toml" in report  # a classifier line
    # main keeps NumPy's own update after 2.5.2; the fixture's trees have no notes or changelog
    assert ("main (not rewound) already has doc/source/release.rst entry; post-release adds "
            "doc/source/release/2.5.2-notes.rst, doc/changelog/2.5.2-changelog.rst") in report
    assert "[2/2] create doc/changelog/2.5.2-changelog.rst" not in result.err


def test_the_verdict_is_amber_with_each_finding_and_its_fix(rehearsed: tuple[Result, Path, str]) -> None:
    """NumPy 2.5.2 as the branch stood: the malformed and mistyped .mailmap lines, identities
    the changelog would show badly and the misnamed fragment, each once with its file, line
    and fix, however many stages found it; the rehearsal goes on and exits 0."""
    result, workdir, _ = rehearsed
    amber = [line.split("] ", 2)[2].split(":")[0] for line in result.out.splitlines()
             if line.startswith("amber ")]
    assert amber == ["contributor identities (.mailmap), with the issue text",
                     "release notes from the fragments as the branch stood, dry run",
                     "every preflight check"]
    assert re.search(r"^verdict: AMBER \(exit 0\): every stage ran; \d+ findings to look at",
                     result.out, re.MULTILINE)
    data = json.loads((workdir / "rehearsal-verdict.json").read_text())
    assert (data["verdict"], data["exit_code"]) == ("amber", 0)
    found = {(f["kind"], f["file"], f["line"]): f for f in data["findings"]}
    malformed = found["mailmap/malformed", ".mailmap", 769]
    assert malformed["what"] == (".mailmap line 769: unbalanced < >: 'SUMIT SRIMANI "
                                 "<2301109104@ptuniv.edu.in': git skips this line")
    assert malformed["fix"] == "write `Proper Name <proper@email> [Commit Name] <commit@email>`"
    assert malformed["stages"] == [3, 12]  # the preflight saw it as line 775, after the hand edits
    assert found["mailmap/trailing-text", ".mailmap", 523]["fix"] == (
        "delete the text after the last `>` on that line of .mailmap")
    placeholder = found["mailmap/placeholder", ".mailmap", None]
    assert placeholder["what"].startswith("NumPy Bugfix <bugfix@localhost> is a machine")
    assert placeholder["fix"].startswith("add `!Ethan0456 <Ethan0456@users.noreply.github.com> "
                                         "NumPy Bugfix <bugfix@localhost>` to .mailmap")
    notes = found["notes/error", None, None]
    assert notes["what"] == ("1 misnamed file(s) in doc/release/upcoming_changes: 31771.c_api.rust "
                             "(extension .rust, expected .rst)")
    assert notes["fix"].startswith("rename them to <PR>.<type>.rst")
    assert len(data["findings"]) >= 8
    report = (workdir / "rehearsal-report.md").read_text()
    assert "## Verdict: AMBER" in report
    assert "[mailmap/malformed](#finding-1) `.mailmap line 769`: .mailmap line 769: unbalanced" in report
    # the hand edits NumPy made in its release commit are replayed before the release PR
    assert ("committed what the real v2.5.2 commit changed by hand (files the toolkit does not "
            "write):\n     .mailmap\n     doc/release/upcoming_changes/31771.c_api.rust") in result.err
    assert "changelog, dry run (titles from GitHub)" in result.err
    assert "16 contributors (5 first-time), 28 pull requests" in result.err
    assert "the list received one announcement" in result.err  # a title with → goes out as UTF-8


def test_strict_makes_findings_fail(cli: Cli, numpy_bundle_clone: Path, tmp_path: Path) -> None:
    result = cli("rehearse", "2.5.2", "--repo", str(numpy_bundle_clone), "--strict",
                 "--workdir", str(tmp_path / "rehearsal"))
    assert result.code == 1
    assert "FAILED" not in result.out
    assert re.search(r"^verdict: RED \(exit 1\): --strict and \d+ findings to fix before the real "
                     r"release$", result.out, re.MULTILINE)
    assert "## Verdict: RED" in (tmp_path / "rehearsal" / "rehearsal-report.md").read_text()
    # without --real-changelog the fixture's tree has no changelog at the tag to compare with
    assert "no published changelog at v2.5.2:doc/changelog/2.5.2-changelog.rst" in result.err


def test_replaying_again_finds_the_branch(rehearsed: tuple[Result, Path, str], numpy_bundle_clone: Path,
                                          tmp_path: Path) -> None:
    _, workdir, _ = rehearsed
    source = GitService(numpy_bundle_clone)
    version = ReleaseVersion.parse("2.5.2")
    rewind = Rewind.find(source, Config(), version)
    assert rewind is not None
    real = RealRelease.read(source, Config(), version, rewind)
    assert real.hand_paths == (".mailmap", "doc/release/upcoming_changes/31771.c_api.rust")
    repo = workdir / "scratch" / numpy_bundle_clone.name
    said = replay_hand_edits(real, GitService(repo), "maintenance/2.5.x", "prepare-2.5.2", tmp_path / "p")
    assert said == "on prepare-2.5.2, which an earlier run started"
    assert not (tmp_path / "p").exists()


def test_a_real_changelog_needs_a_tagged_version(cli: Cli, numpy_bundle_clone: Path,
                                                 tmp_path: Path) -> None:
    before = snapshot(numpy_bundle_clone)
    result = cli("rehearse", "2.4.7", "--repo", str(numpy_bundle_clone), "--real-changelog",
                 str(PUBLISHED), "--workdir", str(tmp_path / "a"))
    assert result.code == 2
    one_line_error(result.err, "2.4.7 is not tagged")
    result = cli("rehearse", "2.5.2", "--repo", str(numpy_bundle_clone), "--real-changelog",
                 str(tmp_path / "missing.rst"), "--workdir", str(tmp_path / "b"))
    assert result.code == 2
    one_line_error(result.err, "no such file")
    assert snapshot(numpy_bundle_clone) == before


def test_rewind_only_for_a_tagged_version(numpy_bundle_clone: Path) -> None:
    source = GitService(numpy_bundle_clone)
    assert Rewind.find(source, Config(), ReleaseVersion.parse("2.4.7")) is None
    rewind = Rewind.find(source, Config(), ReleaseVersion.parse("2.4.5"))
    assert rewind is not None
    assert rewind.later_tags == ("v2.4.6",)
    assert rewind.branch == "maintenance/2.4.x"
    assert rewind.work_branches == ()
    assert rewind.parent == source.parents(rewind.tagged)[0]


def test_history_seeds_the_fake_with_merges_and_squashes(numpy_bundle_clone: Path) -> None:
    source = GitService(numpy_bundle_clone)
    pulls = {p.number: p for p in history_pulls(source, [("maintenance/2.5.x",
                                                          "v2.5.1..v2.5.2^")])}
    assert len(pulls) == 28
    merge = pulls[32221]  # Merge pull request #32221 from charris/backport-32151
    assert (merge.login, merge.head, merge.base) == ("charris", "charris:backport-32151",
                                                     "maintenance/2.5.x")
    assert merge.title == "BUG: avoid segfaults when legacy copyswap slot is not defined (#32151)"
    with FakeGitHub() as github:
        github.add_repo("numpy/numpy")
        assert seed_pulls(github, "numpy/numpy", pulls.values()) == 28
        stored = github.repo("numpy/numpy").pulls[32221]
        assert (stored.user, stored.merged, stored.base) == ("charris", True, "maintenance/2.5.x")


def test_a_past_release_of_another_project(cli: Cli, example: ExampleProject, tmp_path: Path) -> None:
    """The example project's v1.1.0 ([tool.release], not NumPy): rewound and made anew; its
    changelog was written by hand without #3 and Chandra Dev, which the comparison reports as a
    finding (exit 0). The release manager's old release-PR branch is left out of the copy."""
    git(example.repo, "branch", "prepare-1.1.0", "v1.1.0")
    before = snapshot(example.repo)
    result = cli("rehearse", "1.1.0", "--repo", str(example.repo),
                 "--workdir", str(tmp_path / "rehearsal"))
    assert snapshot(example.repo) == before
    assert result.code == 0, result.out[-3000:]
    assert ("v1.1.0 exists already: rehearsing on a copy from before it (v1.1.0, prepare-1.1.0 "
            "dropped from the scratch copy; maintenance/1.1.x reset to") in result.err
    assert re.search(r"^amber  \[\d+/\d+\] \[1\.1\.0\] compare with the real v1\.1\.0: 2 findings",
                     result.out, re.MULTILINE)
    data = json.loads((tmp_path / "rehearsal" / "rehearsal-verdict.json").read_text())
    found = {f["kind"]: f for f in data["findings"]}
    contributors = found["compare/contributors"]
    assert contributors["what"].startswith("Contributors differ from "
                                           "v1.1.0:doc/changelog/1.1.0-changelog.rst")
    assert ("(3 names here, 2 there): only here Alice Maintainer, Chandra Dev +; only there "
            "Alice Maintainer +") in contributors["what"]
    assert contributors["file"] == "doc/changelog/1.1.0-changelog.rst"
    assert contributors["severity"] == "error"
    pulls = found["compare/pull requests"]
    assert pulls["what"].endswith("only one of them lists #3") and pulls["severity"] == "warning"
    assert "listed by only one of them:" in result.err
    assert ("#3: NumPy's tool lists it too; removed by hand from the published changelog "
            "(changelog --exclude 3)") in result.err
    upstream = tmp_path / "rehearsal" / "scratch" / "upstream.git"
    assert git(upstream, "rev-parse", "v1.1.0").strip() != git(example.repo, "rev-parse",
                                                               "v1.1.0").strip()
