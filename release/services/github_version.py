"""A version on GitHub in one GraphQL query: its release (a draft too, by the tag it will make)
with its assets, and the pull requests of the release's work branches. `status` asks this once
for every row instead of listing releases, reading each asset and listing pull requests over REST.

GraphQL's `release(tagName:)` finds a draft by its pending tag, as REST's `releases/tags/{tag}`
does not; it needs the same push access REST's list of drafts does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from release.errors import ServiceError
from release.services.github import GitHubService

ASSETS_ASKED = 100  # GitHub's most per connection; a release has a handful (wheels go to PyPI)
PULLS_ASKED = 5  # the newest pull requests from each branch


@dataclass(frozen=True)
class ReleaseOnGitHub:
    tag: str
    title: str
    draft: bool
    prerelease: bool
    url: str
    assets: tuple[str, ...]


@dataclass(frozen=True)
class PullOnGitHub:
    number: int
    state: str  # OPEN, CLOSED or MERGED
    url: str
    base: str


@dataclass(frozen=True)
class VersionOnGitHub:
    release: ReleaseOnGitHub | None
    pulls: Mapping[str, tuple[PullOnGitHub, ...]]  # head branch -> its pull requests, newest first


def version_query(owner: str, name: str, tag: str, branches: Sequence[str]) -> str:
    """The one query; strings are written as JSON writes them, which GraphQL reads alike."""
    release = (f"release(tagName: {json.dumps(tag)}) {{ tagName name isDraft isPrerelease url "
               f"releaseAssets(first: {ASSETS_ASKED}) {{ nodes {{ name }} }} }}")
    pulls = " ".join(
        f"pulls{n}: pullRequests(headRefName: {json.dumps(branch)}, first: {PULLS_ASKED}, "
        "orderBy: {field: CREATED_AT, direction: DESC}) { nodes { number state url baseRefName } }"
        for n, branch in enumerate(branches))
    return (f"query {{ rateLimit {{ cost remaining limit resetAt }} "
            f"repository(owner: {json.dumps(owner)}, name: {json.dumps(name)}) {{ {release} {pulls} }} }}")


def version_on_github(service: GitHubService, tag: str, branches: Sequence[str]) -> VersionOnGitHub:
    """The release for `tag` and the pull requests from each of `branches`: one GraphQL query."""
    service.require_token(f"look for the release {tag} (drafts are visible only then)")
    owner, _, name = service.repo_name.partition("/")
    data = service.graphql.post(version_query(owner, name, tag, branches),
                                f"read {tag} and its pull requests on {service.repo_name}")
    repository = data.get("repository")
    if not isinstance(repository, dict):
        raise ServiceError(f"GitHub has no repository {service.repo_name} (or the token cannot see it)",
                           hint="check github_repo in [tool.release] and the token's access")
    try:
        return VersionOnGitHub(
            _release(repository.get("release")),
            {branch: tuple(_pull(node) for node in (repository.get(f"pulls{n}") or {}).get("nodes") or ())
             for n, branch in enumerate(branches)})
    except (AttributeError, TypeError, KeyError, ValueError):
        raise ServiceError(f"GitHub's answer about {tag} is not one it gives ({repository!r:.120})",
                           hint="check GITHUB_GRAPHQL_URL: it must be GitHub's GraphQL endpoint") from None


def _release(node: Any) -> ReleaseOnGitHub | None:
    if node is None:
        return None
    assets = tuple(str(asset["name"]) for asset in (node.get("releaseAssets") or {}).get("nodes") or ())
    return ReleaseOnGitHub(str(node["tagName"]), str(node.get("name") or ""), bool(node["isDraft"]),
                           bool(node["isPrerelease"]), str(node["url"]), assets)


def _pull(node: Any) -> PullOnGitHub:
    return PullOnGitHub(int(node["number"]), str(node["state"]), str(node["url"]),
                        str(node["baseRefName"]))
