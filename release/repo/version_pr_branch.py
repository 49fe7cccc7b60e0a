"""Branching without a dev tag (`branching = "version-pr"`, SciPy's way).

`branch 1.18.0` on main (reading 1.18.0.dev0) creates `maintenance/1.18.x` at main's tip with one
commit pinning the upper bounds of the build and run-time requirements ("MAINT: version
pins/prep for 1.18.0rc1", `pyproject.toml` and the package's `np_maxversion`), and makes the
next series' start on main a pull request: "REL: set version to `1.19.0.dev0`" on a
`set-version-1.19.0.dev0` branch (the version, the index entry, the X.Y.0 notes skeleton). No tag
is made; the maintenance branch keeps saying 1.18.0.dev0 until the rc1 REL commit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from release.context import Context
from release.downstream.numpy_releases import released_by
from release.errors import PreconditionError, VerificationError
from release.notes.index import with_entry
from release.notes.skeleton import python_range
from release.plan import Plan, WriteFile
from release.repo.branch_commit import (
    CommitSpec,
    FileChange,
    add_commit,
    add_push_if_needed,
    git_command,
    local_branch,
    remote_sha,
    unpushed_note,
)
from release.repo.preconditions import (
    require_branch_point,
    require_remote,
)
from release.repo.pull_request import add_publish
from release.repo.pyproject_file import read_version, set_version
from release.repo.upper_bounds import Pin, apply_pins, np_maxversion, pins, requirements
from release.services.git import GitService
from release.version import ReleaseVersion
from release.wheels.file_set import name_and_version

PYPI = "https://pypi.org/simple/"


@dataclass(frozen=True)
class VersionPrOptions:
    """What the branch step's options say to this way of branching (`--push`, `--index-url`)."""

    push: bool = False
    index_url: str | None = None


def run(ctx: Context, version: ReleaseVersion) -> int:
    cfg, git = ctx.config, ctx.git
    following = ReleaseVersion.parse(version.next_dev().base)
    dev = f"{following}.dev0"
    maintenance = version.maintenance_branch(cfg.maintenance_branch)
    work = f"set-version-{dev}"
    require_remote(git, cfg.upstream_remote, "upstream_remote")
    plan = Plan(f"branch {maintenance} (upper bounds pinned); {cfg.main_branch} to {dev} "
                "through a pull request")
    made = local_branch(git, maintenance)
    message: str | None = None
    if made is None:
        start, pyproject = _preconditions(ctx, version, maintenance, work)
        _plan_pins(ctx, plan, version, maintenance, start, pyproject)
        plan.add(git_command(git, ctx.repo, "checkout", "--quiet", cfg.main_branch))
        message = _plan_next_series(ctx, plan, version, following, dev, work, start, pyproject)
    merged = made is not None and _check_done(ctx, version, maintenance, work, made, dev)
    if ctx.typed(VersionPrOptions).push:
        add_push_if_needed(plan, ctx, cfg.upstream_remote, f"refs/heads/{maintenance}",
                           committed=made is None)
        if not merged:
            add_publish(plan, ctx, work=work, base=cfg.main_branch, direct=False,
                        committed=made is None, message=message)
    elif made is None:
        plan.notes.append(f"not pushed; publish with --push (git push {cfg.upstream_remote} "
                          f"{maintenance}; " + unpushed_note(ctx, work, False).split("(", 1)[1])
    if not plan.actions:
        if merged:
            said = f"{maintenance} exists and {cfg.main_branch} says {dev} (its pull request is merged)"
        else:
            said = f"{maintenance} and {work} already exist" + (
                f"; {maintenance} is on {cfg.upstream_remote} and the pull request is open"
                if ctx.typed(VersionPrOptions).push else "")
        print(said + "; nothing to do", file=ctx.out)
        return 0
    ctx.execute(plan)
    if not ctx.dry_run:
        for ref in (maintenance, work):
            print(f"{ref} -> {git.rev_parse(f'refs/heads/{ref}')}", file=ctx.out)
    return 0


