"""Argument helpers shared by the steps."""

from __future__ import annotations

import argparse


def add_version(parser: argparse.ArgumentParser, *, optional: bool = False) -> None:
    parser.add_argument(
        "version",
        nargs="?" if optional else None,
        help="the release version, e.g. 2.4.0, 2.4.0rc1 (a leading v is accepted)",
    )


def add_push(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--push", action="store_true", help=f"push {what} (never done without it)")
