"""One commit of file changes on a branch, pushed only on request, each result verified.

The prepare, reset, post-release and begin-cycle steps and the website announcement all write a
few files, commit them with a fixed message, and push one or more refs. They start on the branch
the work is based on, so a new work branch made at HEAD leaves the work tree as it is and the
dry-run diffs are exact.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from release.context import Context
from release.errors import PreconditionError, VerificationError
from release.plan import DeleteFile, Plan, RunCommand, WriteFile
from release.services.git import GitService, push_argv
from release.templating import render_in


@dataclass(frozen=True)
class FileChange:
    """A file's new text, or its deletion (`content is None`); `verb` and `label` (default: the
    file name) make its line in the commit message, and equal lines are listed once."""

    path: str
    content: str | None
    verb: str
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or posixpath.basename(self.path)


@dataclass(frozen=True)
class CommitSpec:
    """The commit on `branch` (made at `start` when `new_branch`); its message is the template
    rendered with `values` and the changes' lines, or `text` as given."""

    branch: str
    start: str
    message_template: str
    values: dict[str, object]
    changes: tuple[FileChange, ...]
    skip_ci: str
    new_branch: bool = True
    text: str = ""
    search: tuple[str, ...] = ()  # the project's template folders (ctx.template_search())

    @property
    def message(self) -> str:
        if self.text:
            return self.text
        items = [(c.verb, c.name) for c in self.changes if c.verb]
        return render_in(self.search, self.message_template, items=_unique(items),
                         skip_ci=self.skip_ci, **self.values)

    @property
    def subject(self) -> str:
        return self.message.splitlines()[0]


