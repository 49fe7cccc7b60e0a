"""The preconditions the branch-making steps share, each checked before anything changes: a
clean tree, the right branch, version, remote and tag, and a branch not behind its remote."""

from __future__ import annotations

from release.config import Config
from release.context import Context
from release.errors import PreconditionError, UsageError
from release.repo.branch_commit import is_ancestor, remote_sha
from release.repo.pyproject_file import read_version
from release.services.git import GitService
from release.version import ReleaseVersion


def require_clean(git: GitService) -> None:
    dirty = git.status_lines()
    if dirty:
        raise PreconditionError(
            f"the work tree is not clean ({len(dirty)} changed or untracked: {dirty[0][3:]})",
            hint="commit or stash the changes (git status shows them), then rerun",
        )


def require_branch(git: GitService, wanted: str, hint: str = "") -> str:
    """HEAD's commit, when the branch checked out is `wanted`."""
    branch = git.current_branch()
    if branch != wanted:
        raise PreconditionError(
            f"on {'branch ' + branch if branch else 'a detached HEAD'}, not on {wanted}",
            hint=hint or f"git checkout {wanted}",
        )
    return git.head()


def require_version(git: GitService, pyproject: str, wanted: str, hint: str) -> str:
    """The text of `pyproject` at HEAD, which must declare version `wanted`."""
    text = git.show_file("HEAD", pyproject)
    if text is None:
        raise PreconditionError(f"{pyproject} is missing at HEAD", hint="check --repo")
    found = read_version(text, pyproject)
    if found != wanted:
        raise PreconditionError(f"{pyproject} says version {found}, not {wanted}", hint=hint)
    return text


def require_remote(git: GitService, remote: str, key: str) -> None:
    if remote not in git.remotes():
        raise PreconditionError(
            f"there is no remote named {remote!r}",
            hint=f"git remote add {remote} URL, or set {key} in [tool.release]",
        )


def require_up_to_date(git: GitService, remote: str, branch: str, local: str) -> None:
    """The remote branch must already be in `local`, so the work does not start from old files."""
    theirs = remote_sha(git, remote, f"refs/heads/{branch}")
    if theirs is None or theirs == local:
        return
    if not git.ok(["cat-file", "-e", f"{theirs}^{{commit}}"]):
        raise PreconditionError(
            f"{remote} has commits on {branch} that are not here ({remote}/{branch} is at "
            f"{theirs[:12]})",
            hint=f"git fetch {remote}, then look: git log --oneline --left-right {branch}..."
                 f"{remote}/{branch}")
    if is_ancestor(git, theirs, local):
        return
    if is_ancestor(git, local, theirs):
        count = git.run(["rev-list", "--count", f"{local}..{theirs}"]).strip()
        raise PreconditionError(
            f"{branch} is behind {remote}/{branch} by {count} commit(s)",
            hint=f"git pull --ff-only {remote} {branch}, then rerun")
    ours = git.run(["rev-list", "--count", f"{theirs}..{local}"]).strip()
    missing = git.run(["rev-list", "--count", f"{local}..{theirs}"]).strip()
    raise PreconditionError(
        f"{branch} has diverged from {remote}/{branch}: {ours} commit(s) here are not there, and "
        f"{missing} there are not here",
        hint=f"look at both sides (git log --oneline --left-right {branch}...{remote}/{branch}); "
             "rebase or merge them, then rerun")


def require_final(version: ReleaseVersion, refusal: str, hint: str) -> None:
    """Work that follows a final release refuses development versions and pre-releases."""
    if not version.is_final:
        kind = "a development version" if version.is_dev else "a pre-release"
        raise UsageError(f"{version} is {kind}; {refusal}", hint=hint)


def require_release_tag(ctx: Context, version: ReleaseVersion, commit: str, branch: str,
                        after: str) -> None:
    """The release's tag exists and is in `commit`, the tip of `branch`."""
    cfg = ctx.config
    tag = version.tag(cfg.tag_format)
    if ctx.git.tag_object(tag) is None:
        raise PreconditionError(f"tag {tag} does not exist; {after} after the release",
                                hint=f"tag the release first (nox -s tag -- {version}), or fetch it: "
                                     f"git fetch {cfg.upstream_remote} tag {tag}")
    if not is_ancestor(ctx.git, f"refs/tags/{tag}", commit):
        raise PreconditionError(f"tag {tag} is not on {branch}",
                                hint=f"git log --oneline {tag} -1 shows where it points")


def stale_branch(work: str, holds: str) -> PreconditionError:
    return PreconditionError(
        f"branch {work} exists but does not hold {holds}",
        hint=f"look at it (git log {work}); delete it if it is stale: git branch -D {work}",
    )


def require_branch_point(git: GitService, cfg: Config, version: ReleaseVersion) -> tuple[str, str]:
    """Main's tip and its pyproject text, where a new series' branch may start: a clean tree on
    main, at `version`'s dev0, not behind the remote."""
    require_clean(git)
    start = require_branch(git, cfg.main_branch)
    pyproject = require_version(git, cfg.pyproject, f"{version.base}.dev0",
                                hint=f"branch {version} runs on {cfg.main_branch} during the "
                                     f"{version.series} cycle")
    require_up_to_date(git, cfg.upstream_remote, cfg.main_branch, start)
    return start, pyproject
