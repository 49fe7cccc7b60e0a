"""The release PR: changelog, notes, `.mailmap` and version in one `REL: Prepare for ...` commit.

It starts on the maintenance branch and commits on a new `prepare-X.Y.Z` branch; `--push` pushes
that branch to the fork remote and opens the pull request against the maintenance branch. The
changelog, notes and `.mailmap` come from the same code as their own steps. A rerun on the
branch commits only what changed (nothing, when nothing did) and reuses the open pull request.

With `rel_commit = "direct"` (SciPy) the REL commit sets the version only and goes straight onto
the maintenance branch (`--push`: to upstream); the notes were merged before, in their own PRs.
"""

from __future__ import annotations

import argparse
import dataclasses
import posixpath
from dataclasses import dataclass

from release.changelog.compute import changelog_range, compute
from release.context import Context
from release.errors import PreconditionError, UsageError
from release.identities.mailmap import insert_lines
from release.identities.propose import propose
from release.notes.changes import NotesChanges
from release.notes.changes import changes as changes_for_notes
from release.notes.merge import append_changelog, incorporate_towncrier
from release.plan import Plan, WriteFile
from release.profiles.versions import before_release
from release.repo.branch_commit import (
    CommitSpec,
    FileChange,
    add_commit,
    git_command,
    local_branch,
    run_work_plan,
    unpushed_note,
)
from release.repo.preconditions import require_branch, require_clean, require_remote, require_up_to_date
from release.repo.pull_request import add_publish
from release.repo.pyproject_file import read_version, set_version
from release.repo.revision_range import resolve
from release.status import looks
from release.steps import Look, Rechecks, Step
from release.steps.common import add_pull_request_options, add_push_option, add_version
from release.templating import render
from release.version import ReleaseVersion


def recheck(rechecks: Rechecks, argv: tuple[str, ...]) -> str | None:
    """A resumed rehearsal's look: the prepare-X.Y.Z branch on the fork remote is the local one."""
    cfg, git = rechecks.config, rechecks.git
    branch = f"prepare-{ReleaseVersion.parse(argv[1])}"
    if not git.has_ref(f"refs/heads/{branch}"):
        return f"there is no branch {branch}"
    tips = [ref.sha for ref in git.remote_refs(cfg.fork_remote, f"refs/heads/{branch}")]
    if tips != [git.rev_parse(f"refs/heads/{branch}")]:
        return f"{cfg.fork_remote} lacks {branch} as committed"
    return None


STEP = Step(name="prepare", order=70, journaled=True, read_only=False,
            summary="Make the REL commit on a branch and open the release PR",
            status=Look(row="release PR merged", order=1, find=looks.release_pr), resume=recheck)


@dataclass(frozen=True)
class PrepareOptions:
    """The options argparse parsed for this step."""

    mailmap: bool
    offline: bool
    push: bool


COMMIT_TEMPLATE = "commit-prepare.txt.j2"
PR_TEMPLATE = "prepare-pr.md.j2"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    add_push_option(parser, "the prepare-X.Y.Z branch to the fork remote and open the pull request")
    parser.add_argument("--mailmap", action="store_true",
                        help="also add the .mailmap lines the mailmap step proposes")
    parser.add_argument("--offline", action="store_true",
                        help="pull-request titles from git, not GitHub (passed to the changelog)")
    add_pull_request_options(parser)


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; it has no release PR",
                         hint="give the release version, e.g. 2.4.0 or 2.4.0rc1")
    if ctx.config.rel_commit == "direct":
        return run_direct(ctx, version)
    where = Where.find(ctx, version)
    if ctx.typed(PrepareOptions).mailmap and not ctx.dry_run:
        mailmap = mailmap_change(ctx, version)
        build_plan(ctx, version, where, mailmap)  # every check before the first write
        if mailmap is not None and where.new_branch:
            first = Plan(f"{where.branch} from {where.base}, with the proposed .mailmap lines")
            first.add(git_command(ctx.git, ctx.repo, "checkout", "--quiet", "-b", where.branch))
            first.add(WriteFile(ctx.repo, ctx.config.mailmap, str(mailmap.content)))
            ctx.execute(first)
            where = dataclasses.replace(where, new_branch=False)
        elif mailmap is not None:
            ctx.execute(Plan(".mailmap").add(WriteFile(ctx.repo, ctx.config.mailmap,
                                                       str(mailmap.content))))
        plan = build_plan(ctx, version, where, mailmap)
    else:
        mailmap = mailmap_change(ctx, version) if ctx.typed(PrepareOptions).mailmap else None
        plan = build_plan(ctx, version, where, mailmap)
        if mailmap is not None:
            plan.notes.append("the changelog above is computed with the current .mailmap; it is "
                              "recomputed after the new lines are written")
    return run_work_plan(ctx, plan, where.branch,
                         f"{where.branch} already holds the release PR for {version}; nothing to do")


