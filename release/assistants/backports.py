"""Backport candidates: pull requests merged into main since the maintenance branch was made,
marked for backporting (the backport label or the release's milestone) and not on the branch yet,
each with whether it cherry-picks cleanly.

What is on the branch is matched by the original numbers its commits name: the `(#N)` in a commit's
subject, a merge from a `backport-N` branch, or `Backport of #N` in a body (changelog.pulls' rules).
The cherry-pick is tried with `git merge-tree` on two throw-away commits that share the picked
commit's parent as their only ancestor, so the merge base is that parent, as in `git cherry-pick`:
no work tree, index or ref of the user's repository changes (the objects it writes are
unreferenced and go with the next `git gc`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from release.changelog.pulls import PullRef, pull_from_commit, pulls_in_range
from release.errors import GitError
from release.services.git import GitService
from release.services.github_triage import PullTriage

_NUMBER = re.compile(r"\((?:#|gh-|gh-#)(\d+)\)")
_BACKPORT_BODY = re.compile(r"[Bb]ackport of #(\d+)")
# Fixed identity and date for the throw-away commits: the same inputs give the same objects.
_SCRATCH_ENV = {"GIT_AUTHOR_NAME": "cherry-pick check", "GIT_AUTHOR_EMAIL": "check@localhost",
                "GIT_COMMITTER_NAME": "cherry-pick check", "GIT_COMMITTER_EMAIL": "check@localhost",
                "GIT_AUTHOR_DATE": "2000-01-01T00:00:00+0000",
                "GIT_COMMITTER_DATE": "2000-01-01T00:00:00+0000"}


@dataclass(frozen=True)
class Pick:
    clean: bool
    conflicts: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    number: int
    title: str
    author: str | None
    commit: str
    kind: str  # "merge" or "squash": a merge is picked with -m 1
    why: str
    pick: Pick

    def command(self, branch: str, remote: str) -> str:
        mainline = "-m 1 " if self.kind != "squash" else ""
        return (f"git switch -c backport-{self.number} {remote}/{branch} && "
                f"git cherry-pick -x {mainline}{self.commit[:12]}")


def fork_point(git: GitService, main: str, branch: str) -> str:
    return git.run(["merge-base", main, branch]).strip()


def on_branch(git: GitService, base: str, branch: str) -> dict[int, str]:
    """Original pull-request numbers the branch's commits since `base` carry -> the subject: every
    `(#N)` in a subject (a cherry-picked squash commit, a squash-merged backport), `Backport of
    #N` in a body, and a merged backport's original (its title's number, else its branch's)."""
    found: dict[int, str] = {}
    for commit in git.log(f"{base}..{branch}"):
        numbers = [int(n) for n in _NUMBER.findall(commit.subject) + _BACKPORT_BODY.findall(commit.body)]
        pull = pull_from_commit(commit, on_first_parent=False)
        if pull is not None:
            numbers += [int(n) for n in _NUMBER.findall(pull.title)]
            numbers += [pull.original] if pull.original is not None else []
        for number in numbers:
            found.setdefault(number, commit.subject)
    return found


def merged_on_main(git: GitService, base: str, main: str) -> list[PullRef]:
    return pulls_in_range(git, base, main)


def marked(labels: Iterable[str], milestone: str | None, label: str, wanted_milestone: str) -> str:
    """Why a pull request is a candidate ("" if it is not)."""
    if label in labels:
        return f"label {label}"
    if milestone and milestone == wanted_milestone:
        return f"milestone {milestone}"
    return ""


def cherry_pick(git: GitService, commit: str, onto: str) -> Pick:
    """Whether `commit` (a merge: its first parent as mainline) cherry-picks cleanly onto `onto`."""
    parents = git.parents(commit)
    if not parents:
        return Pick(False, ("(a root commit)",))
    base = parents[0]
    theirs = git.run(["commit-tree", f"{commit}^{{tree}}", "-p", base, "-m", "pick"],
                     env=_SCRATCH_ENV).strip()
    ours = git.run(["commit-tree", f"{onto}^{{tree}}", "-p", base, "-m", "onto"],
                   env=_SCRATCH_ENV).strip()
    status, out = git.status_and_output(["merge-tree", "--write-tree", "--name-only", "--no-messages",
                                         ours, theirs], env=_SCRATCH_ENV)
    if status == 0:
        return Pick(True, ())
    if status == 1:
        files = tuple(dict.fromkeys(line for line in out.splitlines()[1:] if line.strip()))
        return Pick(False, files)
    first = out.strip().splitlines()[0] if out.strip() else "no output"
    raise GitError(f"git merge-tree failed: {first}",
                   hint="git 2.38 or newer is needed for merge-tree --write-tree")


@dataclass(frozen=True)
class Survey:
    base: str
    merged: tuple[PullRef, ...]
    carried: Mapping[int, str]  # original number -> the branch commit naming it
    candidates: tuple[Candidate, ...]
    marked_on_branch: tuple[int, ...]  # marked, and already on the branch


def survey(git: GitService, main: str, branch: str,
           triage: Callable[[list[int]], Mapping[int, PullTriage]], label: str, milestone: str) -> Survey:
    """Everything merged into `main` since the fork point, matched against `branch`; the marked
    ones the branch lacks become candidates, each tried as a cherry-pick onto `branch`."""
    base = fork_point(git, main, branch)
    merged = tuple(merged_on_main(git, base, main))
    carried = on_branch(git, base, branch)
    info = triage([p.number for p in merged])
    found, marked_there = [], []
    for pull in merged:
        meta = info.get(pull.number)
        why = marked(meta.labels, meta.milestone, label, milestone) if meta else ""
        if not why:
            continue
        if pull.number in carried:
            marked_there.append(pull.number)
            continue
        found.append(Candidate(pull.number, meta.title if meta else pull.title,
                               meta.author if meta else None, pull.commit, pull.kind, why,
                               cherry_pick(git, pull.commit, branch)))
    return Survey(base, merged, carried, tuple(found), tuple(marked_there))
