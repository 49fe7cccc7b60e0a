"""What a run asked of GitHub, counted where the toolkit sends it (not by asking the server), so the
figures are as true against github.com as against the rehearsal's stand-in.

REST requests count against the hourly primary limit unless GitHub answers 304 Not Modified to a
conditional request; GraphQL has its own budget of points (a query's `rateLimit { cost }`, at
least one). Signed download links (a redirect away from the API) cost nothing and are not counted.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

import requests


@dataclass
class GitHubUsage:
    """One run's requests to GitHub: every service the run's Context hands out adds to it."""

    rest: int = 0  # REST requests GitHub counts (304s apart)
    not_modified: int = 0  # REST requests answered 304: free
    graphql: int = 0  # GraphQL queries
    points: int = 0  # the GraphQL points they cost
    downloads: int = 0  # artifact zips asked for (REST requests, answered with a signed link)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add_rest(self, status: int | None = None, *, download: bool = False) -> None:
        with self._lock:
            if status == 304:
                self.not_modified += 1
            else:
                self.rest += 1
            self.downloads += download

    def add_graphql(self, cost: int) -> None:
        with self._lock:
            self.graphql += 1
            self.points += max(1, cost)

    @property
    def requests(self) -> int:
        return self.rest + self.not_modified + self.graphql

    def summary(self) -> str:
        """One line: `GitHub: 3 REST requests (1 more answered 304, free), 1 GraphQL query (1 point)`."""
        free = f" ({self.not_modified} more answered 304 Not Modified, free)" if self.not_modified else ""
        return (f"GitHub: {_count(self.rest, 'REST request')}{free}, "
                f"{_count(self.graphql, 'GraphQL query', 'GraphQL queries')} "
                f"({_count(self.points, 'point')})")


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


ARTIFACT_ZIP = re.compile(r"/actions/artifacts/\d+/zip$")


def graphql_cost(response: requests.Response) -> int:
    """The points a GraphQL answer says it cost (`data.rateLimit.cost`), else GitHub's minimum."""
    try:
        body: Any = response.json()
        return int(body["data"]["rateLimit"]["cost"])
    except (ValueError, TypeError, KeyError):
        return 1


def uploads_root(api_url: str) -> str:
    """Where release assets are uploaded: uploads.github.com beside api.github.com; an Enterprise
    server's (and the fake's) /api/uploads beside /api/v3."""
    root = api_url.rstrip("/")
    if root.endswith("/api/v3"):
        return root.removesuffix("/v3") + "/uploads"
    return root.replace("//api.", "//uploads.", 1)
