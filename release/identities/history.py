"""Who a range of history names: commit authors and `Co-authored-by` trailers, raw (before any
`.mailmap`), each with the commits that carry it."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from release.services.git import GitService

_TRAILER = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>\s]+@[^<>\s]*)>\s*$")
_NOREPLY = re.compile(r"^(?:(?P<id>\d+)\+)?(?P<login>[A-Za-z0-9-]+)@users\.noreply\.github\.com$", re.I)


@dataclass(frozen=True, order=True)
class Identity:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def noreply_login(self) -> str | None:
        """The GitHub login a `users.noreply.github.com` address names."""
        match = _NOREPLY.match(self.email)
        return match["login"] if match else None


@dataclass(frozen=True)
class BadTrailer:
    commit: str
    value: str


@dataclass(frozen=True)
class Sightings:
    """Raw identities -> the commits (full ids, newest first) that name them."""

    commits: dict[Identity, tuple[str, ...]]
    bad_trailers: tuple[BadTrailer, ...]


def parse_trailer(value: str) -> Identity | None:
    match = _TRAILER.match(value)
    if match is None or not match["name"]:
        return None
    return Identity(match["name"], match["email"])


def collect(git: GitService, revision_range: str) -> Sightings:
    sep, end, tsep = "\x1f", "\x1e", "\x1d"
    fmt = sep.join(["%H", "%an", "%ae", f"%(trailers:key=Co-authored-by,valueonly,separator={tsep})"])
    out = git.run(["log", f"--format={fmt}{end}", revision_range, "--"])
    found: dict[Identity, list[str]] = defaultdict(list)
    bad: list[BadTrailer] = []
    for record in out.split(end):
        record = record.strip("\n")
        if not record:
            continue
        sha, name, email, trailers = record.split(sep)
        found[Identity(name, email)].append(sha)
        for value in filter(None, (v.strip() for v in trailers.split(tsep))):
            who = parse_trailer(value)
            if who is None:
                bad.append(BadTrailer(sha, value))
            elif sha not in found[who]:
                found[who].append(sha)
    return Sightings({who: tuple(shas) for who, shas in found.items()}, tuple(bad))


def authors_until(git: GitService, ref: str) -> set[Identity]:
    """Every raw author identity of the history reachable from `ref`."""
    out = git.run(["log", "--format=%an\x1f%ae", ref, "--"])
    return {Identity(*line.split("\x1f", 1)) for line in set(out.splitlines()) if "\x1f" in line}
