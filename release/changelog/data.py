"""What a release's changelog lists, collected from git: contributors and pull requests.

The two come from independent git walks (the shortlogs, and one `git log` of the range), so they
run side by side. The changelog step and the release PR (prepare) both collect through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from release.changelog.contributors import ContributorSummary, contributors
from release.changelog.pulls import PullRef, Skipped, find_pulls
from release.services.git import GitService


@dataclass(frozen=True)
class ChangelogData:
    people: ContributorSummary
    pulls: tuple[PullRef, ...]
    skipped: tuple[Skipped, ...] = ()


def collect(
    git: GitService, start: str, end: str, *, drop: Iterable[str] = (), mailmap_blob: str | None = None
) -> ChangelogData:
    """Contributors and pull requests of `start..end` (pull requests before any exclusion; the
    numbers set aside as no pull request of the range in `skipped`)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        found = pool.submit(find_pulls, git, start, end)
        people = contributors(git, start, end, drop=drop, mailmap_blob=mailmap_blob)
        discovery = found.result()
        return ChangelogData(people, discovery.pulls, discovery.skipped)
