"""`.mailmap` read by name only (`mailmap_style = "names"`, SciPy): what is wrong with the Authors.

SciPy's tools map names to names and need two `<...>` parts on every line; its `.mailmap` keeps
`New Name <> old name <>` lines on purpose and `@handle <e-mail> handle <e-mail>` entries for
people credited by their handle. What matters is the Authors list those rules print, so the
findings here are the ones that make it wrong:

- a line SciPy's reader refuses (`malformed`, an error);
- one e-mail credited under two names after the name mapping (`several-names`): the person is
  listed twice; proposed: `Kept <e-mail> Other <e-mail>`, which git and SciPy both read;
- two spellings of one name after the mapping (`same-name`), under different e-mails: proposed
  as SciPy's name-only line `Kept <> Other <>`.

Git's view of identities (one name under several e-mails, unmapped no-reply addresses) changes
nothing there and is left out. A line git skips for another reason than an empty e-mail, and a
name that looks like a GitHub handle (SciPy prints those as credited; an `@handle` entry is its
way to keep one on purpose), are notes: shown with their fix, not counted against the release.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from release.changelog.authors import NotPeople, name_map, rejected_lines
from release.errors import PreconditionError
from release.identities.findings import Finding, fold, is_handle_like
from release.identities.history import Identity, Sightings
from release.identities.mailmap import insert_lines, mapping_lines, parse_line
from release.templating import render

_DELIBERATE = ("empty first e-mail", "empty commit e-mail")
_LEFT_OUT = ("GitHub",)


@dataclass(frozen=True)
class NamesView:
    """The range's identities as SciPy's Authors rules credit them."""

    sightings: Sightings
    text: str
    where: str = ".mailmap"
    ignore: NotPeople = field(default_factory=NotPeople)

    def credited(self, text: str | None = None) -> dict[Identity, str]:
        """Raw identity -> the name the Authors list credits it under (people only)."""
        names = name_map(self.text if text is None else text, self.where)
        return {who: names.get(who.name, who.name) for who in self.sightings.commits
                if who.name not in _LEFT_OUT and not self.ignore.name(who.name, who.email)}

    def findings(self) -> list[Finding]:
        wrong = [Finding("malformed", f"{self.where} line {number}: SciPy's name mapping needs "
                                      f"`New <e-mail> Old <e-mail>` (`<>` for none): {line!r}",
                         line=number)
                 for number, line in rejected_lines(self.text)]
        if wrong:
            return wrong  # nothing else can be read until SciPy's tools read the file
        credited = self.credited()
        return [*self._several_names(credited), *self._same_name(credited)]

    def notes(self) -> list[Finding]:
        """Worth a look, not wrong under SciPy's rules: lines git skips, handle-like names."""
        odd = []
        for number, line in mapping_lines(self.text):
            try:
                parse_line(line, number, self.where)
            except PreconditionError as exc:
                if not any(reason in exc.message for reason in _DELIBERATE):
                    odd.append(Finding("git-skips", f"{exc.message} (git skips it; SciPy's tools "
                                                    "read it by name)", line=number))
        if rejected_lines(self.text):
            return odd
        for raw, name in sorted(self.credited().items()):
            login = raw.noreply_login
            if (name == raw.name and login and login.casefold() == name.casefold()
                    and is_handle_like(name, [login])):
                odd.append(Finding(
                    "handle", f"{name!r} looks like a GitHub handle; SciPy's Authors print it as "
                    "it is", (raw,), self.sightings.commits[raw][:6],
                    (name_line(f"@{name}", raw.email, name, raw.email),), (login,),
                    "an `@handle` entry keeps it as a handle on purpose (listed first); a "
                    "`Name <e-mail> handle <e-mail>` line gives the person's name", "low"))
        return odd

    def _several_names(self, credited: dict[Identity, str]) -> list[Finding]:
        by_email: dict[str, dict[str, list[Identity]]] = defaultdict(lambda: defaultdict(list))
        for raw, name in credited.items():
            by_email[raw.email.casefold()][name].append(raw)
        found = []
        for _, names in sorted(by_email.items()):
            if len(names) < 2:
                continue
            keep = _best(names, self.sightings)
            raws = sorted(raw for group in names.values() for raw in group)
            lines = tuple(dict.fromkeys(name_line(keep, raw.email, raw.name, raw.email)
                                        for raw in raws if credited[raw] != keep))
            found.append(Finding(
                "several-names", f"<{raws[0].email}> is credited under {len(names)} names: "
                + ", ".join(sorted(names)), tuple(raws), _commits(raws, self.sightings), lines,
                reason="one e-mail under two names after the name mapping, so the Authors list "
                       "the person twice", likelihood="high"))
        return found

    def _same_name(self, credited: dict[Identity, str]) -> list[Finding]:
        by_fold: dict[str, dict[str, list[Identity]]] = defaultdict(lambda: defaultdict(list))
        for raw, name in credited.items():
            by_fold[fold(name)][name].append(raw)
        found = []
        for _, names in sorted(by_fold.items()):
            if len(names) < 2:
                continue
            keep = _best(names, self.sightings)
            raws = sorted(raw for group in names.values() for raw in group)
            lines = tuple(name_line(keep, "", name, "") for name in sorted(names) if name != keep)
            found.append(Finding(
                "same-name", "names that differ only in case, accents or spaces: "
                + ", ".join(sorted(names)), tuple(raws), _commits(raws, self.sightings), lines,
                reason="two spellings of one name, so the Authors list the person twice",
                likelihood="high"))
        return found


def name_line(new_name: str, new_email: str, old_name: str, old_email: str) -> str:
    """A line of SciPy's `.mailmap`: `New <e-mail> Old <e-mail>`, `<>` where there is none."""
    return render("mailmap-name-line.txt.j2", new_name=new_name, new_email=new_email,
                  old_name=old_name, old_email=old_email).rstrip("\n")


def _best(names: dict[str, list[Identity]], sightings: Sightings) -> str:
    """The name to keep: not handle-like, most words, most commits, then stable order."""
    def commits(name: str) -> int:
        return sum(len(sightings.commits[raw]) for raw in names[name])
    return min(names, key=lambda name: (is_handle_like(name), -len(name.split()), -commits(name),
                                        name))


def _commits(raws: Iterable[Identity], sightings: Sightings) -> tuple[str, ...]:
    shas = dict.fromkeys(sha[:10] for raw in raws for sha in sightings.commits[raw])
    return tuple(shas)


def takes_effect_by_name(text: str, line: str, where: str = ".mailmap") -> bool:
    """True when `line`, inserted where it sorts, makes SciPy's name mapping map its old name to
    its new one (a later line for the same old name would override it)."""
    proposed = name_map(line, "proposed line")
    after = name_map(insert_by_name(text, [line]), where)
    return all(after.get(old) == new for old, new in proposed.items())


def usable_by_name(text: str, proposals: Sequence[str], where: str = ".mailmap") -> list[str]:
    return [line for line in proposals if takes_effect_by_name(text, line, where)]


def insert_by_name(text: str, lines: Sequence[str]) -> str:
    """`text` with `lines` where they sort, each checked by SciPy's reader (`<>` allowed)."""
    return insert_lines(text, lines, lambda line: name_map(line, "proposed line"))
