"""Argument helpers shared by the steps."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from release.context import Context


def add_version(parser: argparse.ArgumentParser, *, optional: bool = False) -> None:
    parser.add_argument(
        "version",
        nargs="?" if optional else None,
        help="the release version, e.g. 2.4.0, 2.4.0rc1 (a leading v is accepted)",
    )


def add_push_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--push", action="store_true", help=f"push {what} (never done without it)")


def add_pull_request_options(parser: argparse.ArgumentParser, *, direct: str = "") -> None:
    """`--fork-owner` and `--no-pr` for steps that open a pull request; `--direct` where the
    work may instead be committed on the target branch itself (`direct` says which)."""
    parser.add_argument("--fork-owner", metavar="LOGIN",
                        help="the GitHub login owning the fork remote (default: [tool.release.github] "
                             "fork_owner, else read from the remote's URL)")
    parser.add_argument("--no-pr", action="store_true",
                        help="with --push: push the branch only; open the pull request by hand")
    if direct:
        parser.add_argument("--direct", action="store_true", help=direct)


def option_path(ctx: Context, option: str, configured: str) -> Path:
    """A path option (the CLI has made it relative to where the user is), else the configured
    value (relative to the project)."""
    given = ctx.option(option)
    if given:
        return Path(given).resolve()
    return (ctx.repo / configured).expanduser().resolve()
