"""Reset the maintenance branch after a final release: next patch notes, index entry, version
(the next patch, or its dev0 under `branch_version = "next-dev0"`). Under "next-dev0" a release
candidate is followed too: the branch says the next candidate's dev0 (1.18.0rc1 ->
1.18.0rc2.dev0, SciPy's "REL: set 1.18.0rc2 unreleased"), the version only.

As in NumPy's walkthrough the commit goes on a `begin-X.Y.Z+1` branch made from
`maintenance/X.Y.x`, to be merged through a pull request; `--direct` commits on the maintenance
branch itself (for projects that do not review this commit).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from release.context import Context
from release.errors import PreconditionError
from release.notes.index import entry_target, has_entry, with_entry
from release.notes.skeleton import patch_skeleton, python_range
from release.plan import Plan
from release.profiles.versions import after_release, next_candidate
from release.repo.branch_commit import (
    CommitSpec,
    FileChange,
    add_commit,
    local_branch,
    run_work_plan,
    unpushed_note,
)
from release.repo.preconditions import (
    require_branch,
    require_clean,
    require_final,
    require_release_tag,
    require_remote,
    require_up_to_date,
    require_version,
    stale_branch,
)
from release.repo.pull_request import add_publish
from release.repo.pyproject_file import read_version, set_version
from release.status import looks
from release.steps import Look, Step, by_status
from release.steps.common import add_pull_request_options, add_push_option, add_version
from release.version import ReleaseVersion

STEP = Step(name="reset-branch", order=130, journaled=True, read_only=False,
            summary="Reset the maintenance branch for development",
            status=Look(row="maintenance reset", order=6, find=looks.reset_branch), resume=by_status)


@dataclass(frozen=True)
class ResetBranchOptions:
    """The options argparse parsed for this step."""

    direct: bool
    push: bool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    add_push_option(parser, "the begin-X.Y.Z+1 branch to the fork remote and open the pull request "
                    "(with --direct: the maintenance branch to the upstream remote)")
    add_pull_request_options(
        parser, direct="commit on the maintenance branch itself, not on a begin-X.Y.Z+1 branch")


def between_candidates(ctx: Context, version: ReleaseVersion) -> bool:
    """A release candidate whose branch then says the next candidate's dev0 (SciPy)."""
    return next_candidate(ctx.config, version) is not None


def run(ctx: Context) -> int:
    version = ctx.version()
    candidates = between_candidates(ctx, version)
    if not candidates:
        require_final(version, "the maintenance branch is reset only after a final release",
                      hint=f"after {version.base} is released: nox -s reset-branch -- {version.base}")
    cfg, git = ctx.config, ctx.git
    following = next_candidate(cfg, version) or version.next_patch()
    maintenance = version.maintenance_branch(cfg.maintenance_branch)
    direct = bool(ctx.typed(ResetBranchOptions).direct)
    work = maintenance if direct else f"begin-{following}"
    target = local_branch(git, work)
    done = target is not None and _is_reset(ctx, target, version, following)
    merged = local_branch(git, maintenance)
    if target is None and merged is not None and _is_reset(ctx, merged, version, following):
        print(f"{maintenance} is already prepared for {following} development; nothing to do",
              file=ctx.out)
        return 0

    plan = Plan(f"prepare {maintenance} for {following} development")
    message = None
    if not done:
        if target is not None and not direct:
            raise stale_branch(work, f"the reset to {following}")
        spec = _commit_spec(ctx, version, following, maintenance, work, direct)
        add_commit(plan, ctx, spec)
        message = spec.message
    if ctx.typed(ResetBranchOptions).push:
        add_publish(plan, ctx, work=work, base=maintenance, direct=direct, committed=not done,
                    message=message)
    elif not done:
        plan.notes.append(unpushed_note(ctx, work, direct))

    return run_work_plan(ctx, plan, work,
                         f"{work} is already prepared for {following} development; nothing to do")


def _is_reset(ctx: Context, ref: str, version: ReleaseVersion, following: ReleaseVersion) -> bool:
    """Whether `ref` already reads what follows `version`, with `following`'s notes and index
    entry."""
    cfg, git = ctx.config, ctx.git
    pyproject = git.show_file(ref, cfg.pyproject)
    says = pyproject is not None and read_version(pyproject, cfg.pyproject) == after_release(cfg, version)
    if between_candidates(ctx, version):
        return says
    index = git.show_file(ref, cfg.release_index) or ""
    notes = ctx.path(cfg.notes, following)
    return (says and git.show_file(ref, notes) is not None
            and has_entry(index, entry_target(cfg.release_index, notes)))


def _commit_spec(ctx: Context, version: ReleaseVersion, following: ReleaseVersion,
                 maintenance: str, work: str, direct: bool) -> CommitSpec:
    cfg, git = ctx.config, ctx.git
    require_clean(git)
    start = require_branch(git, maintenance)
    pyproject = require_version(
        git, cfg.pyproject, str(version),
        hint=f"reset-branch runs on {maintenance} right after the {version} release")
    require_release_tag(ctx, version, start, maintenance, "the branch is reset")
    require_remote(git, cfg.upstream_remote, "upstream_remote")
    require_up_to_date(git, cfg.upstream_remote, maintenance, start)
    if between_candidates(ctx, version):  # the version only
        says = after_release(cfg, version)
        return CommitSpec(branch=work, start=start, message_template="commit-candidate.txt.j2",
                          values={"project": cfg.project, "following": str(following),
                                  "says": says},
                          changes=(FileChange(cfg.pyproject, set_version(pyproject, says,
                                                                         cfg.pyproject), "Update"),),
                          skip_ci=cfg.skip_ci_line, new_branch=not direct,
                          search=ctx.template_search())
    label = str(following)
    notes_path = ctx.path(cfg.notes, following)
    index = with_entry(git.show_file("HEAD", cfg.release_index), cfg.release_index, label,
                       notes_path, at="at HEAD", style=cfg.index_entry)
    changes = []
    if git.show_file("HEAD", notes_path) is None:
        changes.append(FileChange(notes_path, _notes(ctx, version, following, pyproject), "Create"))
    changes.append(FileChange(cfg.release_index, index, "Update"))
    changes.append(FileChange(cfg.pyproject, set_version(pyproject, after_release(cfg, version),
                                                         cfg.pyproject), "Update"))
    return CommitSpec(branch=work, start=start, message_template="commit-reset.txt.j2",
                      values={"series": version.series, "project": cfg.project,
                              "following": str(following)}, changes=tuple(
                          c for c in changes if git.show_file("HEAD", c.path) != c.content),
                      skip_ci=cfg.skip_ci_line, new_branch=not direct,
                      search=ctx.template_search())


def _notes(ctx: Context, version: ReleaseVersion, following: ReleaseVersion, pyproject: str) -> str:
    cfg = ctx.config
    current = ctx.git.show_file("HEAD", ctx.path(cfg.notes, version))
    supported = python_range(pyproject, current)
    if supported is None:
        raise PreconditionError(
            f"cannot tell the supported Python versions for the {following} notes",
            hint="add `Programming Language :: Python :: 3.N` classifiers to pyproject.toml",
        )
    return patch_skeleton(project=cfg.project, package=cfg.package, version=str(following),
                          search=ctx.template_search(),
                          previous=str(version), python=supported)
