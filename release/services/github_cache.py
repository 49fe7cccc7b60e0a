"""The on-disk cache of pull-request metadata, so a rerun asks GitHub nothing.

One JSON file per (API root, repository) under the user cache dir; entries are keyed by PR number
and hold only public metadata (title, author login, merge commit). A number GitHub says is not a
pull request is remembered as `null`. Writes go through a temporary file and `os.replace`, so a
crash never leaves half a file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from release.atomic_file import replace_file

APP_NAME = "numpy-release-toolkit"


@dataclass(frozen=True)
class PullRequestInfo:
    """What the changelog needs from a pull request."""

    number: int
    title: str
    author_login: str | None
    merge_commit: str | None = None  # None: not merged, or not known (an older cache entry)


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CACHE_HOME/numpy-release-toolkit` if the given environment sets it, else platformdirs'."""
    if env is not None and env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]) / APP_NAME
    return Path(platformdirs.user_cache_dir(APP_NAME))


class PullRequestCache:
    def __init__(self, cache_dir: Path, api_url: str, repo: str) -> None:
        key = hashlib.sha256(f"{api_url.rstrip('/')}\n{repo.lower()}".encode()).hexdigest()[:20]
        self.path = cache_dir / "pull-requests" / f"{repo.replace('/', '--')}-{key}.json"
        self.repo = repo

    def load(self) -> dict[int, PullRequestInfo | None]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        entries: dict[int, PullRequestInfo | None] = {}
        for number, value in dict(raw.get("pulls", {})).items():
            if value is None:
                entries[int(number)] = None
            elif isinstance(value, dict) and isinstance(value.get("title"), str):
                entries[int(number)] = PullRequestInfo(int(number), value["title"], value.get("author"),
                                                       value.get("merge_commit"))
        return entries

    def save(self, entries: Mapping[int, PullRequestInfo | None]) -> None:
        pulls = {str(n): None if info is None else {"title": info.title, "author": info.author_login,
                                                    "merge_commit": info.merge_commit}
                 for n, info in sorted(entries.items())}
        replace_file(self.path, json.dumps({"repo": self.repo, "pulls": pulls}, indent=0).encode("utf-8"))
