"""The Authors section inside SciPy-style notes (`credits = "authors"`): where the list goes.

SciPy's notes carry `Authors` (underlined with `=` or `*`), a `* Name (commits)` line, the list
and the totals paragraph, then the `Issues closed for X.Y.Z` heading. The section's body, up to
the next heading, is replaced as a whole, so filling it again gives the same file.
"""

from __future__ import annotations

import re

from release.errors import PreconditionError

_HEADING = re.compile(r"^Authors\n([=*\-~^])\1{5,}\n", re.MULTILINE)
_NEXT_HEADING = re.compile(r"^[^\s].*\n([=*\-~^])\1{2,}$", re.MULTILINE)


def fill_authors(notes_text: str, body: str, where: str) -> str:
    """`notes_text` with the Authors section's body replaced by `body`."""
    heading = _HEADING.search(notes_text)
    if heading is None:
        raise PreconditionError(f"{where} has no `Authors` heading to put the list under",
                                hint="add `Authors` underlined with `=` (as SciPy's skeleton has)")
    rest = notes_text[heading.end():]
    following = _NEXT_HEADING.search(rest)
    end = heading.end() + (following.start() if following else len(rest))
    return notes_text[:heading.end()] + body + notes_text[end:]
