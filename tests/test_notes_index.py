"""The release-notes index against NumPy's own doc/source/release.rst as it was at its tags."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import git

from release.errors import PreconditionError
from release.notes.index import add_entry, entries, entry_target, has_entry

INDEX = "doc/source/release.rst"


def index_at(repo: Path, ref: str) -> str:
    return git(repo, "show", f"{ref}:{INDEX}")


def test_the_target_is_the_notes_path_from_the_index_folder() -> None:
    assert entry_target(INDEX, "doc/source/release/2.4.1-notes.rst") == "release/2.4.1-notes"
    assert entry_target("release.rst", "notes/1.2.0-notes.rst") == "notes/1.2.0-notes"


def test_a_patch_release_goes_on_top_as_numpy_put_2_4_1(numpy_bundle_clone: Path) -> None:
    before, after = index_at(numpy_bundle_clone, "v2.4.0"), index_at(numpy_bundle_clone, "v2.4.1")
    assert not has_entry(before, "release/2.4.1-notes")
    assert add_entry(before, "2.4.1", "release/2.4.1-notes", where=INDEX) == after
    assert entries(after)[0][1:] == ("2.4.1", "release/2.4.1-notes")


def test_a_present_entry_leaves_the_index_as_it_is(numpy_bundle_clone: Path) -> None:
    text = index_at(numpy_bundle_clone, "v2.5.2")
    assert add_entry(text, "2.5.2", "release/2.5.2-notes", where=INDEX) == text


def test_a_forward_port_goes_where_its_version_sorts(numpy_bundle_clone: Path) -> None:
    """main lists the 2.6.0 dev notes first and 2.5.2 below them, where NumPy put it."""
    main = index_at(numpy_bundle_clone, "main")
    without = "".join(line for line in main.splitlines(keepends=True)
                      if "release/2.5.2-notes" not in line)
    assert without != main
    assert add_entry(without, "2.5.2", "release/2.5.2-notes", where=INDEX, ordered=True) == main


def test_an_index_without_a_toctree_is_refused() -> None:
    with pytest.raises(PreconditionError) as info:
        add_entry("Release notes\n=============\n\nnothing here\n", "1.2.0", "release/1.2.0-notes",
                  where=INDEX)
    assert INDEX in info.value.message
