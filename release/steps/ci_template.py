"""Write the workflow that rehearses the next release of every maintenance branch on each push,
every night and by hand, calling this toolkit's reusable workflow.

Read-only towards GitHub: the file is written into the checkout for the user to review and commit.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass

from release.context import Context
from release.errors import UsageError
from release.plan import Plan, WriteFile
from release.rehearsal.ci import caller_workflow
from release.steps import Step

STEP = Step(name="ci-template", order=175, journaled=False, read_only=False,
            summary="Write the workflow that rehearses each maintenance branch's next release",
            status=None, resume=None)


@dataclass(frozen=True)
class CiTemplateOptions:
    """The options argparse parsed for this step."""

    cron: str
    output: str
    strict: bool
    uses: str


DEFAULT_PATH = ".github/workflows/rehearse-release.yml"
_USES = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+)@(?P<ref>[\w./-]+)$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--uses", metavar="OWNER/REPO@REF", required=True,
                        help="where this toolkit's repository lives and which tag or branch of it "
                             "to run (its .github/workflows/rehearse.yml and action.yml)")
    parser.add_argument("--output", metavar="FILE", default=DEFAULT_PATH,
                        help=f"the workflow file, relative to the repository (default: {DEFAULT_PATH}); "
                             "`-` for stdout")
    parser.add_argument("--strict", action="store_true",
                        help="fail the job on findings too, not only on a failed stage")
    parser.add_argument("--cron", default="17 4 * * *",
                        help="when the nightly rehearsal of the newest maintenance branch runs (UTC)")


def run(ctx: Context) -> int:
    opts = ctx.typed(CiTemplateOptions)
    uses = _USES.match(opts.uses)
    if uses is None:
        raise UsageError(f"--uses {opts.uses!r} is not OWNER/REPO@REF",
                         hint="e.g. --uses my-org/numpy-release-toolkit@v1")
    cfg = ctx.config
    text = caller_workflow(project=cfg.project, branch_pattern=cfg.release_branch or cfg.maintenance_branch,
                           repository=uses["repo"], ref=uses["ref"], strict=opts.strict,
                           cron=opts.cron)
    output = opts.output
    if output == "-":
        ctx.out.write(text)
        return 0
    target = ctx.repo / output
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        ctx.say(f"{output} is up to date: nothing to do")
        return 0
    ctx.execute(Plan(f"the rehearsal workflow in {output}", [WriteFile(ctx.repo, output, text)]))
    if not ctx.dry_run:
        ctx.say(f"wrote {output}; review it, commit it and push it to the default branch")
    return 0
