"""`.mailmap` read by name only (`mailmap_style = "names"`, SciPy): which lines are wrong.

SciPy's tools map names to names and need two `<...>` parts on every line; its `.mailmap`
keeps `New Name <> old name <>` lines on purpose. Git skips those (an empty e-mail), which is no
fault under this style; a line SciPy's reader refuses is, and a line git skips for another
reason (unbalanced brackets) is worth a look, since `git log` and GitHub read the file too.
"""

from __future__ import annotations

from collections.abc import Iterable

from release.changelog.authors import rejected_lines
from release.errors import PreconditionError
from release.identities.findings import Finding
from release.identities.mailmap import mapping_lines, parse_line

_DELIBERATE = ("empty first e-mail", "empty commit e-mail")


def names_findings(findings: Iterable[Finding], text: str, where: str = ".mailmap") -> list[Finding]:
    """`findings` with git's view of the file's lines replaced by the names-only view."""
    kept = [finding for finding in findings if finding.kind != "malformed"]
    wrong = [Finding("malformed", f"{where} line {number}: SciPy's name mapping needs "
                                  f"`New <e-mail> Old <e-mail>` (`<>` for none): {line!r}")
             for number, line in rejected_lines(text)]
    odd = []
    for number, line in mapping_lines(text):
        try:
            parse_line(line, number, where)
        except PreconditionError as exc:
            if not any(reason in exc.message for reason in _DELIBERATE):
                odd.append(Finding("git-skips", f"{exc.message} (git skips it; SciPy's tools read "
                                                "it by name)"))
    return [*wrong, *odd, *kept]
