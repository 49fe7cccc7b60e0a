"""A transcript of what the fake GitHub answers: one JSON line per exchange (endpoint, status,
headers and, for the first answers of each endpoint and status, the JSON body).

Set RELEASE_GITHUB_TRANSCRIPT=FILE to see what a rehearsal asked of GitHub; the test suite sets it
to check every answer against GitHub's OpenAPI description. Bodies are kept only for the first
few answers of each kind, so a long run writes little; tokens never reach it (only answers are
written, and the fake keeps no token).
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from pathlib import Path

from release.fakes.github_downloads import PREFIX
from release.fakes.github_http import Response
from release.fakes.github_rest import find_route

TRANSCRIPT_VAR = "RELEASE_GITHUB_TRANSCRIPT"
BODIES_PER_KIND = 5


def endpoint_of(method: str, path: str) -> str:
    """The name the fake counts requests under ("GET /repos/{owner}/{repo}/pulls")."""
    if path == "/api/graphql":
        return "POST /graphql"
    if path.startswith(PREFIX):
        return f"{method} /_objects"
    found = find_route(method, path)
    return found[0] if found else f"{method} {path.removeprefix('/api/v3')}"


class Transcript:
    """Appends exchanges to `path` (several fakes, even in several processes, may share it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._bodies: Counter[tuple[str, int]] = Counter()
        self._lock = threading.Lock()

    def record(self, method: str, path: str, response: Response) -> None:
        endpoint = endpoint_of(method, path)
        kind = (endpoint, response.status)
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        with self._lock:
            keep = is_json and self._bodies[kind] < BODIES_PER_KIND
            if keep:
                self._bodies[kind] += 1
            line = json.dumps({"endpoint": endpoint, "status": response.status,
                               "headers": response.headers,
                               "body": response.body.decode("utf-8") if keep else None})
            # One write() of the whole line to a file opened for appending, so lines from
            # several processes never interleave.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, (line + "\n").encode("utf-8"))
            finally:
                os.close(fd)
