"""Before the day: what each step will need and whether it is there. The GitHub token (its kind,
its scopes, or a fine-grained token's permissions with --probe), write access and forks on each
repository, a gpg key that can sign, pandoc, the SMTP login (nothing sent), the index credentials.
Read-only; secrets are never shown, only whether they work."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from release.assistants.doctor_read import collect
from release.checks.result import failed, for_table, table, worst
from release.context import Context
from release.steps import Step
from release.steps.common import add_version

STEP = Step(name="doctor", order=5, journaled=False, read_only=True,
            summary="Check the token, access, gpg, pandoc, SMTP and index credentials each step needs",
            status=None, resume=None)


@dataclass(frozen=True)
class DoctorOptions:
    """The options argparse parsed for this step."""

    offline: bool
    probe: bool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser, optional=True)
    parser.add_argument("--probe", action="store_true",
                        help="learn a fine-grained token's write permissions from writes GitHub must "
                             "refuse (a dispatch of workflow 0, a ref named refs/heads/): nothing is made")
    parser.add_argument("--offline", action="store_true", help="do not ask GitHub")


def run(ctx: Context) -> int:
    opts = ctx.typed(DoctorOptions)
    rows = collect(ctx, probe_writes=opts.probe, offline=opts.offline)
    ctx.out.write(table(for_table(rows), f"What the release steps of {ctx.config.project} need: "
                                         f"{worst(rows).value}"))
    return 1 if failed(rows) else 0
