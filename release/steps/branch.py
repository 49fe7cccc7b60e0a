"""Branch a new series: begin the next cycle on main, tag it, and create the maintenance branch.

`branch 2.5.0` on main (reading 2.5.0.dev0) makes the "Begin NumPy 2.6.0 development" commit
(release fragments deleted, 2.6.0 notes from the repo's template, index entry, 2.6.0.dev0,
the cversions.txt comment), tags it `v2.6.0.dev0`, and creates `maintenance/2.5.x` at the commit
before it: the shape NumPy's history shows for every series since 2.1.
"""

from __future__ import annotations

import argparse
import fnmatch
import posixpath
from dataclasses import dataclass

from release.checks.cversions_comment import series_comment
from release.context import Context
from release.errors import PreconditionError, UsageError, VerificationError
from release.notes.index import with_entry
from release.notes.skeleton import feature_skeleton
from release.output import invocation
from release.plan import Plan
from release.repo import version_pr_branch
from release.repo.branch_commit import (
    CommitSpec,
    FileChange,
    add_commit,
    add_push,
    git_command,
    is_ancestor,
    local_branch,
    remote_sha,
)
from release.repo.preconditions import (
    require_branch_point,
    require_remote,
)
from release.repo.pyproject_file import read_version, set_version
from release.repo.tag import TagSpec, add_tag, check_existing_tag
from release.services.git import GitService
from release.steps import Rechecks, Step
from release.steps.common import add_pull_request_options, add_push_option, add_version
from release.version import ReleaseVersion


def recheck(rechecks: Rechecks, argv: tuple[str, ...]) -> str | None:
    """A resumed rehearsal's look: the new maintenance branch is on the upstream remote."""
    cfg = rechecks.config
    branch = ReleaseVersion.parse(argv[1]).maintenance_branch(cfg.maintenance_branch)
    if not rechecks.git.remote_refs(cfg.upstream_remote, f"refs/heads/{branch}"):
        return f"{cfg.upstream_remote} has no {branch}"
    return None


STEP = Step(name="branch", order=160, journaled=True, read_only=False,
            summary="Begin the next cycle on main; create the maintenance branch",
            status=None, resume=recheck)


@dataclass(frozen=True)
class BranchOptions:
    """The options argparse parsed for this step."""

    local_user: str | None
    push: bool
    sign: bool


FRAGMENT_PATTERN = "[0-9]*.*.rst"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    add_push_option(parser, "main, the dev tag and the new maintenance branch to the upstream remote")
    parser.add_argument("--sign", action="store_true", help="sign the dev tag with your default key")
    parser.add_argument("-u", "--local-user", metavar="KEY", help="sign the dev tag with KEY")
    add_pull_request_options(parser)
    parser.add_argument("--index-url", metavar="URL",
                        help='branching = "version-pr": the index to read the build requirements\' '
                             "newest releases from, for their upper bounds (default: PyPI)")


def run(ctx: Context) -> int:
    version = ctx.version()
    if not version.is_final or version.micro != 0:
        raise UsageError(
            f"branch takes the X.Y.0 version of the series to branch off, not {version}",
            hint=f"e.g. nox -s branch -- {version.major}.{version.minor}.0",
        )
    if ctx.config.branching == "version-pr":
        return version_pr_branch.run(ctx, version)
    cfg, git = ctx.config, ctx.git
    series = Series.of(ctx, version)
    require_remote(git, cfg.upstream_remote, "upstream_remote")
    plan = Plan(f"begin {cfg.project} {series.following} development; branch {series.maintenance}")
    local_tag = git.tag_object(series.tag.name)
    if local_tag is not None:
        start = _check_done(ctx, series)
    else:
        start, pyproject = _check_preconditions(ctx, series)
        _plan_begin(ctx, plan, series, start, pyproject)
        plan.notes.append(f"{cfg.numpyconfig}: add NPY_{series.following_macro}_API_VERSION by "
                          "hand if the project keeps one macro per series ("
                          + invocation.command("cversions") + " checks it)")
    if local_tag is None or local_branch(git, series.maintenance) is None:
        _plan_branch(ctx, plan, series, start)
    if ctx.typed(BranchOptions).push:
        for ref in (f"refs/heads/{cfg.main_branch}", f"refs/tags/{series.tag.name}",
                    f"refs/heads/{series.maintenance}"):
            if local_tag is None or not _published(ctx, series, ref):
                add_push(plan, ctx, cfg.upstream_remote, ref)
    elif local_tag is None:
        plan.notes.append(f"not pushed; publish with --push ({cfg.main_branch}, {series.tag.name} "
                          f"and {series.maintenance} to {cfg.upstream_remote})")

    if not plan.actions:
        print(f"{series.tag.name} and {series.maintenance} already exist"
              + (f" and are on {cfg.upstream_remote}" if ctx.typed(BranchOptions).push else "")
              + "; nothing to do", file=ctx.out)
        return 0
    ctx.execute(plan)
    if not ctx.dry_run:
        print(f"{series.tag.name} -> {git.tag_commit(series.tag.name)}", file=ctx.out)
        print(f"{series.maintenance} -> {git.rev_parse(f'refs/heads/{series.maintenance}')}",
              file=ctx.out)
    return 0


