"""Contributor identity problems in a range, after `.mailmap`, and the lines that would fix them.

Kinds, most serious first: a mapping line git skips (`malformed`), text git ignores after an
address (`trailing-text`), under `mailmap_style = "names"` a line git skips that SciPy's tools
read (`git-skips`), a `Co-authored-by` value that is not `Name <email>` (`bad-trailer`),
a machine or default identity (`placeholder`), one e-mail under several names (`several-names`),
one person under several identities whose names fold together (`same-name`), a name that looks
like a GitHub handle (`handle`), and an unmapped `users.noreply.github.com` address (`noreply`).
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from release.identities.history import Identity, Sightings
from release.identities.mailmap import Mailmap, format_line, trailing_text

KINDS = ("malformed", "trailing-text", "git-skips", "bad-trailer", "placeholder", "several-names",
         "same-name", "handle", "noreply")
ERROR_KINDS = frozenset({"malformed"})


@dataclass(frozen=True)
class Finding:
    kind: str
    detail: str
    identities: tuple[Identity, ...] = ()
    commits: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()
    logins: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.kind in ERROR_KINDS


@dataclass(frozen=True)
class People:
    """What is known about GitHub accounts: identity -> login, login -> profile name."""

    login_of: Callable[[Identity], str | None]
    name_of: Callable[[str], str | None]


OFFLINE = People(lambda who: who.noreply_login, lambda login: None)


def fold(name: str) -> str:
    """Case, accents and spacing removed: `José  GARCÍA` and `jose garcia` fold together."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\s._-]+", "", text.casefold())


def matches_any(who: Identity, patterns: Iterable[str]) -> bool:
    """Some pattern (fnmatch, any case) matches the name or the e-mail."""
    name, email = who.name.casefold(), who.email.casefold()
    return any(fnmatch.fnmatchcase(name, pattern.casefold())
               or fnmatch.fnmatchcase(email, pattern.casefold()) for pattern in patterns)


def is_placeholder(who: Identity, patterns: Sequence[str]) -> bool:
    """A configured pattern (fnmatch on name or e-mail), or an address no person reads."""
    if matches_any(who, patterns):
        return True
    domain = who.email.rpartition("@")[2].casefold()
    return "@" not in who.email or "." not in domain or domain.endswith((".local", ".localdomain"))


def is_handle_like(name: str, logins: Iterable[str] = ()) -> bool:
    if name.startswith(("!", "@")):
        return False
    if name.casefold() in {login.casefold() for login in logins}:
        return True
    one_word = len(name.split()) == 1
    lowercase = name == name.lower() and any(ch.islower() for ch in name)  # not a script without case
    return one_word and (lowercase or any(ch.isdigit() for ch in name))


def short(commits: Iterable[str]) -> tuple[str, ...]:
    return tuple(sha[:10] for sha in commits)


