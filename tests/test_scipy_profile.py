"""The SciPy profile's strategies on SciPy's own history: ranges without dev0 tags, bare index
entries."""

from __future__ import annotations

from pathlib import Path

from helpers import git

from release.config import from_table
from release.notes.index import add_entry, entries, has_entry
from release.profiles.versions import after_release, next_candidate
from release.repo.revision_range import infer_start
from release.services.git import GitService
from release.version import ReleaseVersion

SCIPY = from_table({"profile": "scipy"}, "test")


def test_ranges_start_without_dev0_tags(scipy_bundle_clone: Path) -> None:
    service = GitService(scipy_bundle_clone)
    starts = {v: infer_start(service, SCIPY, ReleaseVersion.parse(v))
              for v in ("1.18.0", "1.18.0rc2", "1.18.1", "1.15.3")}
    assert starts == {"1.18.0": "v1.17.0", "1.18.0rc2": "v1.17.0", "1.18.1": "v1.18.0",
                      "1.15.3": "v1.15.2"}
    assert not [tag for tag in service.tags() if tag.endswith(".dev0")]


def test_release_index_bare_entries(scipy_bundle_clone: Path) -> None:
    text = git(scipy_bundle_clone, "show", "v1.18.1:doc/source/release.rst")
    assert has_entry(text, "release/1.18.1-notes")
    assert entries(text)[0][1:] == ("1.18.1", "release/1.18.1-notes")
    updated = add_entry(text, "1.18.2", "release/1.18.2-notes", style=SCIPY.index_entry)
    assert updated.replace("   release/1.18.2-notes\n", "", 1) == text
    assert updated.index("release/1.18.2-notes") < updated.index("release/1.18.1-notes")
    assert add_entry(updated, "1.18.2", "release/1.18.2-notes", style="bare") == updated


def test_notes_parts_are_found_under_overlined_headings(scipy_bundle_clone: Path) -> None:
    """1.18.0's notes over- and underline their headings with `*`: the Authors part and the
    lists are found and replaced, the headings kept."""
    from release.notes.authors_section import fill_authors, fill_lists

    text = git(scipy_bundle_clone, "show", "v1.18.0:doc/source/release/1.18.0-notes.rst")
    listed = text[text.index("* Name (commits)"):text.index("************************\nIssues")]
    assert fill_authors(text, listed, "notes") == text
    filled = fill_authors(text, "* Name (commits)\n* Ann (1)\n\n", "notes")
    assert "* Name (commits)\n* Ann (1)\n\n************************\nIssues closed" in filled
    lists = "\nIssues closed for 1.18.0\n---\n\n* a\n\n\nPull requests for 1.18.0\n---\n\n* b\n\n"
    assert fill_lists(text, lists, "1.18.0", "notes").endswith(
        "complete.\n\n\n\nIssues closed for 1.18.0\n---\n\n* a\n\nPull requests for 1.18.0\n---\n\n* b\n")


def test_between_candidates_the_branch_heads_for_the_next_ones_dev0() -> None:
    """SciPy: after 1.18.0rc1 the branch says 1.18.0rc2.dev0 (its real history); NumPy's branch
    says 1.18.0 between candidates, so it has no candidate to head for."""
    scipy, numpy = from_table({"profile": "scipy"}, "test"), from_table({}, "test")
    rc1 = ReleaseVersion.parse("1.18.0rc1")
    assert (after_release(scipy, rc1), str(next_candidate(scipy, rc1))) == ("1.18.0rc2.dev0",
                                                                            "1.18.0rc2")
    assert next_candidate(numpy, rc1) is None and after_release(numpy, rc1) == "1.18.0"
    for final in ("1.18.0", "1.18.1", "1.19.0.dev0"):
        assert next_candidate(scipy, ReleaseVersion.parse(final)) is None
