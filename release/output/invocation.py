"""How the user runs the toolkit: the way it was started, so that help and hints name commands
the same way, and the terminal it writes to, so that tables fit it and colour follows it.

`nox -s tag -- 2.4.0`, `numpy-release tag 2.4.0` and `python -m release tag 2.4.0` run the same
step; a hint that names another way than the one typed sends the user to look it up. The CLI sets
the way once, from how it was started; every hint builds its command with `command()`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

NOX, SCRIPT, MODULE = "nox", "numpy-release", "python -m release"
_way = MODULE
PIPE_WIDTH = 160  # tables written to a file or a pipe: wide enough to keep rows on one line


@dataclass(frozen=True)
class Terminal:
    """Where tables go: its width, and whether it takes colour (rich's detection of the stream,
    with NO_COLOR and FORCE_COLOR honoured)."""

    width: int = PIPE_WIDTH
    colour: bool = False


_terminal = Terminal()


def use_terminal(stream: TextIO, env: Mapping[str, str]) -> None:
    global _terminal
    _terminal = terminal_for(stream, env)


def terminal_for(stream: TextIO, env: Mapping[str, str]) -> Terminal:
    from rich.console import Console

    probe = Console(file=stream, _environ=dict(env))
    is_tty = probe.is_terminal
    width = probe.width if is_tty else int(env["COLUMNS"]) if env.get("COLUMNS", "").isdigit() \
        else PIPE_WIDTH
    colour = probe.color_system is not None and not env.get("NO_COLOR")
    return Terminal(max(width, 40), colour)


def render(renderable: object) -> str:
    """A rich table (or any renderable) as text for the current terminal: cells wrap to fit its
    width, rows never break; styles only where colour is wanted."""
    import io

    from rich.console import Console

    console = Console(width=_terminal.width, record=True, force_terminal=_terminal.colour,
                      color_system="standard" if _terminal.colour else None, file=io.StringIO(),
                      _environ={})
    console.print(renderable)
    if _terminal.colour:
        return console.export_text(styles=True)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


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
