"""SciPy's issue and pull-request lists from a milestone, on a fake GitHub seeded from the lists
SciPy published (the notes at the release tag), compared with those lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import Cli, git

from release.fakes.github import FakeGitHub
from release.fakes.milestone_seed import seed_milestone


def published(clone: Path, version: str) -> str:
    return git(clone, "show", f"v{version}:doc/source/release/{version}-notes.rst")


def seed(gh: FakeGitHub, clone: Path, version: str) -> int:
    """The milestone `version` from the published lists (as a rehearsal seeds it), plus what
    gh_lists.py leaves out: an open issue, a pull request closed unmerged, and an item of
    another milestone."""
    gh.add_repo("scipy/scipy", "main")
    count = seed_milestone(gh, "scipy/scipy", version, published(clone, version))
    gh.add_issue("scipy/scipy", 1, "still open", "reporter", milestone=version)
    gh.add_pull("scipy/scipy", 2, "closed, not merged", "contributor", merged=False,
                milestone=version)
    gh.add_issue("scipy/scipy", 3, "another release's", "reporter", state="closed")
    gh.add_milestone("scipy/scipy", 99, "9.9.9", items=[3])
    return count


def lists_of(text: str, version: str, *, blank_lines: int = 1) -> str:
    """From the first list's heading on; gh_lists.py puts two blank lines between the lists
    where SciPy's notes have one."""
    found = text[text.index(f"Issues closed for {version}\n"):].rstrip("\n") + "\n"
    return found.replace("\n" * (blank_lines + 1) + "Pull requests", "\n\nPull requests")


@pytest.mark.parametrize("version", ["1.18.1", "1.17.1"])
def test_changelog_prints_authors_then_the_milestone_lists(cli: Cli, fake_github: FakeGitHub,
                                                           scipy_bundle_clone: Path,
                                                           version: str) -> None:
    count = seed(fake_github, scipy_bundle_clone, version)
    previous = f"v{version[:-1]}{int(version[-1]) - 1}"
    result = cli("changelog", version, "--until", f"v{version}", "--mailmap-from", f"v{version}",
                 "--repo", str(scipy_bundle_clone),
                 "--config", str(scipy_bundle_clone.parent / "scipy-release.toml"))
    assert result.code == 0, result.err
    assert f"authors for {previous}..v{version}" in result.err
    assert lists_of(result.out, version, blank_lines=2) == \
        lists_of(published(scipy_bundle_clone, version), version)
    assert result.out.index("\nAuthors\n") < result.out.index("Issues closed for")
    assert len(re.findall(r"^\* `#", result.out, re.MULTILINE)) == count


def test_notes_fill_the_lists_from_the_milestone(cli: Cli, fake_github: FakeGitHub,
                                                 scipy_bundle_clone: Path, tmp_path: Path) -> None:
    """1.18.1's notes cut back to SciPy's skeleton headings: the lists come back as published."""
    from test_scipy_steps import branch_at

    seed(fake_github, scipy_bundle_clone, "1.18.1")
    work = branch_at(scipy_bundle_clone, tmp_path, "maintenance/1.18.x", "v1.18.1")
    notes = work / "doc/source/release/1.18.1-notes.rst"
    text = notes.read_text(encoding="utf-8")
    head = text[:text.index("Issues closed for 1.18.1")]
    notes.write_text(head + "Issues closed for 1.18.1\n------------------------\n\n\n\n"
                     "Pull requests for 1.18.1\n------------------------\n", encoding="utf-8")
    result = cli("notes", "1.18.1", "--repo", str(work),
                 "--config", str(scipy_bundle_clone.parent / "scipy-release.toml"))
    assert result.code == 0, result.err
    filled = notes.read_text(encoding="utf-8")
    assert lists_of(filled, "1.18.1") == lists_of(text, "1.18.1")
    assert filled.endswith(text[-200:])


def test_a_missing_milestone_is_one_error_naming_the_ones_there(cli: Cli, fake_github: FakeGitHub,
                                                                 scipy_bundle_clone: Path) -> None:
    fake_github.add_repo("scipy/scipy", "main")
    fake_github.add_milestone("scipy/scipy", 4, "1.18.0")
    result = cli("changelog", "1.18.1", "--until", "v1.18.1", "--repo", str(scipy_bundle_clone),
                 "--config", str(scipy_bundle_clone.parent / "scipy-release.toml"))
    assert result.code == 1
    assert "error: scipy/scipy has no milestone '1.18.1'" in result.err
    assert "milestones there: 1.18.0" in result.err