def _preconditions(ctx: Context, version: ReleaseVersion, maintenance: str,
                   work: str) -> tuple[str, str]:
    cfg, git = ctx.config, ctx.git
    if remote_sha(git, cfg.upstream_remote, f"refs/heads/{maintenance}") is not None:
        raise PreconditionError(f"branch {maintenance} already exists on {cfg.upstream_remote}",
                                hint=f"git fetch {cfg.upstream_remote} to look at it")
    if local_branch(git, work) is not None:
        raise PreconditionError(f"branch {work} exists but {maintenance} does not",
                                hint=f"look at git log -1 {work}; delete it if it is left over")
    return require_branch_point(git, cfg, version)


def _check_done(ctx: Context, version: ReleaseVersion, maintenance: str, work: str,
                made: str, dev: str) -> bool:
    """A rerun: the branch and the pull request's branch are there and look like ours; True
    when the pull request's branch is gone because main says `dev` already (merged)."""
    cfg, git = ctx.config, ctx.git
    main = git.show_file(f"refs/heads/{cfg.main_branch}", cfg.pyproject) or ""
    merged = local_branch(git, work) is None and read_version(main, cfg.pyproject) == dev
    if local_branch(git, work) is None and not merged:
        raise PreconditionError(
            f"{maintenance} exists but {work} does not",
            hint=f"the {version.series} series was branched another way; begin "
                 f"{cfg.main_branch}'s next version by hand")
    said = read_version(git.show_file(made, cfg.pyproject) or "", cfg.pyproject)
    if said not in (f"{version.base}.dev0", *([str(version)] if version.is_final else [])) \
            and not said.startswith(version.base):
        raise PreconditionError(f"{maintenance} says {said}, not a {version.series} version",
                                hint=f"look at git log -3 {maintenance}")
    return merged


def _newest_numpy(ctx: Context) -> str:
    today = datetime.datetime.now(datetime.UTC).date()
    out = released_by(today)
    if not out:
        raise PreconditionError("the toolkit knows no NumPy feature release",
                                hint="release/data/numpy_releases.toml is empty")
    return out[-1].version


def bounds(ctx: Context, pyproject: str) -> list[Pin]:
    """The pins `pyproject` gets; the build requirements' newest releases come from the index."""
    cfg = ctx.config
    index = ctx.index(ctx.typed(VersionPrOptions).index_url or PYPI)
    cache: dict[str, Version | None] = {}

    def newest(name: str) -> Version | None:
        if name not in cache:
            versions = [parsed[1] for filename in index.files(name)
                        if (parsed := name_and_version(filename)) is not None
                        and not parsed[1].is_prerelease and not parsed[1].is_devrelease]
            cache[name] = max(versions) if versions else None
        return cache[name]

    return pins(pyproject, cfg.pyproject, newest_numpy=_newest_numpy(ctx), newest=newest)


def _plan_pins(ctx: Context, plan: Plan, version: ReleaseVersion, maintenance: str, start: str,
               pyproject: str) -> None:
    cfg, git = ctx.config, ctx.git
    found = bounds(ctx, pyproject)
    changes: list[FileChange] = []
    if found:
        changes.append(FileChange(cfg.pyproject, apply_pins(pyproject, found, cfg.pyproject),
                                  "Pin"))
    init_path = f"{cfg.package}/__init__.py"
    init_text = git.show_file(start, init_path)
    new_init = np_maxversion(init_text, _newest_numpy(ctx)) if init_text is not None else None
    if new_init is not None and new_init != init_text:
        changes.append(FileChange(init_path, new_init, "Pin"))
    elif init_text is None:
        plan.notes.append(f"{init_path} is not in this checkout; no np_maxversion to set")
    for pin in found:
        plan.notes.append(f"{pin.table}: {pin.old} -> {pin.new} ({pin.reason})")
    plan.add(git_command(git, ctx.repo, "branch", maintenance, start))
    if not changes:
        plan.notes.append(f"every requirement already has an upper bound; {maintenance} starts "
                          f"at {start[:12]} as it is")
        return
    message = ctx.render("commit-pins.txt.j2", project=cfg.project, version=str(version),
                         rc1=f"{version.base}rc1", skip_ci=cfg.skip_ci_line).rstrip("\n")
    plan.add(git_command(git, ctx.repo, "checkout", "--quiet", maintenance))
    for change in changes:
        assert change.content is not None
        plan.add(WriteFile(ctx.repo, change.path, change.content))
    plan.add(git_command(git, ctx.repo, "add", "--", *(c.path for c in changes)))
    plan.add(git_command(git, ctx.repo, "commit", "--quiet", "-m", message))
    plan.verify(f"{maintenance} is one commit {message.splitlines()[0]!r} on {start[:12]}, "
                f"changing {', '.join(c.path for c in changes)} as shown",
                lambda: _verify_pins(git, maintenance, start, changes, message))


