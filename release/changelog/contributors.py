"""Who contributed to a range of history, exactly as NumPy counts it.

Names come from `git shortlog` grouped by author and by `Co-authored-by` trailer, so git's own
`.mailmap` handling applies to both (the work tree's `.mailmap`, plus `mailmap.blob` when given).
A name is new ("+") when it does not appear in the history reachable from the range's left end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from release.services.git import GitService

_NAME = re.compile(r"^\s*(\d+)\t(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Contributor:
    """A mailmapped display name; identity is this name only (emails are ignored, as in NumPy)."""

    name: str
    commits: int
    first_time: bool

    @property
    def display(self) -> str:
        """`Name +` for a first-time contributor: the string NumPy prints and sorts on."""
        return f"{self.name} +" if self.first_time else self.name


@dataclass(frozen=True)
class ContributorSummary:
    """The contributors of one release and the counts announcements quote."""

    contributors: tuple[Contributor, ...]

    @property
    def total(self) -> int:
        return len(self.contributors)

    @property
    def first_time(self) -> int:
        return sum(1 for person in self.contributors if person.first_time)


def shortlog_argv(revisions: Iterable[str], mailmap_blob: str | None = None) -> list[str]:
    """`git shortlog -s` over authors and co-authors (git >= 2.29), optionally with a mailmap blob."""
    config = ["-c", f"mailmap.blob={mailmap_blob}"] if mailmap_blob else []
    return [*config, "shortlog", "-s", "--group=author", "--group=trailer:co-authored-by",
            *revisions, "--"]


def parse_shortlog(text: str) -> dict[str, int]:
    """`   12\tName` lines -> {name: commits}."""
    return {match.group(2): int(match.group(1)) for match in _NAME.finditer(text)}


def shortlog_names(
    git: GitService, revisions: Iterable[str], mailmap_blob: str | None = None
) -> dict[str, int]:
    return parse_shortlog(git.run(shortlog_argv(revisions, mailmap_blob)))


def classify(
    current: dict[str, int], before: Iterable[str], drop: Iterable[str] = ()
) -> ContributorSummary:
    """Mark names absent from `before` as first-time; order as NumPy does (codepoint order of
    the printed string, `+` included)."""
    dropped = set(drop)
    seen = set(before) - dropped
    people = [
        Contributor(name, commits, name not in seen)
        for name, commits in current.items()
        if name not in dropped
    ]
    people.sort(key=lambda person: person.display)
    return ContributorSummary(tuple(people))


def contributors(
    git: GitService,
    start: str,
    end: str,
    *,
    drop: Iterable[str] = (),
    mailmap_blob: str | None = None,
) -> ContributorSummary:
    """Contributors of `start..end`; first-time relative to everything reachable from `start`."""
    with ThreadPoolExecutor(max_workers=1) as pool:  # the long walk runs beside the short one
        earlier = pool.submit(shortlog_names, git, [start], mailmap_blob)
        current = shortlog_names(git, [f"{start}..{end}"], mailmap_blob)
        before = earlier.result()
    return classify(current, before, drop)
