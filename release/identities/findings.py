"""Contributor identity problems in a range, after `.mailmap`, and the lines that would fix them.

Kinds, most serious first: a mapping line git skips (`malformed`), text git ignores after an
address (`trailing-text`), under `mailmap_style = "names"` a line git skips that SciPy's tools
read (`git-skips`), a `Co-authored-by` value that is not `Name <email>` (`bad-trailer`),
a machine or default identity (`placeholder`), one e-mail under several names (`several-names`),
one person under several identities whose names fold together (`same-name`), a name that looks
like a GitHub handle (`handle`), a name with text that is no name in it (`extra-text`), a name
of one word (`one-word`), and an unmapped `users.noreply.github.com` address (`noreply`). A name
a `.mailmap` line sets is the project's choice and is not judged.

Each finding says why it was flagged and how likely the project is to fix it (`high`, `medium`,
`low`), from the rest of the history: a name that also appears fuller elsewhere (the same e-mail
under a real name, or the same letters with spaces) is likely fixed and the fuller name is
proposed; so is an e-mail under two names; a person seen in git only under such a name needs
asking; a name's e-mail alone (an unmapped no-reply address, a second address under the same
name, a machine's host under a real name) leaves the changelog as it is and is seldom fixed.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from release.checks.result import CheckResult, Status
from release.identities.history import Identity, Sightings
from release.identities.mailmap import Mailmap, format_line, malformed_lines, trailing_text

KINDS = ("malformed", "trailing-text", "git-skips", "bad-trailer", "placeholder", "several-names",
         "same-name", "handle", "extra-text", "one-word", "noreply")
LIKELIHOODS = ("high", "medium", "low")
ERROR_KINDS = frozenset({"malformed"})


@dataclass(frozen=True)
class Finding:
    kind: str
    detail: str
    identities: tuple[Identity, ...] = ()
    commits: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()
    logins: tuple[str, ...] = ()
    reason: str = ""  # why it was flagged, and what makes a fix more or less likely
    likelihood: str = "medium"  # high, medium or low: how likely the project fixes it
    line: int | None = None  # the .mailmap line it is about (malformed, trailing-text)
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.kind in ERROR_KINDS

    @property
    def rank(self) -> tuple[int, int]:
        return LIKELIHOODS.index(self.likelihood), KINDS.index(self.kind)

    def result(self, mailmap: str = ".mailmap") -> CheckResult:
        """The finding as a check result: what is wrong and the fix, with the file and line."""
        status = Status.FAIL if self.is_error else Status.WARN
        what = _WHAT.get(self.kind, "{detail}").format(detail=self.detail)
        return CheckResult("mailmap", self.kind, status, what, self.fix(mailmap), mailmap, self.line)

    def fix(self, mailmap: str = ".mailmap") -> str:
        if self.proposals:
            lines = " and ".join(f"`{line}`" for line in self.proposals)
            return f"add {lines} to {mailmap} (`mailmap VERSION --write` adds the proposed lines)"
        return self.hint or _FIX.get(self.kind, _ANY_FIX).format(mailmap=mailmap)


_WHAT = {
    "malformed": "{detail}: git skips this line",
    "trailing-text": "{detail}",
    "bad-trailer": "{detail}: git does not count that co-author",
    "placeholder": "{detail}: the changelog would credit it as it is",
    "several-names": "{detail}",
    "same-name": "{detail}: the changelog would list the person more than once",
    "handle": "{detail}",
    "noreply": "{detail}",
}
_ANY_FIX = "add a {mailmap} line giving this identity the name the person wants credited"
_FIX = {
    "malformed": "write it as `Proper Name <proper@email> [Commit Name] <commit@email>`",
    "trailing-text": "delete the text after the last `>` on that line of {mailmap}",
    "git-skips": "rewrite the line so git reads it, as `Proper Name <proper@email> <commit@email>`",
    "extra-text": "add a {mailmap} line with the name alone, as the person writes it",
    "one-word": "add a {mailmap} line with the person's full name, if they want it",
    "bad-trailer": "a merged commit's trailer cannot change: credit the co-author by hand in "
                   "the changelog if they should be listed",
    "placeholder": "add a {mailmap} line giving this identity the person's name and address",
    "several-names": "add a {mailmap} line with the name to keep for that address",
    "same-name": "add a {mailmap} line mapping the other identities onto one",
    "handle": "add a {mailmap} line with the person's name (or `!handle` if they prefer it)",
    "noreply": "add a {mailmap} line with the address the person uses elsewhere, if any; "
               "otherwise the changelog shows the name as it is",
}


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


_EXTRA = re.compile(r"\(.*\)|\[.*\]|\s@\s|\s[-–—|]\s|\s(?:via|aka)\s", re.IGNORECASE)
_CAMEL = re.compile(r"[a-z][A-Z]")


def name_problem(name: str, logins: Iterable[str] = ()) -> tuple[str, str] | None:
    """(kind, why) when a display name is not a person's real name: `handle` (one word that is a
    login, lowercase, or has digits, `-`, `_` or inner capitals), `extra-text` (brackets, an
    `@`, text after a dash) or `one-word`. `!handle` and `@handle` names are deliberate."""
    name = name.strip()
    if not name or name.startswith(("!", "@")):
        return None
    if name.casefold() in {login.casefold() for login in logins}:
        return "handle", "the name is the GitHub login behind the address"
    if _EXTRA.search(name):
        return "extra-text", "text in the name that is no name (brackets, an `@`, after a dash)"
    if any(ch.isdigit() for ch in name):
        return "handle", "digits in the name, as in a handle"
    if len(name.split()) > 1:
        return None
    if name == name.lower() and any(ch.islower() for ch in name):
        return "handle", "one lowercase word, as in a handle"
    if any(ch in "-_." for ch in name) or _CAMEL.search(name):
        return "handle", "one word with `-`, `_` or inner capitals, as in a handle"
    if not any(ch.isupper() or ch.islower() for ch in name):
        return "one-word", "one word in a script without spaces (it may be a whole name)"
    return "one-word", "one word: no family name"


def is_handle_like(name: str, logins: Iterable[str] = ()) -> bool:
    found = name_problem(name, logins)
    return found is not None and found[0] == "handle"


def is_real_name(name: str) -> bool:
    """Two or more words and nothing that makes it look like a handle."""
    return len(name.split()) > 1 and name_problem(name) is None


@dataclass(frozen=True)
class Elsewhere:
    """What the rest of the history (after the `.mailmap`) knows: e-mail -> the names it commits
    under, and folded real names -> one identity with that name."""

    names_by_email: Mapping[str, frozenset[str]]
    real_by_fold: Mapping[str, Identity]

    def fuller(self, who: Identity) -> Identity | None:
        """A real name for this identity: its e-mail under one, or the same letters spaced."""
        for name in sorted(self.names_by_email.get(who.email.casefold(), ())):
            if is_real_name(name):
                return Identity(name, who.email)
        return self.real_by_fold.get(fold(who.name))

    def only_as(self, who: Identity) -> bool:
        """The e-mail never commits under a real name anywhere in the history."""
        return not any(is_real_name(name)
                       for name in self.names_by_email.get(who.email.casefold(), ()))


NOWHERE = Elsewhere({}, {})


def elsewhere(identities: Iterable[Identity], mailmap: Mailmap) -> Elsewhere:
    """`Elsewhere` from the raw identities of a history, mapped through `mailmap`."""
    by_email: dict[str, set[str]] = defaultdict(set)
    real: dict[str, Identity] = {}
    for raw in identities:
        mapped = Identity(*mailmap.map(raw.name, raw.email))
        by_email[raw.email.casefold()].add(mapped.name)
        if is_real_name(mapped.name):
            real.setdefault(fold(mapped.name), mapped)
    return Elsewhere({email: frozenset(names) for email, names in by_email.items()}, real)


def short(commits: Iterable[str]) -> tuple[str, ...]:
    return tuple(sha[:10] for sha in commits)


_NAME_DETAIL = {"handle": "{name!r} looks like a handle, not a name",
                "extra-text": "{name!r} has text in it that is no name",
                "one-word": "{name!r} is one word, not a whole name"}


class _Analysis:
    def __init__(self, sightings: Sightings, mailmap: Mailmap, mailmap_text: str,
                 placeholders: Sequence[str], bots: Sequence[str], people: People,
                 history: Elsewhere) -> None:
        self.mailmap, self.text, self.people, self.history = mailmap, mailmap_text, people, history
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
                             commits=short([bad.commit]),
                             reason="git reads no identity from it; only a reworded commit fixes it",
                             likelihood="low") for bad in self.bad_trailers]
        findings += self.placeholders_found()
        findings += self.several_names()
        findings += self.same_name()
        findings += self.names()
        findings += self.noreply()
        return findings

    def file_problems(self) -> list[Finding]:
        numbers = [number for number, _ in malformed_lines(self.text)]
        found = [Finding("malformed", exc.message, reason="git skips the whole line",
                         likelihood="high", line=number, hint=exc.hint or "")
                 for number, exc in zip(numbers, self.mailmap.malformed, strict=False)]
        found += [Finding("trailing-text", reason="git ignores that text", likelihood="high",
                          detail=f".mailmap line {number}: git ignores the text after the "
                          f"last address: {line!r}", line=number)
                  for number, line in trailing_text(self.text)]
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
                if matches_any(mapped, self.placeholders):
                    why, likelihood = "it matches a configured placeholder", "high"
                elif is_real_name(mapped.name):
                    why, likelihood = ("an address no person reads (a machine's own host); the name "
                                       "itself looks right, so the changelog is unaffected"), "low"
                else:
                    why, likelihood = "an address no person reads, under a name that is no name", "high"
                found.append(Finding("placeholder", f"{raw} is a machine or default identity",
                                     (raw,), self.commits_of([raw]), proposals,
                                     (login,) if login else (), why, likelihood))
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
                (format_line(keep.name, keep.email),),
                reason="one e-mail maps to two names, so the changelog lists one person twice",
                likelihood="high"))
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
            found.append(Finding(
                "same-name", f"{what}: " + ", ".join(map(str, sorted(identities))), tuple(raws),
                self.commits_of(raws), tuple(dict.fromkeys(proposals)),
                reason=("the same name under several e-mails (the changelog lists it once)" if same
                        else "two spellings of one name, so the changelog lists one person twice"),
                likelihood="low" if same else "high"))
        return found

    @staticmethod
    def _onto(keep: Identity, raw: Identity) -> str:
        if raw.email.casefold() == keep.email.casefold():
            return format_line(keep.name, keep.email)
        return format_line(keep.name, keep.email, None, raw.email)

    def names(self) -> list[Finding]:
        """Names that are no person's real name (a `.mailmap` line's own name is left alone)."""
        found = []
        for mapped, raws in self.by_mapped.items():
            logins = [login for raw in raws if (login := self.people.login_of(raw))]
            problem = name_problem(mapped.name, logins)
            if (problem is None or all(raw in self.flagged for raw in raws)
                    or all(self.mailmap.sets_name(raw.name, raw.email) for raw in raws)):
                continue
            kind, why = problem
            self.flagged.update(raws)
            proposals = tuple(p for raw in raws for p in self._named_by_login(
                raw, self.people.login_of(raw), name_specific=False))
            fuller = (next((who for raw in raws if (who := self.history.fuller(raw))), None)
                      if kind != "extra-text" else None)  # there the name is the longer one
            if fuller is not None:
                likelihood = "high"
                why += f"; the history also has the fuller name {fuller.name!r}"
                if not any(not line.startswith("!") for line in proposals):  # no profile name
                    proposals = tuple(dict.fromkeys(self._onto(fuller, raw) for raw in raws))
            elif "script without spaces" in why:
                likelihood = "low"
            else:
                likelihood = "medium"
                if all(self.history.only_as(raw) for raw in raws):
                    why += "; seen in git only under this name (ask the person)"
            found.append(Finding(kind, _NAME_DETAIL[kind].format(name=mapped.name), tuple(raws),
                                 self.commits_of(raws), proposals, tuple(dict.fromkeys(logins)),
                                 why, likelihood))
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
                                 (raw,), self.commits_of([raw]), proposals, (login,),
                                 "an address no one reads; the name itself looks right",
                                 "medium" if proposals else "low"))
        return found


def find_problems(sightings: Sightings, mailmap: Mailmap, mailmap_text: str, *,
                  placeholders: Sequence[str], bots: Sequence[str] = (),
                  people: People = OFFLINE, history: Elsewhere = NOWHERE) -> list[Finding]:
    """The findings, most likely to need a fix first."""
    findings = _Analysis(sightings, mailmap, mailmap_text, placeholders, bots, people,
                         history).run()
    return sorted(findings, key=lambda f: f.rank)


def proposals(findings: Iterable[Finding]) -> list[str]:
    return list(dict.fromkeys(line for finding in findings for line in finding.proposals))