class Series:
    """The names one branching involves: versions, the dev tag, the maintenance branch."""

    def __init__(self, version: ReleaseVersion, dev: ReleaseVersion, tag: TagSpec,
                 maintenance: str) -> None:
        self.version, self.dev, self.tag, self.maintenance = version, dev, tag, maintenance
        self.following = ReleaseVersion.parse(dev.base)
        self.following_macro = f"{dev.major}_{dev.minor}"

    @classmethod
    def of(cls, ctx: Context, version: ReleaseVersion) -> Series:
        cfg = ctx.config
        dev = version.next_dev()
        key = ctx.typed(BranchOptions).local_user or cfg.signing_key
        tag = TagSpec(
            name=dev.tag(cfg.tag_format),
            message=cfg.dev_tag_message.format(project=cfg.project, version=dev.base),
            commit="HEAD", sign=bool(ctx.typed(BranchOptions).sign or cfg.sign_tags or key), key=key,
            remote=cfg.upstream_remote, push=bool(ctx.typed(BranchOptions).push),
        )
        return cls(version, dev, tag, version.maintenance_branch(cfg.maintenance_branch))


def _published(ctx: Context, series: Series, ref: str) -> bool:
    """After a run: is `ref`'s part of the branching on upstream? (Later work on main or the
    maintenance branch is not this step's to push.)"""
    git, remote = ctx.git, ctx.config.upstream_remote
    theirs = remote_sha(git, remote, ref)
    if theirs is None:
        return False
    if ref.startswith("refs/tags/"):
        return True
    known = git.ok(["cat-file", "-e", f"{theirs}^{{commit}}"])
    wanted = series.tag.commit if ref == f"refs/heads/{ctx.config.main_branch}" else (
        git.rev_parse(f"{series.tag.commit}^1"))
    return known and is_ancestor(git, wanted, theirs)


def _check_done(ctx: Context, series: Series) -> str:
    """After a successful run: the tag is ours, main holds it; returns the branch point."""
    cfg, git = ctx.config, ctx.git
    commit = git.tag_commit(series.tag.name)
    series.tag.commit = commit
    check_existing_tag(git, series.tag)
    pyproject = git.show_file(commit, cfg.pyproject) or ""
    if read_version(pyproject, cfg.pyproject) != str(series.dev):
        raise PreconditionError(f"tag {series.tag.name} exists but its {cfg.pyproject} does not "
                                f"say {series.dev}", hint=f"look at it: git show {series.tag.name}")
    if not is_ancestor(git, commit, f"refs/heads/{cfg.main_branch}"):
        raise PreconditionError(f"tag {series.tag.name} is not on {cfg.main_branch}",
                                hint=f"git log --oneline -1 {series.tag.name} shows where it points")
    start = git.rev_parse(f"{commit}^1")
    existing = local_branch(git, series.maintenance)
    if existing is not None and not is_ancestor(git, start, existing):
        raise PreconditionError(
            f"{series.maintenance} exists at {existing[:12]}, which does not start at {start[:12]} "
            f"(the parent of {series.tag.name})", hint=f"look at it: git log -1 {series.maintenance}")
    return start


