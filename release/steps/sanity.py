"""The sanity check before the tag: the branch up to date with upstream, no changes to tracked
files, what `git clean -xdfq` would delete (deleted only with --clean), then the submodules and the
project's full test run in a scratch clone of the release commit; the user's tree stays as it was."""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass

from rich.markup import escape

from release.assistants.sanity import (
    clean_row,
    scratch,
    submodules,
    tests,
    tracked_changes,
    up_to_date,
    would_clean,
)
from release.checks.result import CheckResult, failed, table, worst
from release.context import Context
from release.errors import PreconditionError, UsageError
from release.output import invocation
from release.steps import Step
from release.steps.common import add_version

STEP = Step(name="sanity", order=85, journaled=False, read_only=False,
            summary="Sanity check: branch, clean tree, submodules and the full tests in a scratch clone",
            status=None, resume=None)


@dataclass(frozen=True)
class SanityOptions:
    """The options argparse parsed for this step."""

    clean: bool
    keep: bool
    no_tests: bool
    ref: str | None
    test_command: str | None
    timeout: float


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    parser.add_argument("--ref", metavar="REV", help="the release commit (default: the release tag "
                                                     "if it exists, else the maintenance branch)")
    parser.add_argument("--test-command", metavar="COMMAND",
                        help="the project's full test run (default: [tool.release] test_command, "
                             "NumPy's python -m spin test -m full)")
    parser.add_argument("--no-tests", action="store_true", help="skip the test run")
    parser.add_argument("--clean", action="store_true",
                        help="delete what git clean -xdfq would delete in your work tree")
    parser.add_argument("--keep", action="store_true", help="leave the scratch clone in place")
    parser.add_argument("--timeout", type=float, default=240.0, metavar="MINUTES",
                        help="give up the test run after this long (default 240)")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; check a release",
                         hint=f"nox -s sanity -- {version.base}")
    cfg = ctx.config
    branch = version.maintenance_branch(cfg.maintenance_branch)
    commit = _release_commit(ctx, ctx.typed(SanityOptions).ref, version.tag(cfg.tag_format), branch)
    rows: list[CheckResult] = [up_to_date(ctx.git, branch, f"{cfg.upstream_remote}/{branch}"),
                               tracked_changes(ctx.git)]
    paths = would_clean(ctx.git)
    if ctx.typed(SanityOptions).clean and paths and not ctx.dry_run:
        ctx.git.run(["clean", "-xdfq"])
        ctx.applied.append(f"git clean -xdfq ({len(paths)} deleted)")
    rows.append(clean_row(paths, bool(ctx.typed(SanityOptions).clean) and not ctx.dry_run, str(version)))
    given = ctx.typed(SanityOptions).test_command
    argv = shlex.split(given) if given else list(cfg.test_command)
    ctx.say(f"scratch clone of {ctx.repo} at {commit[:12]}")
    with scratch(ctx.repo, commit, bool(ctx.typed(SanityOptions).keep)) as clone:
        rows.append(submodules(clone))
        if ctx.typed(SanityOptions).no_tests:
            rows.append(CheckResult.warn("sanity", "tests", "not run (--no-tests)",
                                         invocation.command("sanity", version)))
        else:
            ctx.say(f"running {' '.join(argv)} in {clone.root}")
            rows.append(tests(clone, argv, ctx.env, float(ctx.typed(SanityOptions).timeout) * 60))
        if ctx.typed(SanityOptions).keep:
            ctx.say(f"the scratch clone stays in {clone.root}")
    shown = [CheckResult(r.area, r.name, r.status, escape(r.detail), escape(r.fix)) for r in rows]
    ctx.out.write(table(shown, f"Sanity check of {cfg.project} {version} at {commit[:12]}: "
                               f"{worst(rows).value}"))
    return 1 if failed(rows) else 0


def _release_commit(ctx: Context, given: str | None, tag: str, branch: str) -> str:
    upstream = f"{ctx.config.upstream_remote}/{branch}"
    candidates = [given] if given else [f"refs/tags/{tag}", upstream, branch]
    for ref in candidates:
        if ref and ctx.git.has_ref(ref):
            return ctx.git.rev_parse(ref)
    raise PreconditionError(f"none of {', '.join(c for c in candidates if c)} is in {ctx.repo}",
                            hint="pass --ref REV, or git fetch upstream")
