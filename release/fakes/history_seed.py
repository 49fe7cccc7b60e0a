"""What GitHub would say about a real checkout's pull requests, read from its git history.

A rehearsal of a real checkout has no GitHub of its own: the fake is seeded with the pull
requests the history names (`Merge pull request #N from owner/branch` merges, `Title (#N)`
squashes; see `release.changelog.pulls`), so the steps that ask GitHub for titles and authors run online.
Titles are git's (GitHub's may have been edited since); the author is the merge's head owner, or
the login in a squash author's no-reply address, else GitHub's `ghost` (unknown).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from release.changelog.pulls import PullRef, discover, project_merges
from release.fakes.github import FakeGitHub
from release.identities.history import Identity
from release.services.git import Commit, GitService

UNKNOWN_LOGIN = "ghost"  # GitHub's name for an author it cannot show


@dataclass(frozen=True)
class HistoryPull:
    """One merged pull request as git tells it."""

    number: int
    title: str
    login: str
    head: str
    base: str
    merge_commit: str = ""  # the commit that merged it, as GitHub records it


def history_pulls(git: GitService, spans: Sequence[tuple[str, str]]) -> list[HistoryPull]:
    """The pull requests merged in each `(base branch, A..B)` span, first span first, one per number."""
    found: dict[int, HistoryPull] = {}
    for base, span in spans:
        commits = git.log(span)
        start, _, end = span.partition("..")
        by_sha = {commit.sha: commit for commit in commits}
        end_sha = git.rev_parse(end)
        for pull in discover(commits, end_sha, project_merges(git, start, commits, end_sha)).pulls:
            found.setdefault(pull.number, _pull(pull, by_sha[pull.commit], base))
    return [found[number] for number in sorted(found)]


def _pull(pull: PullRef, commit: Commit, base: str) -> HistoryPull:
    owner, _, branch = pull.head.partition("/")
    if branch:
        return HistoryPull(pull.number, pull.title, owner, f"{owner}:{branch}", base, commit.sha)
    login = Identity(commit.author_name, commit.author_email).noreply_login or UNKNOWN_LOGIN
    return HistoryPull(pull.number, pull.title, login, f"{login}:pr-{pull.number}", base, commit.sha)


def seed_pulls(github: FakeGitHub, full_name: str, pulls: Iterable[HistoryPull]) -> int:
    """Add the pull requests to the fake's `full_name` as merged; returns how many."""
    count = 0
    for pull in pulls:
        github.add_pull(full_name, pull.number, pull.title, pull.login, head=pull.head,
                        base=pull.base, merge_commit=pull.merge_commit or None)
        count += 1
    return count
