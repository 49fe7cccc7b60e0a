"""The comment a new development cycle adds to cversions.txt (`# Version 22 (NumPy 2.6.0) No change`).

At the start of a cycle the C API has not changed yet, so no hash is added: the comment records
that the new series shares the last API version. NumPy writes it just above that version's hash
line (after the comments already there); a file that keeps comments below the hash gets it after
them, so the comments stay in release order.
"""

from __future__ import annotations

import re

from release.errors import PreconditionError
from release.templating import render

_HASH_LINE = re.compile(r"^0x([\da-fA-F]{8})\s*=")
_VERSION_COMMENT = re.compile(r"^#\s*Version\s+\d+\s*\(")


def series_comment(text: str, *, project: str, version: str, where: str) -> str:
    """`text` with the "No change" comment for `version`; unchanged when it is already there."""
    lines = text.splitlines()
    hashes = [number for number, line in enumerate(lines) if _HASH_LINE.match(line)]
    if not hashes:
        raise PreconditionError(f"{where} has no `0x........ = hash` line",
                                hint="check the cversions path in [tool.release]")
    last = hashes[-1]
    api_version = int(_HASH_LINE.match(lines[last])[1], 16)  # type: ignore[index]
    comment = render("cversions-comment.txt.j2", api_version=api_version, project=project,
                     version=version)
    if comment in lines:
        return text
    position = last
    after = [n for n in range(last + 1, len(lines)) if _VERSION_COMMENT.match(lines[n])]
    if after:
        position = after[-1] + 1
    lines.insert(position, comment)
    return "\n".join(lines) + "\n"
