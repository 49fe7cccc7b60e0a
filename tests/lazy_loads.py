"""A guard on PyGithub's lazy loading: an object that arrived in a list or create answer and is
then completed costs one hidden GET of its own URL (a release, an asset, a run) that nobody
counted. The toolkit reads what the answer carried; every test fails that makes such a request.

PyGithub completes a `CompletableGithubObject` through `_complete` when a field absent from the
partial payload is read (or `raw_data`, or `.complete()`). A handle PyGithub makes without asking
(`get_user()`, `get_git_ref(...)`: no answer's headers) is completed by the one read it stands
for; only completing an object that came in an answer with a payload is a hidden request.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from github.GithubObject import CompletableGithubObject


@dataclass(frozen=True)
class LazyLoad:
    kind: str
    url: str
    where: str  # the toolkit's line that read the field

    def __str__(self) -> str:
        return f"{self.kind} {self.url} (read at {self.where})"


seen: list[LazyLoad] = []
_original: Callable[..., None] | None = None


def _reader() -> str:
    """The innermost frame of the toolkit's own code (or a test's) that led to the completion."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if "/github/" not in frame.filename and not frame.filename.endswith("lazy_loads.py"):
            return f"{frame.filename.rsplit('/', 2)[-2]}/{frame.filename.rsplit('/', 1)[-1]}:" \
                   f"{frame.lineno}"
    return "?"


def install() -> None:
    """Wrap PyGithub's completion once for the whole run."""
    global _original
    if _original is not None:
        return
    original = CompletableGithubObject._complete
    _original = original

    def complete(self: CompletableGithubObject, parameters: dict[str, Any] | None = None) -> None:
        arrived = bool(self._headers)  # made from an answer, not a handle PyGithub made itself
        if arrived and set(self._rawData or {}) - {"url"}:
            seen.append(LazyLoad(type(self).__name__, str(self._rawData.get("url", "")), _reader()))
        original(self, parameters)

    CompletableGithubObject._complete = complete  # type: ignore[method-assign]


def take() -> list[LazyLoad]:
    """The hidden loads since the last call."""
    found = list(seen)
    seen.clear()
    return found
