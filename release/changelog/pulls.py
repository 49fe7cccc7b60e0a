"""Which pull requests a range of history merged, found from git alone.

NumPy's rules: merge commits whose subject says `Merge pull request #N` (GitHub) or
`Auto merge of #N` (the old Homu bot), and first-parent commits whose subject ends in `(#N)`,
`(gh-N)` or `(gh-#N)` (squash merges; the last number wins). A two-parent commit with a
squash-style subject is a pull request too (NumPy's tool misses those and they are added by hand).
A `Merge pull request #N` merge off the first-parent line of the range's end, and of every branch
and tag of the project, merged into someone's own branch (a fork's pull request #N, such as the
`#1` of `Merge pull request #1 from owner/main`), not into the project: it is no pull request of
this release (NumPy's tool lists it).
Titles from git: a merge commit's first body line, a squash commit's subject without the number.
A backport names the pull request it backports in its body (`Backport of #N`), its title's
trailing `(#N)`, or else its branch (`Merge pull request #M from charris/backport-N`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from release.services.git import Commit, GitService

_MERGE = re.compile(r"Merge pull request #(\d+)(?: from (\S+))?")
_HOMU = re.compile(r"Auto merge of #(\d+)")
_SQUASH_SUFFIX = re.compile(r"\s*\((?:#|gh-|gh-#)(\d+)\)$")
_BACKPORT_BODY = re.compile(r"[Bb]ackport of #(\d+)")
_TRAILING_NUMBER = re.compile(r"\(#(\d+)\)$")
_BACKPORT_BRANCH = re.compile(r"(?:^|/)backport[-_](\d+)$")


@dataclass(frozen=True)
class PullRef:
    """A pull request as git records it."""

    number: int
    title: str
    commit: str
    kind: str  # "merge", "homu" or "squash"
    body: str = ""
    head: str = ""  # "owner/branch", as a merge commit's subject names it
    two_parents: bool = False  # a two-parent commit with a squash-style subject

    @property
    def original(self) -> int | None:
        """The pull request this one backports, when its body, its title or (the last resort,
        since branch names carry typos that titles correct) its branch says so."""
        match = (_BACKPORT_BODY.search(self.body) or _TRAILING_NUMBER.search(self.title)
                 or _BACKPORT_BRANCH.search(self.head))
        if match is None or int(match.group(1)) == self.number:
            return None
        return int(match.group(1))


@dataclass(frozen=True)
class Skipped:
    """A number git's subjects name that is no pull request of the range, and why."""

    number: int
    commit: str
    subject: str
    rule: str  # "fork-internal"


@dataclass(frozen=True)
class Discovery:
    pulls: tuple[PullRef, ...]
    skipped: tuple[Skipped, ...] = ()


def first_parent_chain(commits: Sequence[Commit], end_sha: str) -> set[str]:
    """The commits `git log --first-parent` shows for the range the commits came from."""
    by_sha = {commit.sha: commit for commit in commits}
    chain: set[str] = set()
    sha: str | None = end_sha
    while sha is not None and sha in by_sha and sha not in chain:
        chain.add(sha)
        parents = by_sha[sha].parents
        sha = parents[0] if parents else None
    return chain


def _merge_title(commit: Commit) -> str:
    return next((line.strip() for line in commit.body.splitlines() if line.strip()), commit.subject)


def pull_from_commit(commit: Commit, on_first_parent: bool) -> PullRef | None:
    """The pull request a commit merged, or None."""
    if len(commit.parents) > 1:
        for pattern, kind in ((_MERGE, "merge"), (_HOMU, "homu")):
            match = pattern.search(commit.subject)
            if match:
                head = (match.group(2) or "") if kind == "merge" else ""
                return PullRef(int(match.group(1)), _merge_title(commit), commit.sha, kind,
                               commit.body, head)
    if on_first_parent:
        match = _SQUASH_SUFFIX.search(commit.subject)
        if match:
            title = commit.subject[:match.start()]
            return PullRef(int(match.group(1)), title, commit.sha, "squash", commit.body,
                           two_parents=len(commit.parents) > 1)
    return None


def off_line_merges(commits: Sequence[Commit], end_sha: str) -> list[str]:
    """`Merge pull request` merges that are not on the first-parent line of the range's end."""
    chain = first_parent_chain(commits, end_sha)
    return [commit.sha for commit in commits
            if commit.sha not in chain and len(commit.parents) > 1 and _MERGE.search(commit.subject)]


def discover(commits: Sequence[Commit], end_sha: str, ours: Iterable[str] = ()) -> Discovery:
    """Every pull request merged by `commits` (one range's log), one entry per number, sorted.
    `ours`: commits on the first-parent line of one of the project's branches or tags; a pull
    request merge off the end's line that is not among them merged into someone's own branch."""
    chain = first_parent_chain(commits, end_sha)
    on_ours = set(ours)
    found: dict[int, PullRef] = {}
    skipped: list[Skipped] = []
    for commit in commits:
        pull = pull_from_commit(commit, commit.sha in chain)
        if pull is None or pull.number in found:
            continue
        if pull.kind == "merge" and commit.sha not in chain and commit.sha not in on_ours:
            skipped.append(Skipped(pull.number, commit.sha, commit.subject, "fork-internal"))
            continue
        found[pull.number] = pull
    return Discovery(tuple(found[number] for number in sorted(found)),
                     tuple(sorted(skipped, key=lambda s: s.number)))


def project_merges(git: GitService, start: str, commits: Sequence[Commit], end_sha: str) -> set[str]:
    """Of the pull-request merges off the end's first-parent line, those on the first-parent line
    of some branch or tag (local or remote-tracking): merged into the project, not into someone's
    own branch. One more git walk, only when there are such merges."""
    off_line = off_line_merges(commits, end_sha)
    if not off_line:
        return set()
    out = git.run(["rev-list", "--first-parent", "--branches", "--tags", "--remotes", f"^{start}"])
    return set(out.split()) & set(off_line)


def find_pulls(git: GitService, start: str, end: str) -> Discovery:
    """The range's pull requests, fork-internal merges set aside."""
    commits = git.log(f"{start}..{end}")
    end_sha = git.rev_parse(end)
    return discover(commits, end_sha, project_merges(git, start, commits, end_sha))


def pulls_in_range(git: GitService, start: str, end: str) -> list[PullRef]:
    return list(find_pulls(git, start, end).pulls)


def map_backports(pulls: Iterable[PullRef], credited: Iterable[int] = ()) -> list[PullRef]:
    """Backports become their originals (title without the trailing number); pull requests
    already credited earlier in the series (as backport or original) are dropped."""
    done = set(credited)
    result: dict[int, PullRef] = {}
    for pull in pulls:
        original = pull.original
        if pull.number in done or (original is not None and original in done):
            continue
        if original is None:
            result.setdefault(pull.number, pull)
            continue
        title = _SQUASH_SUFFIX.sub("", pull.title)
        result.setdefault(original, PullRef(original, title, pull.commit, pull.kind, pull.body,
                                            pull.head, pull.two_parents))
    return [result[number] for number in sorted(result)]


def credited_numbers(pulls: Iterable[PullRef]) -> set[int]:
    """Every number a list of pull requests credits: the pull requests and their originals."""
    numbers: set[int] = set()
    for pull in pulls:
        numbers.add(pull.number)
        if pull.original is not None:
            numbers.add(pull.original)
    return numbers
