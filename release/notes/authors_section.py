"""The Authors section and the milestone lists inside SciPy-style notes (`credits = "authors"`).

SciPy's notes carry `Authors` (underlined with `=` or `*`), a `* Name (commits)` line, the list
and the totals paragraph, then `Issues closed for X.Y.Z` and `Pull requests for X.Y.Z` to the end
of the file. Each part is replaced as a whole, so filling it again gives the same file.
"""

from __future__ import annotations

import re

from release.errors import PreconditionError

_HEADING = re.compile(r"^Authors\n([=*\-~^])\1{5,}\n", re.MULTILINE)
_NEXT_HEADING = re.compile(r"^[^\s].*\n([=*\-~^])\1{2,}$", re.MULTILINE)
_OVERLINE = re.compile(r"([=*\-~^])\1{2,}\n")


def fill_authors(notes_text: str, body: str, where: str) -> str:
    """`notes_text` with the Authors section's body replaced by `body`."""
    heading = _HEADING.search(notes_text)
    if heading is None:
        raise PreconditionError(f"{where} has no `Authors` heading to put the list under",
                                hint="add `Authors` underlined with `=` (as SciPy's skeleton has)")
    rest = notes_text[heading.end():]
    following = _NEXT_HEADING.search(rest)
    end = heading.end() + (following.start() if following else len(rest))
    above = notes_text.rfind("\n", 0, max(end - 1, 0)) + 1  # X.Y.0 notes: `****` over it
    if following and above >= heading.end() and _OVERLINE.fullmatch(notes_text[above:end]):
        end = above
    return notes_text[:heading.end()] + body + notes_text[end:]


def fill_lists(notes_text: str, lists_text: str, title: str, where: str) -> str:
    """`notes_text` from its `Issues closed for TITLE` heading to the end replaced by the lists."""
    heading = re.search(rf"^(?:([-=*])\1+\n)?Issues closed for {re.escape(title)}\n[-=*]+\n",
                        notes_text, re.MULTILINE)
    if heading is None:
        raise PreconditionError(f"{where} has no `Issues closed for {title}` heading",
                                hint="add it (and `Pull requests for ...`) at the end, as in "
                                     "SciPy's skeleton")
    # one blank line between the two lists, as SciPy's notes have (gh_lists.py prints two)
    return notes_text[:heading.start()] + re.sub(r"\n{3,}", "\n\n", lists_text.strip("\n")) + "\n"


def without_lists(notes_text: str) -> str:
    """The notes up to their `Issues closed for` heading (SciPy's GitHub release description
    leaves the lists out); the notes as they are when there is none."""
    heading = re.search(r"^(?:([-=*])\1+\n)?Issues closed for .*\n[-=*]+\n", notes_text, re.MULTILINE)
    return notes_text[:heading.start()].rstrip("\n") + "\n" if heading else notes_text
