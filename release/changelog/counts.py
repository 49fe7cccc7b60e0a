"""Read a published changelog (`doc/changelog/X.Y.Z-changelog.rst`): its contributor and
pull-request sections, with the totals checked against the lists."""

from __future__ import annotations

import re
from dataclasses import dataclass

from release.errors import PreconditionError

_PEOPLE_RE = re.compile(r"^A total of (\d+) people contributed to this release\.")
_PULLS_RE = re.compile(r"^A total of (\d+) pull requests were merged for this release\.")


@dataclass(frozen=True)
class ChangelogSummary:
    contributors: tuple[str, ...]
    pulls: tuple[str, ...]
    contributors_text: str
    pulls_text: str

    @property
    def pull_count(self) -> int:
        return len(self.pulls)


def read_changelog(text: str, where: str) -> ChangelogSummary:
    """Split the changelog at its two headings; the stated totals must equal the list lengths."""
    lines = text.splitlines()
    starts = {}
    for i, line in enumerate(lines[:-1]):
        if line in ("Contributors", "Pull requests merged") and set(lines[i + 1]) == {"="}:
            starts[line] = i
    if "Contributors" not in starts:
        raise PreconditionError(f"{where} has no `Contributors` section",
                                hint="regenerate it with the changelog step")
    end = starts.get("Pull requests merged", len(lines))
    people_lines = lines[starts["Contributors"]:end]
    pull_lines = lines[end:]
    contributors = tuple(ln[2:] for ln in people_lines if ln.startswith("* "))
    pulls = tuple(ln[2:] for ln in pull_lines if ln.startswith("* "))
    _check_total(people_lines, _PEOPLE_RE, len(contributors), "people", where)
    if pull_lines:
        _check_total(pull_lines, _PULLS_RE, len(pulls), "pull requests", where)
    return ChangelogSummary(contributors, pulls, "\n".join(people_lines).strip() + "\n",
                            "\n".join(pull_lines).strip() + "\n" if pull_lines else "")


def _check_total(lines: list[str], pattern: re.Pattern[str], listed: int, what: str,
                 where: str) -> None:
    stated = next((int(m.group(1)) for m in map(pattern.match, lines) if m), None)
    if stated is None:
        raise PreconditionError(f"{where} does not say how many {what} there are",
                                hint="regenerate it with the changelog step")
    if stated != listed:
        raise PreconditionError(f"{where} says {stated} {what} but lists {listed}",
                                hint="regenerate it with the changelog step, or fix the list")


_SECTION_END = re.compile(r"^\S.*\n[-=*]{3,}$", re.MULTILINE)


def read_notes_credits(text: str, where: str) -> ChangelogSummary:
    """The same summary from notes that hold the credits themselves (`credits = "authors"`,
    SciPy): the Authors section and the `Pull requests for X.Y.Z` list."""
    authors = re.search(r"^Authors\n[=*]{3,}\n", text, re.MULTILINE)
    pulls = re.search(r"^Pull requests for \S+\n[-=*]{3,}\n", text, re.MULTILINE)
    if authors is None:
        raise PreconditionError(f"{where} has no `Authors` section",
                                hint="fill it with the notes step")
    authors_text = text[authors.start():]
    end = _SECTION_END.search(authors_text, len(authors.group(0)))
    authors_text = authors_text[:end.start()] if end else authors_text
    people = tuple(ln[2:] for ln in authors_text.splitlines()
                   if ln.startswith("* ") and ln != "* Name (commits)")
    pulls_text = text[pulls.start():] if pulls else ""
    listed = tuple(ln[2:] for ln in pulls_text.splitlines() if ln.startswith("* "))
    return ChangelogSummary(people, listed, authors_text.strip() + "\n",
                            pulls_text.strip() + "\n" if pulls_text else "")
