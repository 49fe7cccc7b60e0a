"""Update main after a final release: its notes, changelog and (if changed) .mailmap, and the index.

The files come byte for byte from the maintenance branch, as `git checkout maintenance/X.Y.x --
FILE` does in NumPy's walkthrough. The commit goes on `post-X.Y.Z-release-update`, made from main,
for a pull request; `--direct` commits on main itself.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from release.context import Context
from release.errors import PreconditionError
from release.notes.index import with_entry
from release.plan import Plan
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
    stale_branch,
)
from release.repo.pull_request import add_publish
from release.sites.scipy_docs import with_stable
from release.status import looks
from release.steps import Look, Step, by_status
from release.steps.common import add_pull_request_options, add_push_option, add_version
from release.version import ReleaseVersion

STEP = Step(name="post-release", order=150, journaled=True, read_only=False,
            summary="Bring notes, changelog, .mailmap to main",
            status=Look(row="main updated", order=8, find=looks.main_updated), resume=by_status)


@dataclass(frozen=True)
class PostReleaseOptions:
    """The options argparse parsed for this step."""

    direct: bool
    push: bool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    add_push_option(parser, "the post-X.Y.Z-release-update branch to the fork remote and open the "
                    "pull request (with --direct: main to the upstream remote)")
    add_pull_request_options(
        parser, direct="commit on main itself, not on a post-X.Y.Z-release-update branch")


def run(ctx: Context) -> int:
    version = ctx.version()
    require_final(version, "main is updated only after a final release",
                  hint="pre-release notes and changelog stay on the maintenance branch")
    cfg, git = ctx.config, ctx.git
    main = cfg.main_branch
    direct = bool(ctx.typed(PostReleaseOptions).direct)
    work = main if direct else f"post-{version}-release-update"
    source = _source(ctx, version)
    existing = local_branch(git, work)
    base = existing or local_branch(git, main)
    if base is None:
        raise PreconditionError(f"there is no local branch {main}",
                                hint=f"git fetch {cfg.upstream_remote} && git checkout {main}")
    changes, notes = _changes(ctx, version, source, base)

    plan = Plan(f"update {main} after the {version} release")
    plan.notes.extend(notes)
    message = None
    if changes:
        if existing is not None and not direct:
            raise stale_branch(work, f"the update for {version}")
        require_clean(git)
        start = require_branch(git, main)
        require_remote(git, cfg.upstream_remote, "upstream_remote")
        require_up_to_date(git, cfg.upstream_remote, main, start)
        spec = CommitSpec(branch=work, start=start, message_template="commit-post-release.txt.j2",
                          values={"main_branch": main, "version": str(version)},
                          changes=tuple(changes), skip_ci=cfg.skip_ci_line, new_branch=not direct)
        add_commit(plan, ctx, spec)
        message = spec.message
    if ctx.typed(PostReleaseOptions).push and (changes or existing is not None or direct):
        add_publish(plan, ctx, work=work, base=main, direct=direct, committed=bool(changes),
                    message=message)
    elif changes:
        plan.notes.append(unpushed_note(ctx, work, direct))

    where = work if existing is not None or direct else main
    return run_work_plan(ctx, plan, work, f"{where} already has the {version} notes, changelog and "
                                          "index entry; nothing to do")


def _source(ctx: Context, version: ReleaseVersion) -> str:
    """The maintenance branch the files come from, after checking it holds the release."""
    cfg, git = ctx.config, ctx.git
    maintenance = version.maintenance_branch(cfg.maintenance_branch)
    sha = local_branch(git, maintenance)
    if sha is None:
        raise PreconditionError(
            f"there is no local branch {maintenance} to take the {version} files from",
            hint=f"git fetch {cfg.upstream_remote} && git branch {maintenance} "
                 f"{cfg.upstream_remote}/{maintenance}",
        )
    require_release_tag(ctx, version, sha, maintenance, "main is updated")
    if cfg.upstream_remote in git.remotes():
        require_up_to_date(git, cfg.upstream_remote, maintenance, sha)
    return sha


def _changes(ctx: Context, version: ReleaseVersion, source: str,
             base: str) -> tuple[list[FileChange], list[str]]:
    """What `base` still needs: forward-ported files, .mailmap if newer, the index entry."""
    cfg, git = ctx.config, ctx.git
    maintenance = version.maintenance_branch(cfg.maintenance_branch)
    notes_path = ctx.path(cfg.notes, version)
    wanted: list[FileChange] = []
    credits = () if cfg.credits == "authors" else (ctx.path(cfg.changelog, version),)
    for path in (notes_path, *credits):
        text = git.show_file(source, path)
        if text is None:
            raise PreconditionError(f"{path} is not on {maintenance}",
                                    hint=f"the {version} release PR adds it; check the version")
        wanted.append(FileChange(path, text, "Forward port"))
    remarks: list[str] = []
    mailmap = git.show_file(source, cfg.mailmap)
    ours = git.show_file(base, cfg.mailmap)
    if mailmap is not None and mailmap != ours:
        lost = _main_only_lines(ctx, source, base, ours or "") - set(mailmap.splitlines())
        if lost:
            remarks.append(f"{cfg.mailmap} not copied: {cfg.main_branch} added {len(lost)} line(s) "
                           f"since branching that {maintenance} lacks; merge it by hand")
        else:
            wanted.append(FileChange(cfg.mailmap, mailmap, "Update"))
    switcher = _switcher(ctx, version, base)
    if isinstance(switcher, FileChange):
        wanted.append(switcher)
    elif switcher:
        remarks.append(switcher)
    wanted.append(FileChange(cfg.release_index, with_entry(
        git.show_file(base, cfg.release_index), cfg.release_index, str(version), notes_path,
        at=f"on {cfg.main_branch}", ordered=True, style=cfg.index_entry), "Update"))
    return [c for c in wanted if git.show_file(base, c.path) != c.content], remarks


def _switcher(ctx: Context, version: ReleaseVersion, base: str) -> FileChange | str:
    """Under doc_site = "docs-scipy-org": main's version switcher names the release as stable
    (or lists an older one), for releases whose docs are published; else why not ("" when the
    project keeps no switcher on main)."""
    cfg = ctx.config
    if cfg.doc_site != "docs-scipy-org" or (version.is_patch and not cfg.docs.patch_releases):
        return ""
    text = ctx.git.show_file(base, cfg.docs.switcher)
    if text is None:
        return f"{cfg.docs.switcher} is not on {cfg.main_branch}; no version switcher to update"
    url = cfg.docs.release_url.format(version=version, series=version.series)
    return FileChange(cfg.docs.switcher, with_stable(text, str(version), url, cfg.docs.switcher),
                      "Update")


def _main_only_lines(ctx: Context, source: str, base: str, ours: str) -> set[str]:
    """Lines main added to .mailmap since the maintenance branch split off (copying would lose them).

    Lines the release changed (a corrected identity) are not main's own, so they may go.
    """
    git = ctx.git
    fork_point = git.run(["merge-base", base, source]).strip()
    before = git.show_file(fork_point, ctx.config.mailmap) or ""
    return set(ours.splitlines()) - set(before.splitlines())
