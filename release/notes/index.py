"""The release-notes index (`doc/source/release.rst`): one toctree line per notes file.

NumPy keeps the entries newest first. A new series' notes and a maintenance branch's next patch go
on top; a release forward-ported to main goes where its version sorts (below the dev notes).
Entries are labelled (`2.4.1 <release/2.4.1-notes>`, NumPy) or bare (`release/1.18.1-notes`,
SciPy); both are read, and new ones are written in the style `index_entry` chooses.
"""

from __future__ import annotations

import posixpath
import re

from packaging.version import InvalidVersion, Version

from release.errors import PreconditionError
from release.templating import render

_ENTRY = re.compile(r"^(?P<indent>[ \t]+)(?P<label>\S+) <(?P<target>[^>]+)>\s*$")
_BARE = re.compile(r"^(?P<indent>[ \t]+)(?P<target>[^\s:][^\s<>]*/[^\s<>]+)\s*$")
_BARE_VERSION = re.compile(r"(\d+\.\d+\.\d+\S*?)-notes$")


def _entry(line: str) -> tuple[str, str, str] | None:
    """(indent, label, target) of a toctree line; a bare entry's label is its version."""
    match = _ENTRY.match(line)
    if match:
        return match["indent"], match["label"], match["target"]
    bare = _BARE.match(line)
    if bare is None:
        return None
    version = _BARE_VERSION.search(bare["target"])
    return bare["indent"], version.group(1) if version else bare["target"], bare["target"]


def entry_target(index_path: str, notes_path: str) -> str:
    """The toctree target of a notes file: its path from the index's folder, without `.rst`."""
    relative = posixpath.relpath(notes_path, posixpath.dirname(index_path) or ".")
    return relative.removesuffix(".rst")


def entries(text: str) -> list[tuple[int, str, str]]:
    """(line number, label, target) of every toctree entry."""
    found = []
    for number, line in enumerate(text.splitlines()):
        entry = _entry(line)
        if entry is not None:
            found.append((number, entry[1], entry[2]))
    return found


def has_entry(text: str, target: str) -> bool:
    return any(found == target for _, _, found in entries(text))


def add_entry(text: str, label: str, target: str, *, where: str = "index", ordered: bool = False,
              style: str = "labelled") -> str:
    """`text` with an entry for `target`, on top (or in version order); unchanged when present."""
    if has_entry(text, target):
        return text
    lines = text.splitlines(keepends=True)
    found = entries(text)
    if not found:
        raise PreconditionError(
            f"{where} has no toctree entries to add {label} to",
            hint="add the first entry by hand (`    X.Y.Z <release/X.Y.Z-notes>`)",
        )
    indent = _entry(lines[found[0][0]].rstrip("\n"))[0]  # type: ignore[index]
    position = found[0][0]
    if ordered:
        position = _ordered_position(found, label, lines)
    new = render(f"release-index-entry-{style}.rst.j2", indent=indent, label=label, target=target)
    return "".join([*lines[:position], new, *lines[position:]])


def with_entry(text: str | None, index_path: str, label: str, notes_path: str, *, at: str,
               ordered: bool = False, style: str = "labelled") -> str:
    """The index read `at` a revision (None: it is not there) with the entry for `notes_path`."""
    if text is None:
        raise PreconditionError(f"{index_path} is missing {at}",
                                hint="set release_index in [tool.release]")
    return add_entry(text, label, entry_target(index_path, notes_path), where=index_path,
                     ordered=ordered, style=style)


def _ordered_position(found: list[tuple[int, str, str]], label: str, lines: list[str]) -> int:
    """The line before the first entry whose version is older than `label` (newest first)."""
    wanted = Version(label)
    for number, other, _ in found:
        try:
            if Version(other) < wanted:
                return number
        except InvalidVersion:
            continue
    return found[-1][0] + 1