def _check_preconditions(ctx: Context, series: Series) -> tuple[str, str]:
    """Main's tip to start from and its pyproject text, after every check of a fresh run."""
    cfg, git = ctx.config, ctx.git
    branch_ref = f"refs/heads/{series.maintenance}"
    if local_branch(git, series.maintenance) is not None:
        raise PreconditionError(f"branch {series.maintenance} already exists",
                                hint=f"the {series.version.series} series is branched already; "
                                     f"look at git log -1 {series.maintenance}")
    if git.remote_tag_object(cfg.upstream_remote, series.tag.name) is not None:
        raise PreconditionError(f"tag {series.tag.name} already exists on {cfg.upstream_remote}",
                                hint=f"git fetch {cfg.upstream_remote} --tags to look at it")
    if remote_sha(git, cfg.upstream_remote, branch_ref) is not None:
        raise PreconditionError(f"branch {series.maintenance} already exists on {cfg.upstream_remote}",
                                hint=f"git fetch {cfg.upstream_remote} to look at it")
    return require_branch_point(git, cfg, series.version)


def _plan_begin(ctx: Context, plan: Plan, series: Series, start: str, pyproject: str) -> None:
    cfg, git = ctx.config, ctx.git
    following = str(series.following)
    changes: list[FileChange] = []
    notes_path = ctx.path(cfg.notes, series.following)
    if git.show_file("HEAD", notes_path) is None:
        template = git.show_file("HEAD", cfg.notes_template)
        if template is None:
            raise PreconditionError(f"the notes template {cfg.notes_template} is missing",
                                    hint="set notes_template in [tool.release]")
        changes.append(FileChange(notes_path, feature_skeleton(
            template, project=cfg.project, version=following, where=cfg.notes_template), "Create"))
    changes.append(FileChange(cfg.release_index, with_entry(
        git.show_file("HEAD", cfg.release_index), cfg.release_index, following, notes_path,
        at="at HEAD", style=cfg.index_entry), "Update"))
    changes.append(FileChange(cfg.pyproject, set_version(pyproject, str(series.dev), cfg.pyproject),
                              "Update"))
    cversions = git.show_file("HEAD", cfg.cversions) if cfg.cversions else None
    if cversions is not None:
        changes.append(FileChange(cfg.cversions, series_comment(
            cversions, project=cfg.project, version=following, where=cfg.cversions), "Update"))
    changes += [FileChange(path, None, "Delete", "release fragments") for path in _fragments(ctx)]
    spec = CommitSpec(branch=cfg.main_branch, start=start, message_template="commit-begin.txt.j2",
                      values={"project": cfg.project, "version": following},
                      changes=tuple(c for c in changes if git.show_file("HEAD", c.path) != c.content),
                      skip_ci="", new_branch=False)
    add_commit(plan, ctx, spec)
    _plan_tag(ctx, plan, series)


def _plan_tag(ctx: Context, plan: Plan, series: Series) -> None:
    """The dev tag on HEAD, which is the Begin commit by the time the tag is made."""
    add_tag(plan, ctx.git, ctx.repo, series.tag, on="the new commit")


def _fragments(ctx: Context) -> list[str]:
    """Tracked release-note fragments (`<PR>.<type>.rst`) directly in the fragments folder."""
    folder = ctx.config.fragments_dir.rstrip("/")
    tracked = [p for p in ctx.git.run(["ls-files", "-z", "--", folder]).split("\0") if p]
    return [path for path in tracked if posixpath.dirname(path) == folder
            and fnmatch.fnmatchcase(posixpath.basename(path), FRAGMENT_PATTERN)]


def _plan_branch(ctx: Context, plan: Plan, series: Series, start: str) -> None:
    git = ctx.git
    plan.add(git_command(git, ctx.repo, "branch", series.maintenance, start))
    plan.verify(f"{series.maintenance} is at {start[:12]}, the commit before {series.tag.name}",
                lambda: _verify_branch(git, series.maintenance, start))


def _verify_branch(git: GitService, branch: str, start: str) -> None:
    found = local_branch(git, branch)
    if found != start:
        raise VerificationError(f"{branch} is at {found}, expected {start}",
                                hint=f"git branch -f {branch} {start} if nothing was pushed")
