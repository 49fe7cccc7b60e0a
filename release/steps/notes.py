"""Release notes: towncrier's output from the fragments (X.Y.0 and its rcs) or the hand-written
patch notes' skeleton (X.Y.Z), plus the entry in the release-notes index."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from release.checks.notes import bad_fragments_error, outside_range, range_numbers
from release.checks.preflight import require_series
from release.context import Context
from release.errors import PreconditionError, UsageError, VerificationError
from release.notes.fragments import (
    Fragment,
    Rendered,
    Towncrier,
    fragment_names,
    load_towncrier,
    render,
    validate,
)
from release.notes.index import add_entry, entry_target
from release.notes.skeleton import feature_skeleton, patch_skeleton, python_range
from release.plan import DeleteFile, Plan, RunCommand, WriteFile
from release.repo.revision_range import resolve
from release.steps import Step
from release.steps.common import add_version
from release.version import ReleaseVersion

STEP = Step(name="notes", order=50, journaled=False,
            summary="Build the release notes from the towncrier fragments",
            status=None, resume=None)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)


def run(ctx: Context) -> int:
    version = ctx.version()
    plan = build_plan(ctx, version)
    if not plan.actions:
        for note in plan.notes:
            ctx.say(f"note: {note}")
        print(f"the notes for {version} are in place; nothing to do", file=ctx.out)
        return 0
    ctx.execute(plan)
    return 0


def build_plan(ctx: Context, version: ReleaseVersion) -> Plan:
    """The notes' actions for `version` (also used by the prepare step)."""
    if version.is_dev:
        raise UsageError(f"{version} is a development version; notes are made for releases",
                         hint=f"use {version.base}rc1 or {version.base}")
    pyproject_file = ctx.repo / ctx.config.pyproject
    pyproject = pyproject_file.read_text(encoding="utf-8") if pyproject_file.is_file() else None
    require_series(version, pyproject, ctx.config.pyproject)
    assert pyproject is not None  # require_series stops at a missing file
    tc = load_towncrier(ctx.repo, ctx.config.pyproject)
    good, bad = validate(tc, fragment_names(tc))
    if bad:
        raise bad_fragments_error(tc, bad)
    _warn_outside_range(ctx, version, good)
    notes = ctx.path(ctx.config.notes, version)
    plan = Plan(f"release notes for {ctx.config.project} {version}")
    if version.is_patch:
        _patch_actions(ctx, version, notes, pyproject, plan)
        if good:
            plan.notes.append(f"{len(good)} fragments in {tc.directory} are not used for a patch "
                              "release; copy what belongs into the notes by hand")
    else:
        _feature_actions(ctx, version, tc, notes, plan)
    _index_action(ctx, version, notes, plan)
    return plan


def _warn_outside_range(ctx: Context, version: ReleaseVersion, good: Sequence[Fragment]) -> None:
    if not good:
        return
    try:
        span = resolve(ctx.git, ctx.config, version)
    except PreconditionError as exc:
        ctx.say(f"warning: cannot check the fragments' PRs: {exc.message}")
        return
    for fragment in outside_range(good, range_numbers(ctx.git, span)):
        ctx.say(f"warning: {fragment.name}: PR #{fragment.pr} is not merged in {span}")


def _feature_actions(ctx: Context, version: ReleaseVersion, tc: Towncrier, notes: str,
                     plan: Plan) -> None:
    if not (ctx.repo / notes).exists():
        template = ctx.config.notes_template
        text = (ctx.repo / template).read_text(encoding="utf-8") if (
            ctx.repo / template).is_file() else None
        if text is None:
            raise PreconditionError(f"{notes} is missing and so is the template {template}",
                                    hint=f"create {notes} by hand or add {template}")
        plan.add(WriteFile(ctx.repo, notes, feature_skeleton(
            text, project=ctx.config.project, version=version.base, where=template)))
    rendered = render(tc, version.base)
    if not rendered.files:
        plan.notes.append(f"no fragments in {tc.directory}; {tc.output} is left as it is")
        return
    plan.add(WriteFile(ctx.repo, tc.output, rendered.file_text))
    _stage_output(ctx, tc, plan)
    _remove_fragments(ctx, rendered, plan)
    plan.verify(f"{tc.output} is towncrier's rendering and every fragment is consumed",
                lambda: _verify_feature(ctx, tc, rendered))


def _stage_output(ctx: Context, tc: Towncrier, plan: Plan) -> None:
    """towncrier stages its output unless git ignores it (NumPy ignores notes-towncrier.rst)."""
    if not ctx.git.ok(["check-ignore", "--quiet", "--", tc.output]):
        git = ctx.git
        plan.add(RunCommand(("git", "add", "--", tc.output), runner=lambda argv: git.run(argv[1:]),
                            cwd=ctx.repo))


def _remove_fragments(ctx: Context, rendered: Rendered, plan: Plan) -> None:
    git = ctx.git
    tracked = set(git.run(["ls-files", "--", *rendered.files]).splitlines())
    tracked_files = [path for path in rendered.files if path in tracked]
    if tracked_files:
        plan.add(RunCommand(("git", "rm", "--quiet", "--force", "--", *tracked_files),
                            runner=lambda argv: git.run(argv[1:]), cwd=ctx.repo,
                            note="consume the fragments, as towncrier does"))
    for path in rendered.files:
        if path not in tracked:
            plan.add(DeleteFile(ctx.repo, path))


def _patch_actions(ctx: Context, version: ReleaseVersion, notes: str, pyproject: str,
                   plan: Plan) -> None:
    if (ctx.repo / notes).exists():
        return
    previous = version.previous_release(ctx.git.tags(), ctx.config.tag_format)
    if previous is None:
        raise PreconditionError(f"no release tag older than {version} to name in the notes",
                                hint=f"fetch the tags: git fetch {ctx.config.upstream_remote} --tags")
    python = python_range(pyproject)
    if python is None:
        raise PreconditionError(f"{ctx.config.pyproject} has no `Programming Language :: Python :: "
                                "3.N` classifiers to take the Python range from",
                                hint="add the classifiers")
    plan.add(WriteFile(ctx.repo, notes, patch_skeleton(
        project=ctx.config.project, package=ctx.config.package, version=str(version),
        previous=str(previous), python=python)))


def _index_action(ctx: Context, version: ReleaseVersion, notes: str, plan: Plan) -> None:
    index = ctx.config.release_index
    path = ctx.repo / index
    if not path.is_file():
        raise PreconditionError(f"the release-notes index {index} does not exist",
                                hint="check release_index in [tool.release]")
    text = path.read_text(encoding="utf-8")
    updated = add_entry(text, version.base, entry_target(index, notes), where=index)
    if updated != text:
        plan.add(WriteFile(ctx.repo, index, updated))


def _verify_feature(ctx: Context, tc: Towncrier, rendered: Rendered) -> None:
    written = (ctx.repo / tc.output).read_text(encoding="utf-8")
    left = [path for path in rendered.files if (ctx.repo / path).exists()]
    if written != rendered.file_text or left:
        raise VerificationError(f"{tc.output} differs from the rendering or fragments remain "
                                f"({', '.join(left) or 'content'})", hint="look at git status")