class _Analysis:
    def __init__(self, sightings: Sightings, mailmap: Mailmap, mailmap_text: str,
                 placeholders: Sequence[str], bots: Sequence[str], people: People) -> None:
        self.mailmap, self.text, self.people = mailmap, mailmap_text, people
        self.placeholders = placeholders
        self.commits = {who: shas for who, shas in sightings.commits.items()
                        if not self._is_bot(who, bots)}
        self.bad_trailers = sightings.bad_trailers
        self.mapped = {who: Identity(*mailmap.map(who.name, who.email)) for who in self.commits}
        self.flagged: set[Identity] = set()

    @staticmethod
    def _is_bot(who: Identity, bots: Sequence[str]) -> bool:
        if who.name.endswith("[bot]") or who.email.endswith("[bot]@users.noreply.github.com"):
            return True
        return matches_any(who, bots)

    def count(self, who: Identity) -> int:
        return len(self.commits[who])

    def commits_of(self, raws: Iterable[Identity]) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for raw in raws:
            seen.update(dict.fromkeys(self.commits[raw]))
        return short(seen)

    def run(self) -> list[Finding]:
        findings = self.file_problems()
        findings += [Finding("bad-trailer", f"Co-authored-by: {bad.value!r} is not `Name <email>`",
                             commits=short([bad.commit])) for bad in self.bad_trailers]
        findings += self.placeholders_found()
        findings += self.several_names()
        findings += self.same_name()
        findings += self.handles()
        findings += self.noreply()
        return findings

    def file_problems(self) -> list[Finding]:
        found = [Finding("malformed", exc.message) for exc in self.mailmap.malformed]
        found += [Finding("trailing-text", f".mailmap line {number}: git ignores the text after the "
                          f"last address: {line!r}") for number, line in trailing_text(self.text)]
        return found

    @cached_property
    def by_mapped(self) -> dict[Identity, list[Identity]]:
        """Mapped identity -> the raw identities that map onto it (sorted)."""
        groups: dict[Identity, list[Identity]] = defaultdict(list)
        for raw, mapped in sorted(self.mapped.items()):
            groups[mapped].append(raw)
        return groups

    def placeholders_found(self) -> list[Finding]:
        found = []
        for mapped, raws in self.by_mapped.items():
            if not is_placeholder(mapped, self.placeholders):
                continue
            self.flagged.update(raws)
            for raw in raws:
                login = self.people.login_of(raw)
                proposals = self._named_by_login(raw, login, name_specific=True)
                found.append(Finding("placeholder", f"{raw} is a machine or default identity",
                                     (raw,), self.commits_of([raw]), proposals,
                                     (login,) if login else ()))
        return found

    def _named_by_login(self, raw: Identity, login: str | None, *, name_specific: bool) -> tuple[str, ...]:
        if not login:
            return ()
        real = self.people.name_of(login)
        email = self._email_for(real) if real else None
        email = email or (raw.email if not is_placeholder(raw, self.placeholders)
                          else f"{login}@users.noreply.github.com")
        proper = real or f"!{login}"
        if name_specific:
            return (format_line(proper, email, raw.name, raw.email),)
        return (format_line(proper, email, None, raw.email if raw.email != email else None),)

    def _email_for(self, name: str) -> str | None:
        """The e-mail the range (after mapping) already uses for this name, if any."""
        key = fold(name)
        for mapped in sorted(set(self.mapped.values())):
            if fold(mapped.name) == key and not is_placeholder(mapped, self.placeholders):
                return mapped.email
        return None

    def best(self, candidates: Iterable[Identity], weight: Mapping[Identity, int]) -> Identity:
        """The spelling to keep: not handle-like, most words, most commits, then stable order."""
        return min(candidates, key=lambda who: (is_handle_like(who.name), -len(who.name.split()),
                                                -weight.get(who, 0), who.name != who.name.title(),
                                                who))

    @cached_property
    def weights(self) -> dict[Identity, int]:
        """Mapped identity -> the commits it carries."""
        weight: dict[Identity, int] = defaultdict(int)
        for raw, mapped in self.mapped.items():
            weight[mapped] += self.count(raw)
        return weight

    def several_names(self) -> list[Finding]:
        groups: dict[str, set[Identity]] = defaultdict(set)
        for mapped in self.mapped.values():
            groups[mapped.email.casefold()].add(mapped)
        weight = self.weights
        found = []
        for _, identities in sorted(groups.items()):
            names = {who.name for who in identities}
            raws = [raw for raw, mapped in self.mapped.items() if mapped in identities]
            if len(names) < 2 or any(raw in self.flagged for raw in raws):
                continue
            keep = self.best(identities, weight)
            self.flagged.update(raw for raw in raws if self.mapped[raw] != keep)
            found.append(Finding(
                "several-names", f"<{keep.email}> is used under {len(names)} names: "
                + ", ".join(sorted(names)), tuple(sorted(raws)), self.commits_of(raws),
                (format_line(keep.name, keep.email),)))
        return found

    def same_name(self) -> list[Finding]:
        groups: dict[str, set[Identity]] = defaultdict(set)
        for mapped in self.mapped.values():
            if not is_placeholder(mapped, self.placeholders):
                groups[fold(mapped.name)].add(mapped)
        weight = self.weights
        found = []
        for _, identities in sorted(groups.items()):
            if len(identities) < 2:
                continue
            keep = self.best(identities, weight)
            raws = sorted(raw for raw, mapped in self.mapped.items() if mapped in identities)
            proposals = [self._onto(keep, raw) for raw in raws if self.mapped[raw] != keep]
            self.flagged.update(raw for raw in raws if self.mapped[raw] != keep)
            same = len({who.name for who in identities}) == 1
            what = ("one name with several e-mails" if same
                    else "names that differ only in case, accents or spaces")
            found.append(Finding("same-name", f"{what}: " + ", ".join(map(str, sorted(identities))),
                                 tuple(raws), self.commits_of(raws), tuple(dict.fromkeys(proposals))))
        return found

    @staticmethod
    def _onto(keep: Identity, raw: Identity) -> str:
        if raw.email.casefold() == keep.email.casefold():
            return format_line(keep.name, keep.email)
        return format_line(keep.name, keep.email, None, raw.email)

    def handles(self) -> list[Finding]:
        found = []
        for mapped, raws in self.by_mapped.items():
            logins = [login for raw in raws if (login := self.people.login_of(raw))]
            if not is_handle_like(mapped.name, logins) or all(raw in self.flagged for raw in raws):
                continue
            self.flagged.update(raws)
            proposals = tuple(p for raw in raws for p in self._named_by_login(
                raw, self.people.login_of(raw), name_specific=False))
            found.append(Finding("handle", f"{mapped.name!r} looks like a handle, not a name",
                                 tuple(raws), self.commits_of(raws), proposals,
                                 tuple(dict.fromkeys(logins))))
        return found

    def noreply(self) -> list[Finding]:
        found = []
        for raw in sorted(self.commits):
            login = raw.noreply_login
            if login is None or raw in self.flagged or self.mailmap.covers(raw.name, raw.email):
                continue
            mapped = self.mapped[raw]
            email = self._email_for(mapped.name)
            proposals: tuple[str, ...] = ()
            if email and email.casefold() != raw.email.casefold():
                proposals = (format_line(mapped.name, email, None, raw.email),)
            elif (real := self.people.name_of(login)) and fold(real) != fold(mapped.name):
                target = self._email_for(real) or raw.email
                proposals = (format_line(real, target, None,
                                         raw.email if target != raw.email else None),)
            found.append(Finding("noreply", f"{raw} is a GitHub no-reply address with no mapping",
                                 (raw,), self.commits_of([raw]), proposals, (login,)))
        return found


def find_problems(sightings: Sightings, mailmap: Mailmap, mailmap_text: str, *,
                  placeholders: Sequence[str], bots: Sequence[str] = (),
                  people: People = OFFLINE) -> list[Finding]:
    findings = _Analysis(sightings, mailmap, mailmap_text, placeholders, bots, people).run()
    return sorted(findings, key=lambda f: KINDS.index(f.kind))


def proposals(findings: Iterable[Finding]) -> list[str]:
    return list(dict.fromkeys(line for finding in findings for line in finding.proposals))
