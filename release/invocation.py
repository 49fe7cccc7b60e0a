"""How the user runs the toolkit, so that help and hints name commands the same way.

`nox -s tag -- 2.4.0`, `numpy-release tag 2.4.0` and `python -m release tag 2.4.0` run the same
step; a hint that names another way than the one typed sends the user to look it up. The CLI sets
the way once, from how it was started; every hint builds its command with `command()`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping

NOX, SCRIPT, MODULE = "nox", "numpy-release", "python -m release"
_way = MODULE


def detect(env: Mapping[str, str], argv0: str | None = None) -> str:
    """nox's sessions say so in RELEASE_INVOKED_AS; the console script is named in argv[0]."""
    if env.get("RELEASE_INVOKED_AS") == NOX:
        return NOX
    name = os.path.basename(argv0 if argv0 is not None else sys.argv[0])
    return SCRIPT if name.removesuffix(".exe") == SCRIPT else MODULE


def use(way: str) -> None:
    global _way
    _way = way


def current() -> str:
    return _way


def prog(step: str | None = None) -> str:
    """The program name for usage lines: `numpy-release tag`, `nox -s tag --`."""
    if _way == NOX:
        return f"nox -s {step} --" if step else "nox -s STEP --"
    return f"{_way} {step}" if step else _way


def command(step: str, *args: object) -> str:
    """The command that runs `step` with `args`, spelled the way the user runs the toolkit."""
    words = [str(arg) for arg in args if str(arg)]
    if _way == NOX:
        return " ".join(["nox -s", step, *(["--", *words] if words else [])])
    return " ".join([_way, step, *words])


_NOX_COMMAND = re.compile(r"nox -s (?P<step>[a-z][a-z-]*)(?: --(?= ))?")


def respell(text: str) -> str:
    """A text that names `nox -s STEP -- ...` (the canonical spelling) in the user's way."""
    if _way == NOX:
        return text
    return _NOX_COMMAND.sub(lambda found: f"{_way} {found['step']}", text)
