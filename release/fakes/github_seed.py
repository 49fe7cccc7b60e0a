"""What GitHub knows about the example project, and a way to serve the fake from the command line.

`python -m release.fakes.github_seed --example` starts a FakeGitHub seeded with `example/tinynum`
(the pull requests and people of `release.fakes.example`) plus `example/tinynum-release`, prints
the environment to point the toolkit at it, and serves until interrupted. `--seed FILE` adds data
in `FakeGitHub.seed`'s JSON form (artifact files as text). The accepted token is read from the
environment variable named by `--token-env`, so it never appears on a command line; without it any
token is accepted.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from release.fakes.example_files import GITHUB
from release.fakes.github import FakeGitHub

EXAMPLE_REPO = GITHUB  # the github_repo of the example project's [tool.release]
EXAMPLE_RELEASE_REPO = "example/tinynum-release"

EXAMPLE_USERS = (
    ("alice-m", "Alice Maintainer"),
    ("bob-builder", "Bob Builder"),
    ("chandra-dev", "Chandra Dev"),
    ("dana-n", "Dana Newcomer"),
    ("erin", None),
    ("frank-fixer", "Frank Fixer"),
)

# (number, title, author login, head branch, base branch): the example history's merges and squashes
EXAMPLE_PULLS = (
    (2, "ENH: add tinynum.sum", "bob-builder", "bob:add-sum", "main"),
    (3, "BUG: fix overflow in tinynum.prod", "chandra-dev", "chandra:prod-overflow", "main"),
    (4, "BEG: Begin tinynum 1.2.0 development", "alice-m", "alice:begin-1.2.0", "main"),
    (5, "ENH: add tinynum.mean", "bob-builder", "bob:mean", "main"),
    (6, "DOC: explain broadcasting rules", "dana-n", "dana-n:broadcasting-doc", "main"),
    (7, "BUG: handle empty input in ``mean``", "erin", "erin:empty-mean", "main"),
    (8, "ENH: add TinyArray_Mean to the C API", "chandra-dev", "chandra:capi-mean", "main"),
    (9, "MAINT: speed up total()", "bob-builder", "bob:faster-total", "main"),
    (10, "BUG: guard total() against None", "alice-m", "alice:guard-total", "main"),
    (11, "BEG: Begin tinynum 1.3.0 development", "alice-m", "alice:begin-1.3.0", "main"),
    (12, "BUG: fix mean of ints", "dana-n", "dana-n:mean-ints", "main"),
    (13, "BUG: fix mean of ints (#12)", "alice-m", "alice:backport-12", "maintenance/1.2.x"),
    (14, "BUG: guard total() against None (#10)", "alice-m", "alice:backport-10", "maintenance/1.1.x"),
)

# Labels as NumPy uses them: #12 was marked for backporting (and #13 backports it).
EXAMPLE_LABELS = {12: ("00 - Bug", "09 - Backport-Candidate")}


def example_seed() -> dict[str, Any]:
    """`FakeGitHub.seed` data for the example project (its wheel workflow is left to callers)."""
    pulls = [{"number": n, "title": title, "user": login, "head": head, "base": base,
              "labels": EXAMPLE_LABELS.get(n, ())}
             for n, title, login, head, base in EXAMPLE_PULLS]
    return {
        "users": [{"login": login, "name": name} for login, name in EXAMPLE_USERS],
        "repos": [
            {"full_name": EXAMPLE_REPO, "default_branch": "main", "pulls": pulls,
             "refs": {"heads/maintenance/1.1.x": "1" * 40, "heads/maintenance/1.2.x": "2" * 40}},
            {"full_name": EXAMPLE_RELEASE_REPO, "default_branch": "main",
             "refs": {"heads/maintenance/1.2.x": "3" * 40}},
        ],
    }


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m release.fakes.github_seed",
                                     description="Serve a fake GitHub on 127.0.0.1.")
    parser.add_argument("--example", action="store_true", help="seed the example project")
    parser.add_argument("--seed", type=Path, action="append", default=[], help="JSON seed file")
    parser.add_argument("--token-env", default="", help="env var holding the one accepted token")
    parser.add_argument("--run-polls", type=int, default=2, help="polls before a run completes")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    tokens = None
    if args.token_env:
        token = os.environ.get(args.token_env, "")
        if not token:
            print(f"error: {args.token_env} is not set", file=sys.stderr)
            return 2
        tokens = {token: "write"}
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with FakeGitHub(tokens=tokens, run_polls=args.run_polls) as gh:
        if args.example:
            gh.seed(example_seed())
        for path in args.seed:
            gh.seed(json.loads(path.read_text(encoding="utf-8")))
        print(f"GITHUB_API_URL={gh.api_url}\nGITHUB_GRAPHQL_URL={gh.graphql_url}", flush=True)
        try:
            while not stop.wait(0.2):
                pass
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
