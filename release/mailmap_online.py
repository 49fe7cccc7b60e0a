"""Who is behind an identity, from GitHub: commit -> pull request -> author login -> profile name.

Backports are traced to the pull request they backport, so a backport merged by a maintainer
still names the original author. One GraphQL query per 100 pull requests (cached on disk) and
one REST call per login that a proposal needs.
"""

from __future__ import annotations

from collections import Counter

from release.identities import Identity, Sightings
from release.mailmap_findings import People
from release.pulls import PullRef, discover_pulls
from release.revision_range import RevisionRange
from release.services.git import GitService
from release.services.github import GitHubService


def commit_pulls(git: GitService, span: RevisionRange) -> dict[str, int]:
    """Each commit of the range -> the pull request (its original, for a backport) that merged it."""
    commits = git.log(str(span))
    parents_of = {commit.sha: commit.parents for commit in commits}  # no git call per merge
    found: dict[str, int] = {}
    for pull in discover_pulls(commits, git.rev_parse(span.end)):
        number = _number(pull)
        found.setdefault(pull.commit, number)
        parents = parents_of[pull.commit] if pull.kind != "squash" else ()
        if len(parents) > 1:
            for sha in git.run(["rev-list", f"{parents[0]}..{parents[1]}", "--"]).split():
                found.setdefault(sha, number)
    return found


def _number(pull: PullRef) -> int:
    return pull.original if pull.original is not None else pull.number


def github_people(service: GitHubService, git: GitService, span: RevisionRange,
                  sightings: Sightings) -> People:
    by_commit = commit_pulls(git, span)
    infos = service.pull_requests(set(by_commit.values()))
    login_by_commit = {sha: info.author_login for sha, number in by_commit.items()
                       if (info := infos.get(number)) is not None and info.author_login}
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
