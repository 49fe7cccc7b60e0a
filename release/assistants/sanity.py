"""The walkthrough's sanity check before tagging: the branch up to date with upstream, a clean
work tree (and what `git clean -xdfq` would delete), then the submodules and the project's own
full test run in a scratch clone of the release commit, so the user's tree stays as it was."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from release.checks.result import CheckResult
from release.errors import GitError
from release.output import invocation
from release.services.commands import run_command
from release.services.git import GitService, scratch_clone

AREA = "sanity"


def up_to_date(git: GitService, local: str, upstream: str) -> CheckResult:
    name = f"{local} up to date"
    if not git.has_ref(upstream):
        return CheckResult.warn(AREA, name, f"no {upstream} to compare with", "git fetch --all")
    if not git.has_ref(local):
        return CheckResult.warn(AREA, name, f"no local {local}", f"git switch {local}")
    behind, ahead = (int(n) for n in git.run(["rev-list", "--left-right", "--count",
                                               f"{upstream}...{local}"]).split())
    if behind and ahead:
        return CheckResult.fail(AREA, name, f"{local} and {upstream} have diverged ({ahead} and "
                                f"{behind} commits of their own)",
                                f"git switch {local} && git rebase {upstream}")
    if behind:
        return CheckResult.fail(AREA, name, f"{local} is {behind} commits behind {upstream}",
                                f"git switch {local} && git merge --ff-only {upstream}")
    if ahead:
        return CheckResult.warn(AREA, name, f"{local} has {ahead} commits {upstream} lacks",
                                "push them through a pull request, or reset to upstream")
    return CheckResult.ok(AREA, name, f"at {upstream}")


def tracked_changes(git: GitService) -> CheckResult:
    lines = git.status_lines()
    changed = [line for line in lines if not line.startswith("??")]
    if changed:
        return CheckResult.fail(AREA, "work tree", f"{len(changed)} changed: "
                                + ", ".join(line[3:] for line in changed[:8]),
                                "git stash, or commit them")
    return CheckResult.ok(AREA, "work tree", "no changes to tracked files")


def would_clean(git: GitService) -> list[str]:
    """What `git clean -xdfq` would delete: untracked and ignored files and directories."""
    out = git.run(["clean", "-xdn"])
    return [line.removeprefix("Would remove ").strip() for line in out.splitlines()
            if line.startswith("Would remove ")]


def clean_row(paths: Sequence[str], cleaned: bool, version: str) -> CheckResult:
    name = "git clean -xdfq"
    if cleaned:
        return CheckResult.ok(AREA, name, f"deleted {len(paths)}: " + ", ".join(paths[:10]))
    if not paths:
        return CheckResult.ok(AREA, name, "nothing untracked or ignored")
    shown = ", ".join(paths[:10]) + (f" and {len(paths) - 10} more" if len(paths) > 10 else "")
    return CheckResult.warn(AREA, name, f"would delete {len(paths)}: {shown}",
                            invocation.command("sanity", version, "--clean") + " (or git clean -xdfq)")


@contextmanager
def scratch(repo: Path, commit: str, keep: bool) -> Iterator[GitService]:
    """A scratch clone of `repo` at `commit`, removed afterwards unless `keep`."""
    where = Path(tempfile.mkdtemp(prefix="release-sanity-"))
    try:
        yield scratch_clone(repo, where / repo.name, commit)
    finally:
        if not keep:
            shutil.rmtree(where, ignore_errors=True)


def submodules(git: GitService) -> CheckResult:
    if not (git.root / ".gitmodules").is_file():
        return CheckResult.ok(AREA, "git submodule update", "no submodules")
    try:
        git.run(["-c", "protocol.file.allow=always", "submodule", "update", "--init", "--recursive"])
    except GitError as exc:
        return CheckResult.fail(AREA, "git submodule update", exc.message,
                                "check .gitmodules and your access to the submodules' URLs")
    listed = [line.split()[1] for line in git.run(["submodule", "status", "--recursive"]).splitlines()
              if line.strip()]
    return CheckResult.ok(AREA, "git submodule update", f"{len(listed)}: " + ", ".join(listed))


def tests(git: GitService, argv: Sequence[str], env: Mapping[str, str], timeout: float) -> CheckResult:
    shown = " ".join(argv)
    done = run_command(argv, git.root, env, timeout)
    if done.code == 0:
        return CheckResult.ok(AREA, "tests", f"`{shown}` passed; last line: "
                              + (done.tail(1) or "(no output)"))
    return CheckResult.fail(AREA, "tests", f"`{shown}` failed (exit {done.code}):\n{done.tail()}",
                            f"run `{shown}` in a checkout of the release commit and fix what fails")
