"""The release repository (numpy/numpy-release) before the wheels are built: SOURCE_REF_TO_BUILD,
the dispatch input, the cibuildwheel and OpenBLAS pins, the Python list and the platforms.
Read-only; each row that does not pass names its fix (a change in that repository)."""

from __future__ import annotations

import argparse
from pathlib import Path

from release.assistants.wheels_repo_read import DEFAULT_INDEX, collect, where
from release.checks.result import failed, for_table, table, worst
from release.context import Context
from release.errors import UsageError
from release.steps import Step
from release.steps.common import add_version

STEP = Step(name="wheels-repo", order=26, journaled=False, read_only=True,
            summary="Check the release repository the wheels are built from",
            status=None, resume=None)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    add_source_options(parser)
    parser.add_argument("--offline", action="store_true",
                        help="do not ask the package index for the newest pins")


def add_source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--checkout", type=Path, metavar="PATH",
                        help="a local clone of the release repository to read (default: read it "
                             "through the GitHub API)")
    parser.add_argument("--workflow-repo", metavar="OWNER/NAME",
                        help="the release repository (default: [tool.release.wheels] workflow_repo)")
    parser.add_argument("--workflow-ref", metavar="BRANCH",
                        help="the branch the wheels are built from (default: workflow_ref, else "
                             "the maintenance branch)")
    parser.add_argument("--previous-ref", metavar="BRANCH",
                        help="the branch to compare the pins with (default: the previous "
                             "series' maintenance branch)")
    parser.add_argument("--index-url", metavar="URL",
                        help=f"the index for the newest cibuildwheel and OpenBLAS (default {DEFAULT_INDEX})")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; check a release",
                         hint=f"nox -s wheels-repo -- {version.base}")
    spot = where(ctx, version)
    ctx.say(f"reading {spot.ref} of {spot.repo}"
            + (f" in {spot.checkout}" if spot.checkout else " through the GitHub API")
            + (f", compared with {spot.previous_ref}" if spot.previous_ref else ""))
    rows = collect(ctx, version)
    ctx.note(*rows)
    ctx.out.write(table(for_table(rows), f"Release repository {spot.repo} ({spot.ref}) for "
                              f"{ctx.config.project} {version}: {worst(rows).value}"))
    return 1 if failed(rows) else 0
