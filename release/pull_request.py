"""Open the pull request for a pushed work branch (reset, post-release), once, and check it."""

from __future__ import annotations

from dataclasses import dataclass

from release.context import Context
from release.plan import Plan


@dataclass(frozen=True)
class PullSpec:
    """A pull request from `head_branch` (pushed to `remote`, the fork) into `base`."""

    head_branch: str
    base: str
    remote: str
    title: str
    body: str


def add_pull_request(plan: Plan, ctx: Context, spec: PullSpec) -> None:
    """Open the pull request on the project's GitHub repository (or say how, offline)."""
    repo = ctx.config.github_repo
    plan.notes.append(
        f"open a pull request on {repo}: {spec.head_branch} (on {spec.remote}) into {spec.base}, "
        f"titled {spec.title!r}"
    )
