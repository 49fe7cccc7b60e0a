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
    """Replace `.. include:: notes-towncrier.rst` with towncrier's text; None if there is none.

    The comments that explain the include go with it, and so does `:orphan:` (the notes are in
    the index by now): the finished notes of a release have neither.
    """
    pattern = re.compile(rf"^\.\. include:: {re.escape(include_name)}[ \t]*\n?", flags=re.M)
    found = pattern.search(notes)
    if found is None:
        return None
    before = _drop_trailing_comments(notes[: found.start()].rstrip("\n"))
    before = re.sub(r"\A:orphan:[ \t]*\n+", "", before)
    after = notes[found.end():].strip("\n")
    text = rendered.strip("\n")
    return before + "\n\n\n" + text + "\n" + ("\n" + after + "\n" if after else "")


def _drop_trailing_comments(text: str) -> str:
    """Remove the rst comment paragraphs (`.. ` not followed by a directive) at the end."""
    paragraphs = text.split("\n\n")
    while paragraphs and _is_comment(paragraphs[-1]):
        paragraphs.pop()
    return "\n\n".join(paragraphs).rstrip("\n")


def _is_comment(paragraph: str) -> bool:
    first = paragraph.strip("\n").split("\n", 1)[0]
    return first.startswith(".. ") and not re.match(r"\.\. [\w:-]+::", first) \
        and not first.startswith(".. _")
