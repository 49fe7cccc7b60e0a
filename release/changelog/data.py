"""What a release's changelog lists, collected from git: contributors and pull requests.

The two come from independent git walks (the shortlogs, and one `git log` of the range), so they
run side by side. The changelog step and the release PR (prepare) both collect through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from release.changelog.contributors import ContributorSummary, contributors
from release.changelog.pulls import PullRef, pulls_in_range
from release.services.git import GitService


@dataclass(frozen=True)
class ChangelogData:
    people: ContributorSummary
    pulls: tuple[PullRef, ...]


def collect(
    git: GitService, start: str, end: str, *, drop: Iterable[str] = (), mailmap_blob: str | None = None
) -> ChangelogData:
    """Contributors and pull requests of `start..end` (pull requests before any exclusion)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        found = pool.submit(pulls_in_range, git, start, end)
        people = contributors(git, start, end, drop=drop, mailmap_blob=mailmap_blob)
        return ChangelogData(people, tuple(found.result()))
