"""The project's own commands (its test suite), run as argument lists in a given directory; the
output is kept for the report, never shown while it runs."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from release.errors import ServiceError


@dataclass(frozen=True)
class Completed:
    argv: tuple[str, ...]
    code: int
    output: str

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.output.rstrip().splitlines()[-lines:])


def run_command(argv: Sequence[str], cwd: Path, env: Mapping[str, str], timeout: float) -> Completed:
    try:
        done = subprocess.run(list(argv), cwd=cwd, env=dict(env), capture_output=True,  # noqa: S603
                              text=True, check=False, timeout=timeout, errors="replace")
    except FileNotFoundError:
        raise ServiceError(f"{argv[0]} is not installed (the test command {' '.join(argv)})",
                           hint="install it, or set [tool.release] test_command / --test-command") from None
    except subprocess.TimeoutExpired:
        raise ServiceError(f"{' '.join(argv)} ran longer than {timeout:.0f} s",
                           hint="pass --timeout with more minutes") from None
    return Completed(tuple(argv), done.returncode, (done.stdout or "") + (done.stderr or ""))
