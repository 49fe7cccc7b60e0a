"""Open the pull request for a pushed work branch (reset, post-release), once, and check it.

The head is `owner:branch` with the owner of the fork remote: `[tool.release.github] fork_owner`
or `--fork-owner`, else read from a github.com remote URL. An open pull request for the same
head and base is reused, so a rerun opens nothing new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from release.context import Context
from release.errors import PreconditionError, VerificationError
from release.plan import Call, Plan
from release.services.github import GitHubService

_GITHUB_URL = re.compile(r"github\.com[:/]([^/]+)/")


@dataclass(frozen=True)
class PullSpec:
    """A pull request from `head_branch` (pushed to `remote`, the fork) into `base`."""

    head_branch: str
    base: str
    remote: str
    title: str
    body: str


def fork_owner(ctx: Context, remote: str) -> str:
    owner = ctx.option("fork_owner") or ctx.config.github.fork_owner
    if owner:
        return str(owner)
    found = _GITHUB_URL.search(ctx.git.remote_url(remote))
    if found is None:
        raise PreconditionError(f"cannot tell whose fork the remote {remote!r} is",
                                hint="pass --fork-owner LOGIN or set fork_owner in "
                                     "[tool.release.github]")
    return found.group(1)


def add_pull_request(plan: Plan, ctx: Context, spec: PullSpec) -> None:
    """Plan opening the pull request, unless one is open already; needs a token to open one."""
    repo = ctx.config.github_repo
    head = f"{fork_owner(ctx, spec.remote)}:{spec.head_branch}"
    github = GitHubService.from_env(ctx.env, repo, progress=ctx.err)
    pull = github.find_open_pull(head, spec.base)
    if pull is not None:
        plan.notes.append(f"pull request already open: {pull.url}")
        return
    github.require_token(f"open the pull request from {head} into {spec.base}")

    def open_pull() -> None:
        created = github.create_pull(spec.title, spec.body, head, spec.base)
        print(f"pull request: {created.url}", file=ctx.out)

    plan.add(Call(f"open a pull request on {repo}: {head} into {spec.base}, titled {spec.title!r}",
                  open_pull))
    plan.verify(f"an open pull request from {head} into {spec.base}",
                lambda: _check_open(github, head, spec.base))


def _check_open(github: GitHubService, head: str, base: str) -> None:
    if github.find_open_pull(head, base) is None:
        raise VerificationError(f"no open pull request from {head} into {base}",
                                hint="open it on GitHub by hand")
