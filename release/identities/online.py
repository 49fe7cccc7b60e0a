"""Who is behind an identity, from GitHub: commit -> pull request -> author login -> profile name.

Backports are traced to the pull request they backport, so a backport merged by a maintainer
still names the original author; a commit a merge brought in whose own subject names a pull
request (`Title (#N)`, a cherry-picked squash, as in a backport of several) is traced to that one
first. One GraphQL query per 100 pull requests (cached on disk) and one REST call per login that a
proposal needs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from release.changelog.pulls import PullRef, discover, project_merges, pull_from_commit
from release.identities.findings import People
from release.identities.history import Identity, Sightings
from release.repo.revision_range import RevisionRange
from release.services.git import Commit, GitService
from release.services.github import GitHubService, PullRequestInfo


def commit_pulls(git: GitService, span: RevisionRange) -> dict[str, tuple[int, ...]]:
    """Each commit of the range -> the pull requests that may name its author, best first: the
    one its own subject names (for a commit a merge brought in), then the merging pull request
    (its original, for a backport). A merge commit itself names no one: its author is whoever
    merged, not the pull request's author."""
    commits = git.log(str(span))
    by_sha = {commit.sha: commit for commit in commits}  # no git call per merge
    end_sha = git.rev_parse(span.end)
    found: dict[str, tuple[int, ...]] = {}
    for pull in discover(commits, end_sha, project_merges(git, span.start, commits, end_sha)).pulls:
        number = _number(pull)
        if pull.kind == "squash":
            found.setdefault(pull.commit, (number,))
            continue
        parents = by_sha[pull.commit].parents
        if len(parents) > 1:
            for sha in git.run(["rev-list", f"{parents[0]}..{parents[1]}", "--"]).split():
                found.setdefault(sha, _own_first(by_sha.get(sha), number))
    return found


def _number(pull: PullRef) -> int:
    return pull.original if pull.original is not None else pull.number


def _own_first(commit: Commit | None, merged_by: int) -> tuple[int, ...]:
    own = pull_from_commit(commit, on_first_parent=True) if commit is not None else None
    if own is None:
        return (merged_by,)
    return tuple(dict.fromkeys((_number(own), own.number, merged_by)))


def first_known(numbers: tuple[int, ...], infos: Mapping[int, PullRequestInfo]) -> str | None:
    """The author of the first number GitHub knows as a pull request (None for a deleted
    account: a later number would name someone else)."""
    info = next((infos[number] for number in numbers if number in infos), None)
    return info.author_login if info is not None else None


def github_people(service: GitHubService, git: GitService, span: RevisionRange,
                  sightings: Sightings) -> People:
    by_commit = commit_pulls(git, span)
    infos = service.pull_requests({number for numbers in by_commit.values() for number in numbers})
    login_by_commit = {sha: login for sha, numbers in by_commit.items()
                       if (login := first_known(numbers, infos))}
    names: dict[str, str | None] = {}

    def login_of(who: Identity) -> str | None:
        if who.noreply_login:
            return who.noreply_login
        logins = Counter(login for sha in sightings.commits.get(who, ())
                         if (login := login_by_commit.get(sha)))
        return logins.most_common(1)[0][0] if logins else None

    def name_of(login: str) -> str | None:
        if login not in names:
            names[login] = service.user_name(login)
        return names[login]

    return People(login_of, name_of)
