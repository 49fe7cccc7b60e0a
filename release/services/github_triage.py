"""Pull requests' labels and milestones, batched over GraphQL like the changelog's titles and cached
on disk the same way, for the backport candidates.

Labels change after a merge (a backport label is often added later), so a cached entry is used for
a day at most; `refresh` asks again for all of them.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from release.atomic_file import replace_file
from release.errors import ServiceError
from release.services.github import GitHubService
from release.services.github_errors import Transient
from release.services.github_graphql import MAX_BATCH

MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class PullTriage:
    number: int
    title: str
    author: str | None
    merged: bool
    labels: tuple[str, ...]
    milestone: str | None


def triage_query(owner: str, name: str, numbers: Sequence[int]) -> str:
    fields = "number title merged author { login } labels(first: 30) { nodes { name } } milestone { title }"
    aliases = " ".join(f"pr{n}: pullRequest(number: {n}) {{ {fields} }}" for n in numbers)
    return (f'query {{ rateLimit {{ cost remaining limit resetAt }} '
            f'repository(owner: "{owner}", name: "{name}") {{ {aliases} }} }}')


class TriageCache:
    def __init__(self, cache_dir: Path, api_url: str, repo: str,
                 clock: Callable[[], float] = time.time) -> None:
        key = hashlib.sha256(f"{api_url.rstrip('/')}\n{repo.lower()}".encode()).hexdigest()[:20]
        self.path = cache_dir / "pull-triage" / f"{repo.replace('/', '--')}-{key}.json"
        self.clock = clock

    def load(self) -> dict[int, tuple[float, PullTriage | None]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        found: dict[int, tuple[float, PullTriage | None]] = {}
        for number, entry in dict(raw.get("pulls", {})).items():
            if not isinstance(entry, dict):
                continue
            info = entry.get("info")
            pull = None if info is None else PullTriage(
                int(number), str(info["title"]), info.get("author"), bool(info.get("merged")),
                tuple(info.get("labels", ())), info.get("milestone"))
            found[int(number)] = (float(entry.get("at", 0)), pull)
        return found

    def save(self, entries: dict[int, tuple[float, PullTriage | None]]) -> None:
        pulls = {str(n): {"at": at, "info": None if p is None else {
            "title": p.title, "author": p.author, "merged": p.merged, "labels": list(p.labels),
            "milestone": p.milestone}} for n, (at, p) in sorted(entries.items())}
        replace_file(self.path, json.dumps({"pulls": pulls}, indent=0).encode("utf-8"))


def pull_triage(service: GitHubService, numbers: Sequence[int], *, refresh: bool = False,
                clock: Callable[[], float] = time.time) -> dict[int, PullTriage]:
    """Labels, milestone, title and author of each pull request; numbers that are not pull
    requests are left out. Cached for a day; it says what it will cost before it asks."""
    wanted = sorted(set(numbers))
    cache = TriageCache(service.cache_dir, service.api_url, service.repo_name, clock)
    known = cache.load()
    now = clock()
    todo = [n for n in wanted if refresh or n not in known or now - known[n][0] > MAX_AGE]
    if todo:
        service.require_token("fetch the pull requests' labels and milestones", offline_hint=True)
        queries = math.ceil(len(todo) / MAX_BATCH)
        print(f"GitHub: labels and milestones of {len(todo)} pull requests ({len(wanted) - len(todo)} "
              f"cached): {queries} GraphQL {'query' if queries == 1 else 'queries'}", file=service.progress)
        _fetch(service, todo, lambda batch: _keep(cache, known, batch, now))
    return {n: entry[1] for n in wanted if (entry := known.get(n)) is not None and entry[1] is not None}


def _keep(cache: TriageCache, known: dict[int, tuple[float, PullTriage | None]],
          batch: dict[int, PullTriage | None], now: float) -> None:
    known.update({n: (now, p) for n, p in batch.items()})
    cache.save(known)


def _fetch(service: GitHubService, numbers: Sequence[int],
           on_batch: Callable[[dict[int, PullTriage | None]], None]) -> None:
    client = service.graphql
    owner, _, name = service.repo_name.partition("/")
    done, failures = 0, 0
    while done < len(numbers):
        chunk = numbers[done:done + MAX_BATCH]
        try:
            data = client.post_once(triage_query(owner, name, chunk), "fetch labels and milestones")
        except Transient as problem:
            failures += 1
            client.pause(problem, failures, "fetch labels and milestones")
            continue
        failures = 0
        on_batch(_parse(data, chunk, service.repo_name))
        done += len(chunk)


def _parse(data: dict[str, Any], numbers: Sequence[int], repo: str) -> dict[int, PullTriage | None]:
    repository = data.get("repository")
    if repository is None:
        raise ServiceError(f"GitHub has no repository {repo} (or the token cannot see it)",
                           hint="check github_repo in [tool.release] and the token's access")
    found: dict[int, PullTriage | None] = {}
    for number in numbers:
        node = repository.get(f"pr{number}")
        if node is None:
            found[number] = None
            continue
        labels = tuple(str(label["name"]) for label in (node.get("labels") or {}).get("nodes") or ())
        milestone = (node.get("milestone") or {}).get("title")
        found[number] = PullTriage(int(node["number"]), str(node["title"]),
                                   (node.get("author") or {}).get("login"), bool(node.get("merged")),
                                   labels, milestone)
    return found


@dataclass(frozen=True)
class MilestoneItem:
    """An issue or pull request on a milestone."""

    number: int
    title: str
    author: str
    is_pull: bool
    state: str  # "open" or "closed"
    merged: bool


@dataclass(frozen=True)
class MilestoneView:
    number: int
    title: str
    state: str
    items: tuple[MilestoneItem, ...]


def milestone_view(service: GitHubService, title: str) -> MilestoneView | None:
    """The milestone called `title` with every issue and pull request on it (None: no such)."""
    return milestone_views(service, (title,))[title]


def milestone_views(service: GitHubService,
                    titles: Sequence[str]) -> dict[str, MilestoneView | None]:
    """The milestones called `titles` (None: no such), from one list of the milestones and one
    list of each one's issues and pull requests, 100 a page. Read as GitHub sends them: an issue
    that is not a pull request has no `pull_request`, and asking PyGithub for it would fetch the
    issue again, one request per issue."""
    names = " and ".join(repr(title) for title in dict.fromkeys(titles))
    action = f"read the milestone {names} of {service.repo_name}"
    base = f"{service.api_url}/repos/{service.repo_name}"
    views: dict[str, MilestoneView | None] = dict.fromkeys(titles)
    for milestone in _pages(service, f"{base}/milestones", {"state": "all"}, action):
        title = str(milestone["title"])
        if title not in views or views[title] is not None:
            continue
        items = []
        for issue in _pages(service, f"{base}/issues", {
                "milestone": str(milestone["number"]), "state": "all", "sort": "created",
                "direction": "asc"}, action):
            pull = issue.get("pull_request")
            items.append(MilestoneItem(int(issue["number"]), str(issue["title"]),
                                       str((issue.get("user") or {}).get("login") or ""),
                                       pull is not None, str(issue["state"]),
                                       pull is not None and pull.get("merged_at") is not None))
        views[title] = MilestoneView(int(milestone["number"]), title, str(milestone["state"]),
                                     tuple(items))
    return views


def _pages(service: GitHubService, url: str, params: dict[str, str],
           action: str) -> list[dict[str, Any]]:
    """Every item of a REST list, 100 a page, page after page as GitHub's Link header leads."""
    found: list[dict[str, Any]] = []
    next_url: str | None = url
    query: dict[str, str] | None = {**params, "per_page": "100"}
    while next_url:
        response = service.request("GET", next_url, action, params=query)
        found += list(response.json())
        next_url, query = response.links.get("next", {}).get("url"), None  # it has the query
    return found


def set_milestone(service: GitHubService, number: int, milestone: int | None) -> None:
    """Put issue or pull request `number` on milestone number `milestone` (None: on none)."""
    service.require_token(f"change the milestone of #{number}")
    service.request("PATCH", f"{service.api_url}/repos/{service.repo_name}/issues/{number}",
                    f"move #{number} to another milestone", json={"milestone": milestone})