def _unique(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def is_ancestor(git: GitService, older: str, newer: str) -> bool:
    return git.ok(["merge-base", "--is-ancestor", older, newer])


def local_branch(git: GitService, name: str) -> str | None:
    ref = f"refs/heads/{name}"
    return git.rev_parse(ref) if git.has_ref(ref) else None


def remote_sha(git: GitService, remote: str, ref: str) -> str | None:
    """The object `ref` (full name) points to on `remote`, or None."""
    for found in git.remote_refs(remote, ref):
        if found.name == ref:
            return found.sha
    return None


def unpushed_note(ctx: Context, work: str, direct: bool) -> str:
    """What --push would do: push `work` upstream (`direct`), or to the fork and open its PR."""
    if direct:
        return f"not pushed; publish with --push (git push {ctx.config.upstream_remote} {work})"
    return (f"not pushed; publish with --push (git push {ctx.config.fork_remote} {work}, then "
            "the pull request)")


def add_commit(plan: Plan, ctx: Context, spec: CommitSpec, git: GitService | None = None) -> None:
    """Branch (when asked), write and delete the files, stage them, commit; verify all of it.
    `git` is another repository than the project's (the website)."""
    root = ctx.repo if git is None else git.root
    git = git or ctx.git
    if spec.new_branch:
        plan.add(git_command(git, root, "checkout", "--quiet", "-b", spec.branch))
    for change in spec.changes:
        if change.content is None:
            plan.add(DeleteFile(root, change.path))
        else:
            plan.add(WriteFile(root, change.path, change.content))
    paths = tuple(c.path for c in spec.changes)
    plan.add(git_command(git, root, "add", "--all", "--", *paths))
    plan.add(git_command(git, root, "commit", "--quiet", "-m", spec.message.rstrip("\n")))
    plan.verify(f"{spec.branch} has one new commit {spec.subject!r} on {spec.start[:12]}",
                lambda: _check_commit(git, spec))
    plan.verify(f"the commit changes exactly {len(paths)} file(s), each as shown",
                lambda: _check_files(git, spec))


def add_push(plan: Plan, ctx: Context, remote: str, ref: str, git: GitService | None = None) -> None:
    """Push exactly one ref (full name) and check the remote then holds the local object; `git`
    is another repository than the project's (the doc repository, the website)."""
    cwd = ctx.repo if git is None else git.root
    git = git or ctx.git
    plan.add(git_command(git, cwd, *push_argv(remote, ref)))
    plan.verify(f"{remote} has {ref} at the local object", lambda: _check_remote(git, remote, ref))


def add_push_if_needed(plan: Plan, ctx: Context, remote: str, ref: str, *, committed: bool,
                       git: GitService | None = None) -> None:
    """Push a branch unless the plan commits nothing and `remote` already has the local tip, so
    a rerun after a push does not push again."""
    repo = git or ctx.git
    if committed or remote_sha(repo, remote, ref) != repo.rev_parse(ref):
        add_push(plan, ctx, remote, ref, git=git)


def add_checked_out_push(plan: Plan, ctx: Context, git: GitService, root: Path, remote: str, *,
                         push: bool, committed: bool, remote_key: str) -> None:
    """Push the branch another clone (the doc repository) has checked out, when asked; without
    --push, say what stays unpublished. The remote must exist and HEAD be on a branch."""
    if not push:
        if committed:
            plan.notes.append(f"not pushed; publish with --push ({remote} of {root})")
        return
    if remote not in git.remotes():
        raise PreconditionError(f"the doc repository has no remote named {remote!r}",
                                hint=f"git remote add it, or set {remote_key}")
    branch = git.current_branch()
    if branch is None:
        raise PreconditionError(f"{root} is on a detached HEAD; nothing to push",
                                hint="check out the branch to publish")
    add_push_if_needed(plan, ctx, remote, f"refs/heads/{branch}", committed=committed, git=git)


def run_work_plan(ctx: Context, plan: Plan, work: str, done: str) -> int:
    """Execute a work branch's plan and print where the branch ends; with nothing to do, print
    `done` instead."""
    if not plan.actions:
        print(done, file=ctx.out)
        return 0
    ctx.execute(plan)
    if not ctx.dry_run:
        print(f"{work} -> {ctx.git.rev_parse(f'refs/heads/{work}')}", file=ctx.out)
    return 0


def git_command(git: GitService, cwd: Path, *args: str, note: str = "") -> RunCommand:
    """A plan action running `git ARGS` through `git` (shown with `cwd`, the repository's path)."""

    def run(argv: Sequence[str]) -> str:
        return git.run(list(argv[1:]))

    return RunCommand(("git", *args), run, cwd=cwd, note=note)


def _check_commit(git: GitService, spec: CommitSpec) -> None:
    branch = git.current_branch()
    if branch != spec.branch:
        raise VerificationError(f"expected to be on {spec.branch}, on {branch}",
                                hint="look at `git log --oneline -3` and `git status`")
    parents = git.parents("HEAD")
    if parents != [spec.start]:
        raise VerificationError(f"the new commit's parents are {parents}, expected {spec.start}",
                                hint="look at `git log --oneline -3`")
    message = git.run(["log", "-1", "--format=%B", "HEAD"]).strip()
    if message != spec.message.strip():
        raise VerificationError(f"the commit message is {message!r}, expected {spec.message!r}",
                                hint="a commit-msg hook may have changed it; amend by hand")


def _check_files(git: GitService, spec: CommitSpec) -> None:
    touched = {p for p in git.run(["diff", "-z", "--name-only", spec.start, "HEAD", "--"]).split("\0") if p}
    wanted = {c.path for c in spec.changes}
    if touched != wanted:
        raise VerificationError(f"the commit changes {sorted(touched)}, expected {sorted(wanted)}",
                                hint="look at `git show --stat HEAD`")
    for change in spec.changes:
        if git.show_file("HEAD", change.path) != change.content:
            raise VerificationError(f"{change.path} at HEAD is not what was written",
                                    hint=f"git show HEAD:{change.path}")


def _check_remote(git: GitService, remote: str, ref: str) -> None:
    theirs = remote_sha(git, remote, ref)
    ours = git.run(["rev-parse", "--verify", "--quiet", ref]).strip()
    if theirs != ours:
        raise VerificationError(f"{remote} has {ref} at {theirs}, the local one is {ours}",
                                hint="look at the remote before doing anything else; do not force-push")
