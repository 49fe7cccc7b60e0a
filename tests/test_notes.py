from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import Cli, git, one_line_error, snapshot

from release.fakes.example import ExampleProject, commit_release_files, copy_example
from release.notes.fragments import classify, load_towncrier, render, validate

FRAGMENTS = "doc/release/upcoming_changes"
OUTPUT = "doc/source/release/notes-towncrier.rst"
TOWNCRIER = str(Path(sys.executable).with_name("towncrier"))


def _towncrier(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TOWNCRIER, "build", *args], cwd=repo, capture_output=True, text=True,
                          check=True)


@pytest.fixture
def branch(example: ExampleProject) -> ExampleProject:
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    return example


def test_feature_notes_equal_towncrier_build(branch: ExampleProject, example_template: ExampleProject,
                                             tmp_path: Path, cli: Cli) -> None:
    """The real run writes what `towncrier build --yes` writes and consumes the same fragments."""
    other = copy_example(example_template, tmp_path / "by-towncrier").repo
    git(other, "checkout", "-q", "maintenance/1.2.x")
    _towncrier(other, "--version", "1.2.0", "--yes")

    result = cli("notes", "1.2.0", "--repo", str(branch.repo))
    assert result.code == 0, result.err
    ours = (branch.repo / OUTPUT).read_bytes()
    assert ours == (other / OUTPUT).read_bytes()
    assert b"gh-8 <https://github.com/example/tinynum/pull/8>" in ours
    assert git(branch.repo, "status", "--porcelain") == git(other, "status", "--porcelain")
    assert sorted(p.name for p in (branch.repo / FRAGMENTS).iterdir()) == ["README.rst", "template.rst"]
    assert "verified: " in result.err
    again = cli("notes", "1.2.0", "--repo", str(branch.repo), "--dry-run")
    assert again.code == 0 and "no fragments" in again.err and "nothing to do" in again.out


def test_dry_run_shows_the_notes_and_deletes_nothing(branch: ExampleProject, cli: Cli) -> None:
    before = snapshot(branch.repo)
    result = cli("notes", "1.2.0rc1", "--repo", str(branch.repo), "--dry-run")
    assert result.code == 0, result.err
    assert snapshot(branch.repo) == before
    draft = _towncrier(branch.repo, "--version", "1.2.0", "--draft").stdout
    shown = "".join(line[1:] + "\n" for line in result.out.splitlines() if line.startswith("+")
                    and not line.startswith("+++"))
    assert shown == draft.rstrip() + "\n"
    assert f"run git rm --quiet --force -- {FRAGMENTS}/5.highlight.rst" in result.out


def test_numpy_fragments_render_like_towncrier_draft(numpy_bundle_clone: Path) -> None:
    """NumPy's own config, template and 47 fragments at main: byte-equal to `--draft`."""
    tc = load_towncrier(numpy_bundle_clone)
    rendered = render(tc, "2.6.0")
    assert len(rendered.files) == 47
    assert rendered.draft == _towncrier(numpy_bundle_clone, "--version", "2.6.0", "--draft").stdout
    assert rendered.draft.count("\n") == 494


def test_real_misnamed_fragments_in_numpy_history(numpy_bundle_clone: Path) -> None:
    """Every misnamed fragment NumPy ever committed is caught (towncrier skipped them)."""
    out = git(numpy_bundle_clone, "log", "--all", "--diff-filter=A", "--name-only", "--format=",
              "--", f"{FRAGMENTS}/")
    names = {line.rsplit("/", 1)[-1] for line in out.splitlines() if line}
    good, bad = validate(load_towncrier(numpy_bundle_clone), names)
    flagged = {b.name: b.reason for b in bad}
    for name in ("14343.future_change.rst", "21199.c_api_datetimes.rst", "23314.deprecations.rst",
                 "23661.perfomance.rst", "29000.expiring.rst", "29129.enhancement.rst",
                 "30984.capi.rst", "25570.change", "31771.c_api.rust"):
        assert name in flagged
    assert flagged["25570.change"] == "no .rst extension"
    assert flagged["31771.c_api.rust"] == "extension .rust, expected .rst"
    assert flagged["23661.perfomance.rst"] == "unknown type 'perfomance'"
    assert "README.rst" not in flagged and "template.rst" not in flagged
    assert len(good) > 600


def test_misnamed_fragments_are_an_error(branch: ExampleProject, cli: Cli) -> None:
    folder = branch.repo / FRAGMENTS
    for name in ("23661.perfomance.rst", "25570.change", "31771.c_api.rust", "notes.rst",
                 ".gitkeep", "README.md"):  # the last two towncrier passes over, as it should
        (folder / name).write_text("text\n")
    before = snapshot(branch.repo)
    result = cli("notes", "1.2.0", "--repo", str(branch.repo))
    assert result.code == 1
    one_line_error(result.err, "4 misnamed file(s) in doc/release/upcoming_changes: ")
    for words in ("23661.perfomance.rst (unknown type 'perfomance')", "25570.change (no .rst extension)",
                  "31771.c_api.rust (extension .rust, expected .rst)", "notes.rst (no PR number)"):
        assert words in result.err
    assert snapshot(branch.repo) == before


def test_fragment_outside_the_range_warns(branch: ExampleProject, cli: Cli) -> None:
    (branch.repo / FRAGMENTS / "99.change.rst").write_text("Something\n---------\nMore.\n")
    result = cli("notes", "1.2.0", "--repo", str(branch.repo), "--dry-run")
    assert result.code == 0, result.err
    assert "warning: 99.change.rst: PR #99 is not merged in v1.2.0.dev0..maintenance/1.2.x" in result.err
    assert "5.highlight.rst" not in result.err


