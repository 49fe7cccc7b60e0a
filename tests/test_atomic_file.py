"""replace_file: the new bytes in one rename, or the old file untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.atomic_file import replace_file


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_it_writes_a_new_file_and_its_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "state.json"
    replace_file(target, b'{"x": 1}\n')
    assert target.read_bytes() == b'{"x": 1}\n'
    assert _beside(target) == ["state.json"]


def test_it_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"a much longer old content that must not survive in part\n")
    replace_file(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert _beside(target) == ["state.json"]


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "journal.json"
    target.write_bytes(b"old\n")
    with pytest.raises(TypeError):
        replace_file(target, "text, not bytes")  # type: ignore[arg-type]  # fails in the write
    assert target.read_bytes() == b"old\n"
    assert _beside(target) == ["journal.json"]


def test_a_failure_at_the_rename_leaves_what_was_there_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("kept")
    with pytest.raises(OSError):
        replace_file(target, b"data")
    assert (target / "inside").read_text() == "kept"
    assert _beside(target) == ["taken"]
