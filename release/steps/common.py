"""Argument helpers shared by the steps."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from release.context import Context
from release.version import ReleaseVersion


def add_version(parser: argparse.ArgumentParser, *, optional: bool = False) -> None:
    parser.add_argument(
        "version",
        nargs="?" if optional else None,
        type=ReleaseVersion.parse,  # parsed once, here; a bad one is a usage error
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


def option_path(ctx: Context, given: Path | None, configured: str) -> Path:
    """A path option (the CLI has made it relative to where the user is), else the configured
    value (relative to the project)."""
    if given:
        return Path(given).resolve()
    return (ctx.repo / configured).expanduser().resolve()


# Exit codes of the read-only steps that answer "is it done?" (status, check), documented in the
# README: 0 yes; 1 a check failed; 3 a step is not done yet; 4 a place could not be looked at.
NOT_DONE = 3
COULD_NOT_LOOK = 4

JSON_SCHEMA_VERSION = 1


def add_json_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--json", action="store_true",
                        help=f"print {what} as one JSON document on stdout (shape: README, "
                             f"`schema_version` {JSON_SCHEMA_VERSION}) instead of the table")


def write_json(ctx: Context, kind: str, data: dict[str, Any]) -> None:
    """One JSON document on stdout: `kind` and `schema_version` first, so a script can tell the
    shape before it reads the rest."""
    document = {"kind": kind, "schema_version": JSON_SCHEMA_VERSION, **data}
    ctx.out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
