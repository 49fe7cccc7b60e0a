"""A milestone's closed issues and merged pull requests, as SciPy lists them in its notes.

SciPy's `tools/gh_lists.py` reads the milestone named like the release (`1.18.1`) and takes its
closed items, oldest first; a pull request closed without being merged is left out. A backport
is listed once, under the release whose milestone it carries, whatever the git history says.
"""

from __future__ import annotations

from dataclasses import dataclass

from release.errors import PreconditionError
from release.services.github import GitHubService, payload


@dataclass(frozen=True)
class MilestoneItem:
    number: int
    title: str


@dataclass(frozen=True)
class MilestoneLists:
    title: str
    issues: tuple[MilestoneItem, ...]
    pulls: tuple[MilestoneItem, ...]


def milestone_lists(service: GitHubService, title: str) -> MilestoneLists:
    """The closed issues and merged pull requests of the milestone called `title`."""
    repo = service.repository_for_reads()
    milestones = service.call(f"list the milestones of {service.repo_name}",
                              lambda: {m.title: m for m in repo.get_milestones(state="all")})
    if title not in milestones:
        known = ", ".join(sorted(milestones)) or "none"
        raise PreconditionError(f"{service.repo_name} has no milestone {title!r}",
                                hint=f"create it and put the release's issues and PRs on it "
                                     f"(milestones there: {known})")
    milestone = milestones[title]

    def closed() -> list[tuple[int, str, bool]]:
        found = []
        for issue in repo.get_issues(milestone=milestone, state="closed", sort="created",
                                     direction="asc"):
            raw = payload(issue)  # a plain issue has no `pull_request` key: no hidden GET for it
            pull = raw.get("pull_request")
            if pull is not None and pull.get("merged_at") is None:
                continue  # closed unmerged
            found.append((int(raw["number"]), str(raw["title"]), pull is not None))
        return found

    items = sorted(service.call(f"list milestone {title} of {service.repo_name}", closed))
    return MilestoneLists(
        title,
        tuple(MilestoneItem(n, t) for n, t, is_pull in items if not is_pull),
        tuple(MilestoneItem(n, t) for n, t, is_pull in items if is_pull))
