"""`.mailmap`: parse it the way git does, map identities with git's rules, and add lines.

git's rules (mailmap.c): an entry is keyed by the commit e-mail (case-insensitive); a line naming
the commit name too applies only to that name, and wins over the plain entry for the e-mail.
git silently skips lines it cannot read; here such a line is an error naming its line number.
Text after the last address, which git ignores, is reported by `trailing_text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from release.errors import PreconditionError
from release.templating import render

_LINE = re.compile(
    r"^(?P<n1>[^<>]*?)\s*<(?P<e1>[^<>]*)>"
    r"(?:\s*(?P<n2>[^<>]*?)\s*<(?P<e2>[^<>]*)>)?"
    r"\s*(?P<rest>.*)$"
)


@dataclass(frozen=True)
class Entry:
    """One mapping line: the proper name/e-mail and the commit identity it replaces."""

    line: int
    proper_name: str | None
    proper_email: str | None
    commit_name: str | None
    commit_email: str


@dataclass
class _Target:
    name: str | None = None
    email: str | None = None


@dataclass
class _Slot:
    plain: _Target = field(default_factory=_Target)
    by_name: dict[str, _Target] = field(default_factory=dict)


class Mailmap:
    """The parsed file; `map(name, email)` gives what `%aN <%aE>` would show."""

    def __init__(self, entries: Iterable[Entry] = (),
                 malformed: Iterable[PreconditionError] = ()) -> None:
        self.entries = list(entries)
        self.malformed = list(malformed)
        self._slots: dict[str, _Slot] = {}
        for entry in self.entries:
            self._add(entry)

    @classmethod
    def parse(cls, text: str, where: str = ".mailmap") -> Mailmap:
        """Every readable line; a line git would skip is kept in `malformed` (as its error)."""
        entries, malformed = [], []
        for number, line in mapping_lines(text):
            try:
                entries.append(parse_line(line, number, where))
            except PreconditionError as exc:
                malformed.append(exc)
        return cls(entries, malformed)

    def _add(self, entry: Entry) -> None:
        slot = self._slots.setdefault(entry.commit_email.lower(), _Slot())
        if entry.commit_name is None:
            if entry.proper_name:
                slot.plain.name = entry.proper_name
            if entry.proper_email:
                slot.plain.email = entry.proper_email
        else:
            slot.by_name[entry.commit_name.lower()] = _Target(entry.proper_name, entry.proper_email)

    def _target(self, name: str, email: str) -> _Target:
        slot = self._slots.get(email.lower())
        return _Target() if slot is None else slot.by_name.get(name.lower(), slot.plain)

    def map(self, name: str, email: str) -> tuple[str, str]:
        target = self._target(name, email)
        return target.name or name, target.email or email

    def covers(self, name: str, email: str) -> bool:
        """True when some line applies to this identity (even if it maps it onto itself)."""
        target = self._target(name, email)
        return bool(target.name or target.email)

    def sets_name(self, name: str, email: str) -> bool:
        """True when a line gives this identity its name (the project chose that name)."""
        return bool(self._target(name, email).name)


def trailing_text(text: str) -> list[tuple[int, str]]:
    """Lines git reads but whose text after the last address it ignores (a typo, usually)."""
    found = []
    for number, line in mapping_lines(text):
        match = _LINE.match(line)
        if match and match["rest"] and not match["rest"].startswith("#"):
            found.append((number, line))
    return found


def malformed_lines(text: str, where: str = ".mailmap") -> list[tuple[int, PreconditionError]]:
    """The lines git would skip, by number, each with the error that says why."""
    found = []
    for number, line in mapping_lines(text):
        try:
            parse_line(line, number, where)
        except PreconditionError as exc:
            found.append((number, exc))
    return found


def mapping_lines(text: str) -> list[tuple[int, str]]:
    lines = ((number, raw.strip()) for number, raw in enumerate(text.splitlines(), 1))
    return [(number, line) for number, line in lines if line and not line.startswith("#")]


def skipped_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of every mapping line git skips."""
    found = []
    for number, line in mapping_lines(text):
        try:
            parse_line(line, number, ".mailmap")
        except PreconditionError:
            found.append((number, line))
    return found


def parse_lines(text: str, where: str = ".mailmap") -> list[Entry]:
    """Every mapping line; the first malformed one raises, naming its line number."""
    return [parse_line(line, number, where) for number, line in mapping_lines(text)]


def parse_line(line: str, number: int, where: str) -> Entry:
    def bad(reason: str) -> PreconditionError:
        return PreconditionError(f"{where} line {number}: {reason}: {line!r}",
                                 hint="write `Proper Name <proper@email> [Commit Name] <commit@email>`")

    match = _LINE.match(line)
    if match is None:
        raise bad("no <e-mail> in angle brackets" if "<" not in line else "unbalanced < >")
    n1, e1 = match["n1"].strip() or None, match["e1"].strip()
    if not e1:
        raise bad("empty first e-mail")
    if match["e2"] is None:
        if match["n2"]:
            raise bad("a name without an e-mail")
        if n1 is None:
            raise bad("an e-mail with neither a name nor a second e-mail")
        return Entry(number, n1, None, None, e1)
    e2 = match["e2"].strip()
    if not e2:
        raise bad("empty commit e-mail")
    return Entry(number, n1, e1, match["n2"].strip() or None, e2)


def format_line(proper_name: str, proper_email: str, commit_name: str | None = None,
                commit_email: str | None = None) -> str:
    return render("mailmap-line.txt.j2", proper_name=proper_name, proper_email=proper_email,
                  commit_name=commit_name or "", commit_email=commit_email or "").rstrip("\n")


def sort_key(line: str) -> tuple[int, str]:
    """NumPy's order: `!handle` lines first, then by name, case-insensitively."""
    return (0 if line.startswith("!") else 1, line.lstrip("!").casefold())


def insert_lines(text: str, new_lines: Iterable[str],
                 check: Callable[[str], object] | None = None) -> str:
    """`text` with each new line placed where it sorts among the mapping lines (comments and
    the header stay where they are); lines already present are not added twice. Each new line
    is checked (by git's rules, or `check`); the file's own lines are the caller's to check
    (`Mailmap.malformed`)."""
    lines = text.splitlines()
    present = {line.strip() for line in lines}
    for new in sorted(set(new_lines) - present, key=sort_key):
        if check is None:
            parse_line(new, 0, "proposed line")
        else:
            check(new)
        position = len(lines)
        for index, existing in enumerate(lines):
            stripped = existing.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if sort_key(stripped) > sort_key(new):
                position = index
                break
        lines.insert(position, new)
    return "\n".join(lines) + "\n"


def takes_effect(text: str, line: str) -> bool:
    """True when `line`, inserted where it sorts, makes git map its commit identity as it says
    (a later line for the same address would override it)."""
    entry = parse_line(line, 0, "proposed line")
    mailmap = Mailmap.parse(insert_lines(text, [line]))
    probe = entry.commit_name or "\x00any name"
    wanted = (entry.proper_name or probe, entry.proper_email or entry.commit_email)
    return mailmap.map(probe, entry.commit_email) == wanted
