"""Release notes: towncrier's output from the fragments (X.Y.0 and its rcs) or the hand-written
patch notes' skeleton (X.Y.Z), plus the entry in the release-notes index. Under
`credits = "authors"` (SciPy) the notes are hand-written and this fills in their Authors list."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from release.changelog.authors import authors
from release.changelog.milestone import render_lists
from release.context import Context
from release.errors import VerificationError
from release.notes.authors_section import fill_authors, fill_lists
from release.notes.changes import NotesChanges, hand_written
from release.notes.changes import changes as notes_changes
from release.notes.fragments import Rendered, Towncrier
from release.plan import DeleteFile, Plan, RunCommand, WriteFile
from release.repo.revision_range import resolve
from release.services.github_milestones import milestone_lists
from release.steps import Step
from release.steps.common import add_version
from release.version import ReleaseVersion

STEP = Step(name="notes", order=50, journaled=False, read_only=False,
            summary="Build the release notes from the towncrier fragments",
            status=None, resume=None)


@dataclass(frozen=True)
class NotesOptions:
    """The options argparse parsed for this step."""

    offline: bool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    parser.add_argument("--offline", action="store_true",
                        help="credits = \"authors\" (SciPy): fill the Authors list only, not the "
                             "milestone's issue and pull-request lists (no token, no network)")


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
    """The notes' changes as the plan's actions."""
    if ctx.config.credits == "authors":
        return authors_plan(ctx, version)
    found = notes_changes(ctx.repo, ctx.git, ctx.config, version,
                          ctx.path(ctx.config.notes, version), ctx.say)
    plan = Plan(f"release notes for {ctx.config.project} {version}")
    plan.notes.extend(found.remarks)
    ctx.note(*found.warnings)
    if found.skeleton is not None:
        plan.add(WriteFile(ctx.repo, found.notes, found.skeleton))
    if found.rendered is not None:
        _towncrier_actions(ctx, found, found.rendered, plan)
    if found.index is not None:
        plan.add(WriteFile(ctx.repo, *found.index))
    return plan


def authors_plan(ctx: Context, version: ReleaseVersion) -> Plan:
    """Notes written by hand (SciPy): the patch skeleton when missing, the Authors list of the
    release's range filled in, the index entry."""
    cfg = ctx.config
    notes = ctx.path(cfg.notes, version)
    found = hand_written(ctx.repo, ctx.git, cfg, version, notes)
    plan = Plan(f"release notes for {cfg.project} {version}")
    span = resolve(ctx.git, cfg, version)
    mailmap = ctx.repo / cfg.mailmap
    people = authors(ctx.git, span.start, span.end,
                     mailmap.read_text(encoding="utf-8") if mailmap.is_file() else "",
                     cfg.credits_not_people)
    ctx.say(f"authors for {span}: {len(people)}")
    text = fill_authors(found.text, ctx.render("notes-authors.rst.j2", authors=people), notes)
    if not ctx.typed(NotesOptions).offline:
        lists = milestone_lists(ctx.github(), version.base)
        ctx.say(f"milestone {lists.title}: {len(lists.issues)} issues closed, "
                f"{len(lists.pulls)} pull requests")
        text = fill_lists(text, render_lists(lists, cfg.github_repo, ctx.render), lists.title, notes)
    if text != found.current:
        plan.add(WriteFile(ctx.repo, notes, text))
    if found.index is not None:
        plan.add(WriteFile(ctx.repo, *found.index))
    return plan


def _towncrier_actions(ctx: Context, found: NotesChanges, rendered: Rendered, plan: Plan) -> None:
    """towncrier's output written (and staged, as towncrier does, unless git ignores it: NumPy
    ignores notes-towncrier.rst) and the fragments it consumed removed."""
    tc, git = found.towncrier, ctx.git
    plan.add(WriteFile(ctx.repo, tc.output, rendered.file_text))
    if not found.output_ignored:
        plan.add(RunCommand(("git", "add", "--", tc.output), runner=lambda argv: git.run(argv[1:]),
                            cwd=ctx.repo))
    if found.tracked_fragments:
        plan.add(RunCommand(("git", "rm", "--quiet", "--force", "--", *found.tracked_fragments),
                            runner=lambda argv: git.run(argv[1:]), cwd=ctx.repo,
                            note="consume the fragments, as towncrier does"))
    for path in rendered.files:
        if path not in found.tracked_fragments:
            plan.add(DeleteFile(ctx.repo, path))
    plan.verify(f"{tc.output} is towncrier's rendering and every fragment is consumed",
                lambda: _verify_feature(ctx, tc, rendered))


def _verify_feature(ctx: Context, tc: Towncrier, rendered: Rendered) -> None:
    written = (ctx.repo / tc.output).read_text(encoding="utf-8")
    left = [path for path in rendered.files if (ctx.repo / path).exists()]
    if written != rendered.file_text or left:
        raise VerificationError(f"{tc.output} differs from the rendering or fragments remain "
                                f"({', '.join(left) or 'content'})", hint="look at git status")
