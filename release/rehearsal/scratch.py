"""A scratch copy of a real checkout for rehearsals: nothing of the user's is touched.

The copy's `upstream` and `origin` are local bare repositories made from the checkout's own
branches, its upstream remote's branches and its tags, so pushes land on the machine. A release
that was already tagged is rehearsed on a copy rewound to just before it (see `Rewind`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from release.config import Config
from release.errors import PreconditionError, UsageError
from release.fakes.example import ExampleProject
from release.services.git import GitService, clone, clone_bare, fetch_into_bare, init_repo, run_in_bare
from release.version import ReleaseVersion, versions_from_tags


@dataclass(frozen=True)
class Rewind:
    """How to turn a copy of a repository back to the moment before `tag` was made: the tag
    (and the same series' later tags) gone, `branch` reset to the tagged commit's first parent,
    and the release's own work branches (prepare-X.Y.Z, ...) that the checkout still has gone."""

    tag: str
    tagged: str  # the commit the real tag points at
    branch: str
    parent: str  # the tagged commit's first parent: the branch before the release commit
    later_tags: tuple[str, ...] = ()
    work_branches: tuple[str, ...] = ()

    @classmethod
    def find(cls, git: GitService, cfg: Config, version: ReleaseVersion) -> Rewind | None:
        """None when the version is not tagged in `git`'s repository (a release still to come)."""
        tag = version.tag(cfg.tag_format)
        tags = git.tags()
        if tag not in tags:
            return None
        tagged = git.tag_commit(tag)
        parents = git.parents(tagged)
        if not parents:
            raise PreconditionError(f"{tag} points at a root commit; there is no state before it",
                                    hint="rehearse a release whose tag has a parent commit")
        later = tuple(v.tag(cfg.tag_format) for v in _later(tags, version, cfg.tag_format))
        branch = version.format(cfg.release_branch or cfg.maintenance_branch)
        return cls(tag, tagged, branch, parents[0], later, _work_branches(git, cfg, version))

    def describe(self) -> str:
        dropped = ", ".join((self.tag, *self.later_tags, *self.work_branches))
        return (f"{self.tag} exists already: rehearsing on a copy from before it ({dropped} "
                f"dropped from the scratch copy; {self.branch} reset to {self.parent[:12]}, "
                f"the first parent of the tagged commit {self.tagged[:12]})")

    def apply(self, bare: Path) -> None:
        for tag in (self.tag, *self.later_tags):
            run_in_bare(bare, "update-ref", "-d", f"refs/tags/{tag}")
        for name in self.work_branches:
            run_in_bare(bare, "update-ref", "-d", f"refs/heads/{name}")
        run_in_bare(bare, "update-ref", f"refs/heads/{self.branch}", self.parent)


def _work_branches(git: GitService, cfg: Config, version: ReleaseVersion) -> tuple[str, ...]:
    """The branches the release's steps make (the release PR's, main's update, the reset) that
    the checkout has locally or from a remote; in the copy they would read as work already done."""
    names = (f"{cfg.github.pr_branch_prefix}prepare-{version}", f"post-{version}-release-update",
             f"begin-{version.next_patch()}")
    refs = git.run(["for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes"]).split()
    return tuple(name for name in names
                 if any(ref == f"refs/heads/{name}" or ref.endswith(f"/{name}") for ref in refs))


def _later(tags: list[str], version: ReleaseVersion, tag_format: str) -> list[ReleaseVersion]:
    """The same series' releases after `version`: they were made from the commits dropped here."""
    return [v for v in versions_from_tags(tags, tag_format)
            if v.series == version.series and v > version and not v.is_dev]


def scratch_copy(source: Path, dest: Path, upstream_remote: str, *,
                 git_at: Callable[[Path], GitService],
                 rewind: Rewind | None = None) -> ExampleProject:
    """`dest/<name>` cloned from `dest/upstream.git`, with `dest/fork.git` as `origin`; with
    `rewind`, both bare repositories start from the state before that release."""
    original = git_at(source)
    upstream = dest / "upstream.git"
    init_repo(upstream, bare=True)
    remotes = original.remotes()
    tracking = upstream_remote if upstream_remote in remotes else ("origin" if "origin" in remotes
                                                                  else "")
    refspecs = ["+refs/tags/*:refs/tags/*"]
    if tracking:
        refspecs += [f"+refs/remotes/{tracking}/*:refs/heads/*",
                     f"^refs/remotes/{tracking}/HEAD"]
    fetch_into_bare(upstream, source, refspecs)
    fetch_into_bare(upstream, source, ["+refs/heads/*:refs/heads/*"])
    if rewind is not None:
        rewind.apply(upstream)
    repo = dest / source.resolve().name
    clone(upstream, repo, origin="upstream")
    scratch = git_at(repo)
    fork = dest / "fork.git"
    clone_bare(upstream, fork)
    scratch.run(["remote", "add", "origin", str(fork)])
    scratch.run(["fetch", "--quiet", "origin"])
    for key, fallback in (("user.name", "Release Rehearsal"), ("user.email", "rehearsal@localhost")):
        value = original.run(["config", "--default", fallback, "--get", key]).strip()
        scratch.run(["config", key, value])
    for key in ("commit.gpgsign", "tag.gpgsign"):
        scratch.run(["config", key, "false"])
    heads = [line.split("\t")[1].removeprefix("refs/heads/")
             for line in scratch.run(["ls-remote", "--heads", "upstream"]).splitlines()]
    # The toolkit writes release/ (the GitHub release body) and dist/ in the checkout; NumPy's
    # .gitignore lists both, and the scratch copy does the same for projects whose may not.
    exclude = Path(scratch.run(["rev-parse", "--git-path", "info/exclude"]).strip())
    exclude = exclude if exclude.is_absolute() else repo / exclude
    exclude.parent.mkdir(parents=True, exist_ok=True)
    with exclude.open("a", encoding="utf-8") as handle:
        handle.write("/release/\n/dist/\n")
    current = scratch.current_branch()
    for branch in heads:
        if branch != current:
            scratch.run(["branch", "--quiet", "--track", branch, f"upstream/{branch}"])
    if not heads:
        raise UsageError(f"{source} has no branches to rehearse on", hint="pass a clone of the project")
    return ExampleProject(repo=repo, upstream=upstream, fork=fork)

