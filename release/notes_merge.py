"""Putting generated text into the release notes, the way NumPy's release PRs do it by hand."""

from __future__ import annotations

import re

_CONTRIBUTORS = re.compile(r"^Contributors\n=+\n", flags=re.M)


def append_changelog(notes: str, changelog: str) -> str:
    """Patch releases carry the changelog's sections at the end of their notes.

    As in the published notes (2.4.1, 2.5.2): exactly two blank lines before `Contributors`
    and one extra empty line after the last pull request. A changelog appended earlier is
    replaced, so running this again gives the same text.
    """
    found = _CONTRIBUTORS.search(notes)
    head = notes[: found.start()] if found else notes
    return head.rstrip("\n") + "\n\n\n" + changelog.strip("\n") + "\n\n"


def incorporate_towncrier(notes: str, rendered: str, include_name: str) -> str | None:
    """Replace `.. include:: notes-towncrier.rst` with towncrier's text; None if there is none."""
    pattern = re.compile(rf"^\.\. include:: {re.escape(include_name)}[ \t]*\n?", flags=re.M)
    found = pattern.search(notes)
    if found is None:
        return None
    before = notes[: found.start()].rstrip("\n")
    after = notes[found.end():].strip("\n")
    text = rendered.strip("\n")
    return before + "\n\n" + text + "\n" + ("\n" + after + "\n" if after else "")
