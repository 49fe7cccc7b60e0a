"""The command line's manners: hints and help name the way the user runs the toolkit, every step's
help ends with examples that parse, and nox hands a step's exit code through."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from release.cli import examples, load_step, step_parser
from release.output import invocation
from release.steps import declared

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _module_way() -> Iterator[None]:
    yield
    invocation.use(invocation.MODULE)


@pytest.mark.parametrize("step", list(declared()))
def test_every_step_has_examples_that_parse(step: str) -> None:
    shown = examples(step)
    assert shown, f"release/data/examples.toml has no examples for {step}"
    parser = step_parser(step, load_step(step))
    for args, said in shown:
        assert said.strip()
        parser.parse_args(args.split())


@pytest.mark.parametrize(("env", "argv0", "usage", "hint"), [
    ({"RELEASE_INVOKED_AS": "nox"}, "python", "usage: nox -s tag -- ", "nox -s tag -- 1.2.0 --push"),
    ({}, "/usr/bin/numpy-release", "usage: numpy-release tag ", "numpy-release tag 1.2.0 --push"),
    ({}, "/x/release/__main__.py", "usage: python -m release tag ", "python -m release tag 1.2.0 --push"),
])
def test_help_and_hints_name_the_way_it_was_run(env: dict[str, str], argv0: str, usage: str,
                                                 hint: str) -> None:
    invocation.use(invocation.detect(env, argv0))
    parser = step_parser("tag", load_step("tag"))
    text = parser.format_help()
    assert text.startswith(usage)
    assert "examples:\n  " + invocation.command("tag", "2.4.0", "--dry-run") in text
    assert invocation.respell("push it first: nox -s tag -- 1.2.0 --push") == f"push it first: {hint}"
    ways = {invocation.NOX: "nox -s", invocation.SCRIPT: "numpy-release", invocation.MODULE: "python -m"}
    others = [spelled for way, spelled in ways.items() if way != invocation.current()]
    assert not any(other in text for other in others), text


def test_a_real_error_hint_follows_the_console_script(example: Any, tmp_path: Path) -> None:
    """The installed `numpy-release` names itself in a hint that the step wrote as `nox -s`."""
    script = Path(sys.executable).parent / "numpy-release"
    assert script.is_file()
    done = subprocess.run([str(script), "reset-branch", "1.2.0rc1", "--repo", str(example.repo)],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "RELEASE_INVOKED_AS": ""})
    assert done.returncode != 0
    assert "numpy-release reset-branch 1.2.0" in done.stderr and "nox -s" not in done.stderr


def _nox(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nox", "-f", str(ROOT / "noxfile.py"), *args],
                          cwd=cwd, capture_output=True, text=True, check=False)


def test_nox_passes_the_steps_exit_code_through() -> None:
    done = _nox("-s", "tag", "--", "9.9")
    assert done.returncode == 2, done.stderr
    assert "error: '9.9' must have exactly three numbers" in done.stderr


def test_a_misspelt_session_gets_a_did_you_mean() -> None:
    done = _nox("-s", "tga", "--", "1.2.0")
    assert done.returncode != 0
    assert "did you mean 'tag'?" in done.stderr


def _complete(script: str, *words: str) -> list[str]:
    """What bash offers for the last of `words`, with the generated script sourced."""
    line = " ".join(words)
    program = ("source /dev/stdin; COMP_WORDS=(" + line + f"); COMP_CWORD={len(words) - 1}; "
               "_shtab_numpy_release; printf '%s\\n' \"${COMPREPLY[@]}\"")
    done = subprocess.run(["bash", "-c", program], input=script, capture_output=True, text=True,
                          check=True)
    return done.stdout.split()


def test_bash_completion_offers_steps_and_options(cli: Any) -> None:
    done = cli("--print-completion", "bash")
    assert done.code == 0
    assert _complete(done.out, "numpy-release", "re") == ["reset-branch", "rehearse"]
    assert _complete(done.out, "numpy-release", "tag", "2.4.0", "--pu") == ["--push"]
    assert "--dry-run" in _complete(done.out, "numpy-release", "wheels", "2.4.0", "--")


def test_completion_for_an_unknown_shell_is_a_usage_error(cli: Any) -> None:
    done = cli("--print-completion", "fish")
    assert done.code == 2 and done.err.startswith("error: --print-completion takes one shell: bash")


def test_tables_fit_the_width_and_keep_their_rows(example: Any, cli: Any) -> None:
    wide = cli("status", "1.2.0", "--repo", str(example.repo), "--offline")
    narrow = cli("status", "1.2.0", "--repo", str(example.repo), "--offline",
                 env={**os.environ, "COLUMNS": "72"})
    assert max(map(len, narrow.out.splitlines())) <= 72 < max(map(len, wide.out.splitlines()))
    steps = [line.split("│")[1].strip() for line in narrow.out.splitlines()
             if line.startswith("│") and line.split("│")[1].strip()]
    assert "tag" in steps and "main updated" in steps  # a row's first cell is never split away
    assert "\x1b[" not in wide.out + narrow.out


def test_colour_follows_force_color_and_no_color(example: Any, cli: Any) -> None:
    args = ("status", "1.2.0", "--repo", str(example.repo), "--offline")
    forced = cli(*args, env={**os.environ, "FORCE_COLOR": "1"})
    assert "\x1b[" in forced.out
    both = cli(*args, env={**os.environ, "FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in both.out


def test_a_terminal_gets_a_table_as_wide_as_it(example: Any, tmp_path: Path) -> None:
    """Under a pty of 90 columns, as a release manager's terminal would be."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 90, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR")}
    proc = subprocess.Popen([sys.executable, "-m", "release", "status", "1.2.0", "--offline",
                             "--repo", str(example.repo)], stdout=follower, stderr=subprocess.DEVNULL,
                            env={**env, "TERM": "xterm-256color"})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    text = re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode())
    lines = [line for line in text.splitlines() if line.strip()]
    assert proc.returncode == 3
    assert max(len(line) for line in lines) <= 90
    assert any(len(line) >= 80 for line in lines)  # it used the width it had
    assert "\x1b[" in b"".join(chunks).decode()  # a terminal gets colour


@pytest.mark.parametrize("step", ["wheels", "upload", "github-release"])
def test_a_directory_of_distributions_is_dist_everywhere(step: str) -> None:
    parser = step_parser(step, load_step(step))
    assert "--dist DIR" in parser.format_help().replace("\n", " ")
    new = vars(parser.parse_args(["2.4.0", "--dist", "d"]))
    if step != "github-release":  # the earlier spelling is still taken
        assert vars(parser.parse_args(["2.4.0", "--from-dir", "d"])) == new
