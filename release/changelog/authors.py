"""SciPy's Authors section, by the rules of SciPy's `tools/authors.py`.

- Every commit of the range credits its author and its committer, one count each (a maintainer
  who commits their own work counts twice), and every name a body line gives after `Thanks to`,
  `Courtesy of` or `Co-authored-by:` (several per line, joined by "and" or commas).
- `.mailmap` is read by name only: a line `New <a> Old <b>` maps the name Old to New, whatever
  the e-mails; every line must have two `<...>` parts (SciPy's tool refuses the file otherwise).
- A name is new (`+`) when nothing before the range credited it in any of those ways.
- `GitHub` (the committer of web merges) is left out; `@handle` names print without the `@`.
- Order: surname then forename, lowercased, with a leading `van der `, `de ` or `von ` skipped;
  equal keys keep the order the log first showed them in.

`credits_not_people` (SciPy's profile sets it) leaves out credits that are not people: a body
line whose `<e-mail>` matches one of its patterns (an AI assistant's `Co-authored-by` trailer)
and a name that does (a bot author). SciPy's tool lists them; SciPy's published 1.18.0 Authors
do not, so this is where the profile says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase

from release.errors import PreconditionError
from release.services.git import GitService

LOG_FORMAT = "@@@%an@@@%n@@@%cn@@@%n%b"
"""Author and committer on lines of their own, then the body: the lines the rules read."""

_PERSON_LINE = re.compile(r"^@@@([^@]*)@@@")
_THANKS = re.compile(
    r"([Tt]hanks to|[Cc]ourtesy of|Co-authored-by:) "
    r"([A-Z][A-Za-z]*? [A-Z][A-Za-z]*? [A-Z][A-Za-z]*|[A-Z][A-Za-z]*? [A-Z]\."
    r" [A-Z][A-Za-z]*|[A-Z][A-Za-z ]*? [A-Z][A-Za-z]*|[a-z0-9]+)($|\.| )"
)
_MORE_NAMES = re.compile(r"^(and|, and|, ) ")
_MAILMAP_LINE = re.compile(r"^(.*?)\s*<(.*?)>(.*?)\s*<(.*?)>\s*$")
_SURNAME = re.compile(r" [a-z ]*[A-Za-z-]+$")
_ASCII_SPACE = " \t\n\r\x0b\x0c"
_LEFT_OUT = "GitHub"
_NOT_NAMES = ("this",)
_EMAIL = re.compile(r"<([^<>@\s]+@[^<>\s]+)>")


@dataclass(frozen=True)
class Author:
    name: str  # as credited after the name map, `@handle` included
    commits: int
    first_time: bool

    @property
    def display(self) -> str:
        return self.name.strip("@")


def name_map(text: str, where: str = ".mailmap") -> dict[str, str]:
    """Old name -> new name from `.mailmap` text, later lines winning."""
    names: dict[str, str] = {}
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _MAILMAP_LINE.match(line)
        if match is None:
            raise PreconditionError(
                f"{where} line {number} does not have the `New <e-mail> Old <e-mail>` form: {line!r}",
                hint="SciPy's name mapping needs two <...> parts on every line (`<>` for none)",
            )
        new, old = match.group(1).strip(), match.group(3).strip()
        if new and old:
            names[old] = new
    return names


def rejected_lines(text: str) -> list[tuple[int, str]]:
    """(number, line) of every line SciPy's name mapping refuses."""
    return [(number, raw.strip()) for number, raw in enumerate(text.split("\n"), start=1)
            if raw.strip() and not raw.strip().startswith("#")
            and _MAILMAP_LINE.match(raw.strip()) is None]


@dataclass(frozen=True)
class NotPeople:
    """Patterns (fnmatch, case-sensitive) of credits that are not people: e-mails on a credit's
    line, or names as credited or as mapped."""

    patterns: tuple[str, ...] = ()

    def line(self, line: str) -> bool:
        return any(self._matches(email) for email in _EMAIL.findall(line))

    def name(self, *names: str) -> bool:
        return any(self._matches(name) for name in names)

    def _matches(self, text: str) -> bool:
        return any(fnmatchcase(text, pattern) for pattern in self.patterns)


def credited(lines: Iterable[str], names: dict[str, str],
             not_people: NotPeople | None = None) -> dict[str, int]:
    """Name -> times credited, in order of first credit, over `git log --format=LOG_FORMAT` lines
    (credits `not_people` matches left out)."""
    counts: dict[str, int] = {}
    for raw in lines:
        line = raw.strip(_ASCII_SPACE)
        if not_people is not None and not_people.line(line):
            continue
        for name in _names_in(line):
            mapped = names.get(name, name)
            if not_people is not None and not_people.name(name, mapped):
                continue
            counts[mapped] = counts.get(mapped, 0) + 1
    return counts


def _names_in(line: str) -> Iterator[str]:
    person = _PERSON_LINE.match(line)
    if person is not None:
        yield person.group(1)
        line = line[person.end():]
    thanks = _THANKS.search(line)
    if thanks is None:
        return
    if thanks.group(2) not in _NOT_NAMES:
        yield thanks.group(2)
    rest = _MORE_NAMES.sub("Thanks to ", line[thanks.end():].strip())
    yield from _names_in(rest.strip(_ASCII_SPACE))


def sort_key(name: str) -> tuple[str, str]:
    match = _SURNAME.search(name)
    forename, surname = (name[:match.start()].strip(), name[match.start():].strip()) if match \
        else ("", name.strip())
    for particle in ("van der ", "de ", "von "):
        if surname.startswith(particle):
            surname = surname[len(particle):]
    return surname.lower(), forename.lower()


def authors_of(current: dict[str, int], before: Iterable[str]) -> tuple[Author, ...]:
    """The range's authors in SciPy's order, `+` for those `before` never credited."""
    seen = set(before)
    people = [Author(name, count, name not in seen) for name, count in current.items()
              if name != _LEFT_OUT]
    return tuple(sorted(people, key=lambda person: sort_key(person.name)))


def log_lines(git: GitService, revisions: str) -> list[str]:
    return git.run(["log", f"--pretty={LOG_FORMAT}", revisions]).split("\n")


def authors(git: GitService, start: str, end: str, mailmap_text: str,
            not_people: tuple[str, ...] = ()) -> tuple[Author, ...]:
    """The Authors of `start..end`, with `.mailmap` text read by name; `not_people`: patterns of
    credits to leave out (`credits_not_people`)."""
    names = name_map(mailmap_text)
    left_out = NotPeople(not_people) if not_people else None
    before = credited(log_lines(git, start), names, left_out)
    return authors_of(credited(log_lines(git, f"{start}..{end}"), names, left_out), before)


_LISTED = re.compile(r"^\* (?!Name \(commits\)$).+ \(\d+\)(?: \+)?$", re.MULTILINE)


def authors_listed(notes_text: str) -> int:
    """How many `* Name (N)` lines the notes' Authors section holds (the skeleton's
    `* Name (commits)` not counted)."""
    heading = re.search(r"^Authors\n[=*-]+\n", notes_text, re.MULTILINE)
    if heading is None:
        return 0
    section = notes_text[heading.end():]
    end = re.search(r"^\S.*\n[=*-]{3,}$", section, re.MULTILINE)
    return len(_LISTED.findall(section[:end.start()] if end else section))