def run_direct(ctx: Context, version: ReleaseVersion) -> int:
    """The version-only REL commit on the maintenance branch itself."""
    cfg, git = ctx.config, ctx.git
    base = version.format(cfg.release_branch or cfg.maintenance_branch)
    if ctx.typed(PrepareOptions).mailmap:
        raise UsageError("--mailmap has no place in a version-only REL commit",
                         hint="write the .mailmap lines with `mailmap --write` and merge them first")
    require_clean(git)
    start = require_branch(git, base)
    require_remote(git, cfg.upstream_remote, "upstream_remote")
    require_up_to_date(git, cfg.upstream_remote, base, start)
    pyproject = git.show_file("HEAD", cfg.pyproject) or ""
    found = read_version(pyproject, cfg.pyproject)
    plan = Plan(f"REL commit for {cfg.project} {version} on {base}")
    committed = found != str(version)
    if committed:
        if not before_release(found, version):
            raise PreconditionError(f"{cfg.pyproject} says {found}, which does not come before "
                                    f"{version}", hint="check the version, or reset the branch first")
        spec = CommitSpec(branch=base, start=start, message_template="commit-rel.txt.j2",
                          values={"project": cfg.project, "version": str(version)},
                          changes=(FileChange(cfg.pyproject, set_version(pyproject, str(version),
                                                                         cfg.pyproject), "Update"),),
                          skip_ci="", new_branch=False, search=ctx.template_search())
        add_commit(plan, ctx, spec)
    if ctx.typed(PrepareOptions).push:
        add_publish(plan, ctx, work=base, base=base, direct=True, committed=committed, message=None)
    elif committed:
        plan.notes.append(unpushed_note(ctx, base, direct=True))
    return run_work_plan(ctx, plan, base, f"{base} already says {version}; nothing to do")


@dataclasses.dataclass(frozen=True)
class Where:
    """The maintenance branch, the PR branch, and whether the PR branch is still to be made."""

    base: str
    branch: str
    start: str
    new_branch: bool

    @classmethod
    def find(cls, ctx: Context, version: ReleaseVersion) -> Where:
        cfg, git = ctx.config, ctx.git
        base = version.format(cfg.release_branch or cfg.maintenance_branch)
        branch = f"{cfg.github.pr_branch_prefix}prepare-{version}"
        require_clean(git)
        if git.current_branch() == branch:
            return cls(base, branch, git.head(), False)
        start = require_branch(git, base,
                               hint=f"git checkout {base} (or {branch} to continue the release PR)")
        if local_branch(git, branch) is not None:
            raise PreconditionError(f"branch {branch} exists already",
                                    hint=f"continue on it (git checkout {branch}) or delete it")
        require_remote(git, cfg.upstream_remote, "upstream_remote")
        require_up_to_date(git, cfg.upstream_remote, base, start)
        return cls(base, branch, start, True)


def build_plan(ctx: Context, version: ReleaseVersion, where: Where,
               mailmap: FileChange | None) -> Plan:
    cfg = ctx.config
    changelog_path = ctx.path(cfg.changelog, version)
    changelog = changelog_text(ctx, version)
    changes = [FileChange(changelog_path, changelog, _verb(ctx, changelog_path),
                          posixpath.basename(changelog_path) + ".")]
    changes += notes_changes(ctx, version, changelog)
    if mailmap is not None:
        changes.append(mailmap)
    pyproject = (ctx.repo / cfg.pyproject).read_text(encoding="utf-8")
    changes.append(FileChange(cfg.pyproject, set_version(pyproject, str(version), cfg.pyproject),
                              "Update"))
    changes = [c for c in changes if ctx.git.show_file("HEAD", c.path) != c.content]
    plan = Plan(f"release PR for {cfg.project} {version} on {where.branch}")
    message = ""
    if changes:
        spec = CommitSpec(branch=where.branch, start=where.start, message_template=COMMIT_TEMPLATE,
                          values={"project": cfg.project, "version": str(version)},
                          changes=tuple(changes), skip_ci="", new_branch=where.new_branch)
        add_commit(plan, ctx, spec)
        message = spec.message
    elif where.new_branch:
        raise PreconditionError(f"{where.base} already holds every release file for {version}",
                                hint="nothing to prepare; go on with the wheels and the tag")
    if ctx.typed(PrepareOptions).push:
        _push(ctx, plan, version, where, message, pushed=not changes)
    elif changes:
        plan.notes.append(unpushed_note(ctx, where.branch, direct=False))
    return plan


def _verb(ctx: Context, path: str) -> str:
    return "Update" if ctx.git.show_file("HEAD", path) is not None else "Create"