def _verify_pins(git: GitService, branch: str, start: str, changes: list[FileChange],
                 message: str) -> None:
    if git.parents(f"refs/heads/{branch}") != [start]:
        raise VerificationError(f"{branch} is not one commit on {start[:12]}",
                                hint=f"git log --oneline -3 {branch}")
    if git.run(["log", "-1", "--format=%B", f"refs/heads/{branch}"]).strip() != message.strip():
        raise VerificationError(f"{branch}'s commit message is not the one written",
                                hint=f"git log -1 {branch}")
    for change in changes:
        if git.show_file(f"refs/heads/{branch}", change.path) != change.content:
            raise VerificationError(f"{change.path} on {branch} is not what was written",
                                    hint=f"git show {branch}:{change.path}")


def _plan_next_series(ctx: Context, plan: Plan, version: ReleaseVersion,
                      following: ReleaseVersion, dev: str, work: str, start: str,
                      pyproject: str) -> str:
    cfg, git = ctx.config, ctx.git
    changes: list[FileChange] = []
    notes_path = ctx.path(cfg.notes, following)
    if git.show_file(start, notes_path) is None:
        changes.append(FileChange(notes_path, feature_notes(ctx, version, following, pyproject),
                                  "Create"))
    changes.append(FileChange(cfg.release_index, with_entry(
        git.show_file(start, cfg.release_index), cfg.release_index, str(following), notes_path,
        at=f"on {cfg.main_branch}", style=cfg.index_entry), "Update"))
    changes.append(FileChange(cfg.pyproject, set_version(pyproject, dev, cfg.pyproject), "Update"))
    spec = CommitSpec(branch=work, start=start, message_template="commit-begin.txt.j2",
                      values={"project": cfg.project, "version": dev, "previous": version.series},
                      changes=tuple(c for c in changes if git.show_file(start, c.path) != c.content),
                      skip_ci=cfg.skip_ci_line, new_branch=True, search=ctx.template_search())
    add_commit(plan, ctx, spec)
    return spec.message


def feature_notes(ctx: Context, version: ReleaseVersion, following: ReleaseVersion,
                  pyproject: str) -> str:
    """The next series' notes skeleton, the project's own form (SciPy's X.Y.0 headings)."""
    cfg = ctx.config
    return ctx.render("feature-notes.rst.j2", project=cfg.project, version=str(following),
                      previous_series=version.series,
                      python_range=python_range(pyproject) or "3",
                      numpy_minimum=_numpy_minimum(pyproject, cfg.pyproject))


def _numpy_minimum(pyproject: str, where: str) -> str:
    from packaging.requirements import Requirement

    for table, text in requirements(pyproject, where):
        if table != "project.dependencies":
            continue
        req = Requirement(text)
        if req.name.lower() == "numpy":
            for spec in req.specifier:
                if spec.operator == ">=":
                    try:
                        return str(Version(spec.version))
                    except InvalidVersion:
                        return spec.version
    return "(any)"
