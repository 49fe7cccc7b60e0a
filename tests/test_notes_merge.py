"""Putting generated text into the notes: NumPy's own notes template and published changelogs."""

from __future__ import annotations

from pathlib import Path

from conftest import NUMPY_FIXTURE
from helpers import git

from release.notes.merge import append_changelog, incorporate_towncrier

CHANGELOG_2_4_1 = (NUMPY_FIXTURE / "changelogs" / "2.4.1-changelog.rst").read_text(encoding="utf-8")
RENDERED = "New features\n============\n\n``np.thing`` added\n------------------\nIt does things.\n"


def numpy_template(repo: Path) -> str:
    return git(repo, "show", "v2.5.0rc1:doc/source/release/template.rst")


def test_the_changelog_follows_the_notes_after_two_blank_lines() -> None:
    notes = "NumPy 2.4.1 Release Notes\n=========================\n\nFixes.\n"
    merged = append_changelog(notes, CHANGELOG_2_4_1)
    assert merged.startswith(notes.rstrip("\n") + "\n\n\nContributors\n============\n")
    assert merged.endswith(CHANGELOG_2_4_1.rstrip("\n") + "\n\n")


def test_a_changelog_appended_again_replaces_the_first() -> None:
    notes = "NumPy 2.4.1 Release Notes\n=========================\n\nFixes.\n"
    once = append_changelog(notes, CHANGELOG_2_4_1)
    assert append_changelog(once, CHANGELOG_2_4_1) == once
    shorter = CHANGELOG_2_4_1.split("Pull requests merged")[0]
    assert "Pull requests merged" not in append_changelog(once, shorter)


def test_towncrier_text_replaces_numpys_include_and_its_comments(numpy_bundle_clone: Path) -> None:
    template = numpy_template(numpy_bundle_clone)
    assert ".. include:: notes-towncrier.rst" in template and template.startswith(":orphan:")
    merged = incorporate_towncrier(template, RENDERED, "notes-towncrier.rst")
    assert merged is not None
    assert merged.startswith(".. currentmodule:: numpy\n")
    assert "include::" not in merged and "uncomment" not in merged and "snippets" not in merged
    highlights = "*We'll choose highlights for this release near the end of the release cycle.*"
    assert highlights + "\n\n\n" + RENDERED in merged


def test_notes_without_the_include_give_none(numpy_bundle_clone: Path) -> None:
    template = numpy_template(numpy_bundle_clone).replace(".. include:: notes-towncrier.rst", "")
    assert incorporate_towncrier(template, RENDERED, "notes-towncrier.rst") is None