def test_patch_release_gets_the_skeleton_and_index_entry(branch: ExampleProject, cli: Cli) -> None:
    commit_release_files(branch, "1.2.0", {})
    git(branch.repo, "tag", "-a", "v1.2.0", "-m", "tinynum 1.2.0 release")
    result = cli("notes", "1.2.1", "--repo", str(branch.repo))
    assert result.code == 0, result.err
    notes = (branch.repo / "doc/source/release/1.2.1-notes.rst").read_text()
    title = "tinynum 1.2.1 Release Notes"
    bar = "=" * len(title)
    assert notes.startswith(f".. currentmodule:: tinynum\n\n{bar}\n{title}\n{bar}\n\n")
    assert "fixes bugs discovered after the 1.2.0\nrelease." in notes
    assert "This release supports Python versions 3.11-3.12\n" in notes
    index = (branch.repo / "doc/source/release.rst").read_text()
    assert "    :maxdepth: 2\n\n    1.2.1 <release/1.2.1-notes>\n    1.2.0 <release/1.2.0-notes>\n" in index
    assert "5 fragments in doc/release/upcoming_changes are not used" in result.err
    again = cli("notes", "1.2.1", "--repo", str(branch.repo))
    assert again.code == 0 and "nothing to do" in again.out


def test_missing_index_entry_is_added(branch: ExampleProject, cli: Cli) -> None:
    index = branch.repo / "doc/source/release.rst"
    index.write_text(index.read_text().replace("    1.2.0 <release/1.2.0-notes>\n", ""))
    result = cli("notes", "1.2.0", "--repo", str(branch.repo), "--dry-run")
    assert "+    1.2.0 <release/1.2.0-notes>" in result.out


@pytest.mark.parametrize(
    ("kind", "argv", "code", "words"),
    [
        ("none", ["1.3.0.dev0"], 2, "is a development version"),
        ("none", ["banana"], 2, "is not a version"),
        ("none", ["9.9.1"], 1, "pyproject.toml says 1.2.0.dev0; 9.9.1 is not a 1.2 release"),
        ("no-index", ["1.2.0"], 1, "index doc/source/release.rst does not exist"),
        ("no-template", ["1.2.0"], 1, "template.rst' does not exist"),
        ("no-pyproject", ["1.2.0"], 1, "pyproject.toml is missing"),
    ],
)
def test_bad_input(branch: ExampleProject, cli: Cli, kind: str, argv: list[str], code: int,
                   words: str) -> None:
    repo = branch.repo
    if kind == "no-index":
        (repo / "doc/source/release.rst").unlink()
    elif kind == "no-template":
        (repo / FRAGMENTS / "template.rst").unlink()
    elif kind == "no-pyproject":
        (repo / "pyproject.toml").unlink()
    before = snapshot(repo)
    result = cli("notes", *argv, "--repo", str(repo))
    assert result.code == code, result.out + result.err
    one_line_error(result.err, words)
    assert snapshot(repo) == before


def test_missing_feature_notes_come_from_the_template(branch: ExampleProject, cli: Cli) -> None:
    git(branch.repo, "rm", "-q", "doc/source/release/1.2.0-notes.rst")
    result = cli("notes", "1.2.0", "--repo", str(branch.repo), "--dry-run")
    assert result.code == 0, result.err
    title = "tinynum 1.2.0 Release Notes"
    assert f"+{'=' * len(title)}\n+{title}\n+{'=' * len(title)}\n" in result.out
    assert "+.. include:: notes-towncrier.rst" in result.out


def test_untracked_fragment_is_rendered_and_removed(branch: ExampleProject, cli: Cli) -> None:
    (branch.repo / FRAGMENTS / "13.improvement.rst").write_text("Better\n------\nMean of ints.\n")
    result = cli("notes", "1.2.0", "--repo", str(branch.repo))
    assert result.code == 0, result.err
    assert "(`gh-13 <https://github.com/example/tinynum/pull/13>`__)" in (branch.repo / OUTPUT).read_text()
    assert not (branch.repo / FRAGMENTS / "13.improvement.rst").exists()
    assert "delete doc/release/upcoming_changes/13.improvement.rst" in result.err


def test_towncrier_ignore_is_honoured(branch: ExampleProject, cli: Cli) -> None:
    pyproject = branch.repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        "    all_bullets = false\n", '    all_bullets = false\n    ignore = ["*.txt"]\n', 1))
    (branch.repo / FRAGMENTS / "reviewers.txt").write_text("not a fragment\n")
    result = cli("notes", "1.2.0", "--repo", str(branch.repo), "--dry-run")
    assert result.code == 0, result.err
    draft = _towncrier(branch.repo, "--version", "1.2.0", "--draft").stdout
    assert "not a fragment" not in draft and "not a fragment" not in result.out


def test_counters_are_fragments() -> None:
    """towncrier reads `12.change.2.rst` as a second fragment for #12."""
    good, bad = classify(["12.change.rst", "12.change.2.rst", "12.change.x.rst"], ["change"], ".rst", [])
    assert [(g.name, g.pr) for g in good] == [("12.change.2.rst", 12), ("12.change.rst", 12)]
    assert [b.name for b in bad] == ["12.change.x.rst"]
