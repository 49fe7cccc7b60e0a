"""Tag the release commit: annotated, optionally signed, verified, pushed only with --push."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from release.context import Context
from release.errors import PreconditionError, UsageError, VerificationError
from release.plan import Plan
from release.repo.branch_commit import git_command
from release.repo.preconditions import require_branch, require_clean, require_remote, require_version
from release.repo.tag import TagSpec, add_signature_check, add_tag, check_existing_tag
from release.services.git import GitService, push_argv
from release.status import looks
from release.steps import Look, Step, by_status
from release.steps.common import add_push_option, add_version
from release.version import ReleaseVersion

STEP = Step(name="tag", order=90, journaled=True, read_only=False,
            summary="Create, verify and (with --push) publish the release tag",
            status=Look(row="tag", order=2, find=looks.tag), resume=by_status)


@dataclass(frozen=True)
class TagOptions:
    push: bool
    sign: bool
    local_user: str | None
    branch: str | None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    add_push_option(parser, "the tag, and only the tag, to the upstream remote")
    parser.add_argument("--sign", action="store_true", help="sign the tag with your default key")
    parser.add_argument("-u", "--local-user", metavar="KEY", help="sign the tag with KEY")
    parser.add_argument("--branch", help="the branch to tag from (default: the maintenance branch)")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(
            f"{version} is a development version; its tag is made by the branch step",
            hint=f"run `nox -s branch -- {version.base}`",
        )
    spec = tag_spec(ctx, version)
    git = ctx.git
    local = git.tag_object(spec.name)
    if local is not None:
        check_existing_tag(git, spec)
    else:
        check_preconditions(ctx, version, spec)
    remote = check_remote(ctx, spec, local)

    plan = build_plan(ctx, spec, local, remote)
    if not plan.actions:
        print(f"{spec.name} already exists on {spec.commit[:12]}"
              + (f" and on {spec.remote}" if remote else "") + "; nothing to do", file=ctx.out)
        return 0
    ctx.execute(plan)
    if not ctx.dry_run:
        print(f"{spec.name} -> {git.tag_object(spec.name)} on commit {spec.commit}", file=ctx.out)
    return 0


def tag_spec(ctx: Context, version: ReleaseVersion) -> TagSpec:
    """The release tag the config and the step's options ask for, on HEAD."""
    cfg = ctx.config
    opts = ctx.typed(TagOptions)
    key = opts.local_user or cfg.signing_key
    return TagSpec(
        name=version.tag(cfg.tag_format),
        message=cfg.tag_message.format(project=cfg.project, version=version),
        commit=ctx.git.head(),
        sign=bool(opts.sign or cfg.sign_tags or key),
        key=key,
        remote=cfg.upstream_remote,
        push=opts.push,
    )


def check_preconditions(ctx: Context, version: ReleaseVersion, spec: TagSpec) -> None:
    git, cfg = ctx.git, ctx.config
    require_clean(git)
    wanted = version.format(ctx.typed(TagOptions).branch or cfg.release_branch
                            or cfg.maintenance_branch)
    require_branch(git, wanted, hint=f"git checkout {wanted} (or pass --branch)")
    require_version(git, cfg.pyproject, str(version),
                    hint=f"set version = \"{version}\" in the release PR (nox -s prepare -- {version})")
    for kind in cfg.tag_requires:
        pattern = getattr(cfg, kind, None)
        if not isinstance(pattern, str):
            raise PreconditionError(f"tag_requires names unknown file kind {kind!r}",
                                    hint="use changelog and/or notes")
        path = ctx.path(pattern, version)
        if git.show_file("HEAD", path) is None:
            raise PreconditionError(
                f"the {kind} {path} is not committed",
                hint=f"create it first (nox -s {kind if kind != 'notes' else 'notes'} -- {version})",
            )


def check_remote(ctx: Context, spec: TagSpec, local: str | None) -> str | None:
    """The tag object on the upstream remote, after checking it cannot clash with ours."""
    git = ctx.git
    require_remote(git, spec.remote, "upstream_remote")
    remote = git.remote_tag_object(spec.remote, spec.name)
    if remote is not None and remote != local:
        raise PreconditionError(
            f"tag {spec.name} already exists on {spec.remote} ({remote[:12]})"
            + (" and differs from the local tag" if local else ""),
            hint=f"git fetch {spec.remote} tag {spec.name} to look at it; never move a published tag",
        )
    return remote


def build_plan(ctx: Context, spec: TagSpec, local: str | None, remote: str | None) -> Plan:
    git = ctx.git
    plan = Plan(f"tag {spec.name} on {spec.commit[:12]}")
    if local is None:
        add_tag(plan, git, ctx.repo, spec, on=spec.commit[:12])
    elif spec.sign:
        add_signature_check(plan, git, spec)
    if spec.push and remote is None:
        plan.add(git_command(git, ctx.repo, *push_argv(spec.remote, f"refs/tags/{spec.name}")))
        plan.verify(f"{spec.remote} has {spec.name} pointing at the same tag object",
                    lambda: _verify_remote(git, spec))
    elif not spec.push and local is None:
        plan.notes.append(f"not pushed; publish with --push (git push {spec.remote} {spec.name})")
    return plan


def _verify_remote(git: GitService, spec: TagSpec) -> None:
    remote = git.remote_tag_object(spec.remote, spec.name)
    local = git.tag_object(spec.name)
    if remote != local:
        raise VerificationError(
            f"{spec.remote} has {spec.name} at {remote}, the local tag is {local}",
            hint="look at the remote tag before doing anything else; do not force-push",
        )
