"""GitHub's rule for pushes, kept by the rehearsal's bare repositories: a push that brings commits
changing `.github/workflows/` is refused unless the token may write workflows.

The rule is a `pre-receive` hook (git's own machinery), so a refused push fails the way it fails on
GitHub: `! [remote rejected]`, with GitHub's reason on a `remote:` line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from release.fakes.github_tokens import Token

_HOOK = '''#!{python}
"""GitHub's workflow rule for pushes (written by the release rehearsal's stand-ins)."""
import subprocess
import sys

ALLOWED = {allowed}
ZERO = "0" * 40


def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


for line in sys.stdin:
    old, new, ref = line.split()
    if ALLOWED or new == ZERO:
        continue
    for commit in git("rev-list", new, "--not", "--all").split():
        for path in git("diff-tree", "--no-commit-id", "--name-only", "-r", "--root", commit).split():
            if path.startswith(".github/workflows/"):
                print("refusing to allow a Personal Access Token to create or update workflow "
                      f"`{{path}}` without `workflow` scope")
                sys.exit(1)
'''


def install(bare: Path, token: Token) -> None:
    """Give the bare repository GitHub's workflow rule for pushes made with `token`."""
    hook = bare / "hooks" / "pre-receive"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(_HOOK.format(python=sys.executable, allowed=token.allows("workflows", "write")),
                    encoding="utf-8")
    hook.chmod(0o755)
