"""Progress on a terminal: the live display, with the stages' output in rehearsal.log (plain
lines when stderr is not a terminal: test_rehearsal_report)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

# A whole rehearsal (or several): the quick loop leaves these out (-m "not slow").
pytestmark = pytest.mark.slow

SECRETS = re.compile(rb"rehearsal-[0-9a-f]{16}|rehearsal-password")


def _read_all(fd: int, into: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: every writer of the terminal has closed it
            return
        if not chunk:
            return
        into.extend(chunk)


def _on_a_terminal(*argv: str) -> tuple[subprocess.CompletedProcess[bytes], bytes]:
    """Run the toolkit with stderr on a real pseudo-terminal: its exit, stdout, and the screen."""
    primary, secondary = pty.openpty()
    screen = bytearray()
    reader = threading.Thread(target=_read_all, args=(primary, screen), daemon=True)
    reader.start()
    # Wide enough for the longest tmp path (pytest-xdist adds a worker folder to it) on one line.
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200", "LINES": "40"}
    env.pop("NO_COLOR", None)
    done = subprocess.run([sys.executable, "-m", "release", *argv], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=secondary, env=env, check=False,
                          timeout=300)
    os.close(secondary)
    reader.join(timeout=30)
    os.close(primary)
    return done, bytes(screen)


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def test_a_terminal_gets_the_live_display_and_the_log_the_output(tmp_path: Path) -> None:
    workdir = tmp_path / "w"
    done, screen = _on_a_terminal("rehearse", "--workdir", str(workdir))
    text = screen.decode("utf-8", "replace")
    assert done.returncode == 0, text[-3000:]
    assert "\x1b[?25l" in text  # the live display hides the cursor while it runs
    assert "\x1b[2K" in text  # and redraws its lines in place
    log = workdir / "rehearsal.log"
    squeezed = re.sub(r"\s+", "", _plain(text))  # a long path wraps at the terminal's width
    assert re.sub(r"\s+", "", f"every stage's full output goes to {log}") in squeezed
    plain = _plain(text)
    total = int(re.findall(r"✓ \[\d+/(\d+)\] ", plain)[0])
    assert total >= 72  # the whole walkthrough of an rc and a final, with its assistants
    finished = re.findall(rf"([✓!]) \[(\d+)/{total}\] ", plain)
    assert [int(n) for _, n in finished] == list(range(1, total + 1))
    amber = [int(n) for mark, n in finished if mark == "!"]  # the mailmap and preflight stages
    assert len(amber) == 4 and amber[:2] == [3, 10]
    assert re.search(rf"! \[3/{total}\] \[1\.2\.0rc1\] contributor identities .*\s+2 findings", plain)
    assert re.search(rf"✓ \[\d+/{total}\] \[1\.2\.0rc1\] the maintenance branch is not reset .*\s+"
                     r"refused as expected \(exit 2\)", plain)
    assert f"{total}/{total} stages ({total - 6} ok, 2 refused as expected, 4 amber)" in plain
    assert "+++ b/doc/changelog/1.2.0-changelog.rst" not in text  # outputs stay off the screen
    logged = log.read_text()
    assert logged.count("\n== [") == total
    assert "+++ b/doc/changelog/1.2.0-changelog.rst" in logged
    assert "   $ python -m release tag 1.2.0 --push" in logged
    assert done.stdout.decode().rstrip().endswith(f"report: {workdir / 'rehearsal-report.md'}")
    assert not SECRETS.search(screen + log.read_bytes() + done.stdout)


def test_a_failing_stage_is_marked_on_the_terminal(tmp_path: Path) -> None:
    from helpers import wrong_capi_hash_checkout

    repo = wrong_capi_hash_checkout(tmp_path / "project")
    workdir = tmp_path / "w"
    done, screen = _on_a_terminal("rehearse", "1.2.0rc1", "--repo", str(repo), "--workdir",
                                  str(workdir))
    assert done.returncode == 1
    plain = _plain(screen.decode("utf-8", "replace"))
    assert re.search(r"✓ \[1/\d+\] \[1\.2\.0rc1\] check out maintenance/1\.2\.x", plain)
    assert re.search(r"✗ \[2/\d+\] \[1\.2\.0rc1\] C-API version and hash .*exit 1, expected 0", plain)
    assert re.search(r"2/\d+ stages \(1 ok, 1 FAILED\)", plain)
    assert "verdict: RED (exit 1): stage 2 failed" in done.stdout.decode()
    assert "C-API version and hash" in (workdir / "rehearsal.log").read_text()
    assert done.stdout.decode().rstrip().endswith(f"report: {workdir / 'rehearsal-report.md'}")