def changelog_text(ctx: Context, version: ReleaseVersion) -> str:
    """The changelog exactly as the changelog step writes it."""
    span = changelog_range(ctx.git, ctx.config, version)
    result = compute(ctx.git, ctx.config, span, version, say=ctx.say,
                     github=None if ctx.typed(PrepareOptions).offline else ctx.github)
    ctx.say(f"changelog for {span}: {result.people.total} contributors, "
            f"{len(result.titles)} pull requests")
    return result.text


def notes_changes(ctx: Context, version: ReleaseVersion, changelog: str) -> list[FileChange]:
    """The notes step's changes as file changes; towncrier's text goes into the notes file itself
    when its own output file is ignored by git (else the fragments would vanish from the commit);
    a patch release's notes get the changelog appended."""
    cfg = ctx.config
    found = changes_for_notes(ctx.repo, ctx.git, cfg, version, ctx.path(cfg.notes, version),
                              ctx.say)
    notes_path, tc = found.notes, found.towncrier
    changes: dict[str, FileChange] = {}
    towncrier_text: str | None = None
    for path, content in _file_effects(found):
        if path == tc.output and found.output_ignored:
            towncrier_text = content
            continue
        verb = "" if content is None else _verb(ctx, path)
        changes[path] = FileChange(path, content, verb)
    notes_text = _notes_now(ctx, changes, notes_path)
    if towncrier_text is not None:
        merged = incorporate_towncrier(notes_text, towncrier_text, posixpath.basename(tc.output))
        if merged is None:
            raise PreconditionError(
                f"{notes_path} has no `.. include:: {posixpath.basename(tc.output)}` for the "
                "fragments' text",
                hint="put the include line back where the fragments' sections belong")
        notes_text = merged
        for path, change in list(changes.items()):
            if change.content is None:
                changes[path] = FileChange(path, None, "Run", "towncrier to incorporate fragments")
    if version.is_patch:
        notes_text = append_changelog(notes_text, changelog)
    changes[notes_path] = FileChange(notes_path, notes_text, _verb(ctx, notes_path),
                                     posixpath.basename(notes_path) + ".")
    ordered = [changes.pop(notes_path)]
    return ordered + [c for c in changes.values() if c.content is None] + [
        c for c in changes.values() if c.content is not None]


def _notes_now(ctx: Context, changes: dict[str, FileChange], notes_path: str) -> str:
    planned = changes.get(notes_path)
    if planned is not None and planned.content is not None:
        return planned.content
    path = ctx.repo / notes_path
    if not path.is_file():
        raise PreconditionError(f"the notes {notes_path} do not exist",
                                hint="the notes step creates them: nox -s notes -- VERSION")
    return path.read_text(encoding="utf-8")


def _file_effects(found: NotesChanges) -> list[tuple[str, str | None]]:
    """(path, new text or None for removed) for each file the notes change, in the notes
    step's order."""
    effects: list[tuple[str, str | None]] = []
    if found.skeleton is not None:
        effects.append((found.notes, found.skeleton))
    if found.rendered is not None:
        effects.append((found.towncrier.output, found.rendered.file_text))
        effects += [(path, None) for path in found.tracked_fragments]
        effects += [(path, None) for path in found.rendered.files
                    if path not in found.tracked_fragments]
    if found.index is not None:
        effects.append(found.index)
    return effects


def mailmap_change(ctx: Context, version: ReleaseVersion) -> FileChange | None:
    """The `.mailmap` with the mailmap step's proposed lines added, or None if it proposes none."""
    span = resolve(ctx.git, ctx.config, version)
    found = propose(ctx.git, ctx.repo, ctx.config, span, say=ctx.say,
                    github=None if ctx.typed(PrepareOptions).offline else ctx.github)
    if not found.lines:
        ctx.say(f"mailmap: no lines to add for {span}")
        return None
    found.state.require_wellformed()
    new_text = insert_lines(found.state.text, found.lines)
    ctx.say(f"mailmap: adding {len(found.lines)} line(s)")
    return FileChange(ctx.config.mailmap, new_text, "Update",
                      posixpath.basename(ctx.config.mailmap) + ".")


def _push(ctx: Context, plan: Plan, version: ReleaseVersion, where: Where, message: str, *,
          pushed: bool) -> None:
    """The branch to the fork remote and the pull request, its body from the PR template."""
    cfg = ctx.config

    def pr_body(_title: str, body: str) -> str:
        items = [line[2:] for line in body.strip().splitlines() if line.startswith("- ")]
        return render(PR_TEMPLATE, project=cfg.project, version=str(version), items=items,
                      base=where.base, tag=version.tag(cfg.tag_format))

    add_publish(plan, ctx, work=where.branch, base=where.base, direct=False, committed=not pushed,
                message=message or None, pr_body=pr_body)
