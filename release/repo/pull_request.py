"""Publish a work branch (prepare, reset, post-release): push it, open its pull request once,
check both.

The head is `owner:branch` with the owner of the fork remote: `[tool.release.github] fork_owner`
or `--fork-owner`, else read from a github.com remote URL. An open pull request for the same
head and base is reused, so a rerun opens nothing new.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from release.context import Context
from release.errors import PreconditionError, VerificationError
from release.plan import Call, Plan
from release.repo.branch_commit import add_push_if_needed
from release.repo.preconditions import require_remote
from release.services.github import GitHubService

_GITHUB_URL = re.compile(r"github\.com[:/]([^/]+)/")



@dataclass(frozen=True)
class PullRequestOptions:
    """`--fork-owner` and `--no-pr`, for the steps that have them (add_pull_request_options)."""

    fork_owner: str | None = None
    no_pr: bool = False


def add_publish(plan: Plan, ctx: Context, *, work: str, base: str, direct: bool, committed: bool,
                message: str | None, pr_body: Callable[[str, str], str] | None = None) -> None:
    """`--push` for a work branch: to the fork plus a pull request into `base`, or, `direct`,
    the branch itself to upstream. A branch the remote already has is not pushed again. The
    pull request takes the commit's subject and body; `pr_body(subject, body)` rewrites the body."""
    cfg, git = ctx.config, ctx.git
    remote = cfg.upstream_remote if direct else cfg.fork_remote
    require_remote(git, remote, "upstream_remote" if direct else "fork_remote")
    ref = f"refs/heads/{work}"
    add_push_if_needed(plan, ctx, remote, ref, committed=committed)
    if direct:
        return
    if ctx.typed(PullRequestOptions).no_pr:
        plan.notes.append(f"no pull request opened (--no-pr); open one from {work} by hand")
        return
    text = message or git.run(["log", "-1", "--format=%B", ref])
    title, _, body = text.strip().partition("\n")
    body = pr_body(title, body) if pr_body else body.strip() + "\n"
    github = ctx.github()
    add_open_pull(plan, ctx, github, head=f"{fork_owner(ctx, remote)}:{work}", base=base,
                  title=title, body=body)


def url_owner(url: str) -> str | None:
    """The owner in a github.com remote URL (https or ssh), else None."""
    found = _GITHUB_URL.search(url)
    return found.group(1) if found else None


def fork_owner(ctx: Context, remote: str) -> str:
    owner = ctx.typed(PullRequestOptions).fork_owner or ctx.config.github.fork_owner or url_owner(
        ctx.git.remote_url(remote))
    if not owner:
        raise PreconditionError(f"cannot tell whose fork the remote {remote!r} is",
                                hint="pass --fork-owner LOGIN or set fork_owner in "
                                     "[tool.release.github]")
    return str(owner)


def add_open_pull(plan: Plan, ctx: Context, github: GitHubService, *, head: str, base: str,
                  title: str, body: str) -> None:
    """Plan opening the pull request `head` ("owner:branch") into `base`, unless one is open
    already. Opening needs a token; a dry run without one still shows the opening, with a note
    that the lookup of an open pull request was skipped."""
    where = f"{head} into {base}"
    if github.has_token or not ctx.dry_run:
        pull = github.find_open_pull(head, base)
        if pull is not None:
            plan.notes.append(f"pull request already open: {pull.url}")
            return
        github.require_token(f"open the pull request from {where}")
    else:
        plan.notes.append(f"no GitHub token (GITHUB_TOKEN or GH_TOKEN): did not look for an open "
                          f"pull request from {where}; the real run needs a token to open one")

    def open_pull() -> None:
        created = github.create_pull(title, body, head, base)
        print(f"pull request: {created.url}", file=ctx.out)

    plan.add(Call(f"open a pull request on {github.repo_name}: {where}, titled {title!r}",
                  open_pull, undo=f"close the pull request from {where} on {github.repo_name}"))
    plan.verify(f"an open pull request from {where}", lambda: _check_open(github, head, base))


def _check_open(github: GitHubService, head: str, base: str) -> None:
    if github.find_open_pull(head, base) is None:
        raise VerificationError(f"no open pull request from {head} into {base}",
                                hint="open it on GitHub by hand")
