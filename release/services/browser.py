"""Headless Chromium: a page's screenshot and its DOM after it has laid itself out.

Used to look at the rehearsal report as a person would. Every run gets a fresh profile
directory and none of the browser's own network traffic (updates, sync, field trials), so a
look is the same on every machine and leaves nothing behind.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from release.errors import PreconditionError, ServiceError

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
QUIET = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars", "--force-device-scale-factor=1")


def chromium() -> str:
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PreconditionError("no Chromium to look at the page with",
                            hint="install it (Debian: apt-get install chromium)")


def _run(page: Path, width: int, height: int, *extra: str) -> str:
    with tempfile.TemporaryDirectory(prefix="release-chromium-") as profile:
        argv = [chromium(), *QUIET, f"--user-data-dir={profile}",
                f"--window-size={width},{height}", *extra, page.resolve().as_uri()]
        try:
            done = subprocess.run(argv, capture_output=True, timeout=120, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            raise ServiceError(f"Chromium did not finish with {page} in 120 s",
                               hint="run the same command by hand to see why") from None
    if done.returncode != 0:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise ServiceError(f"Chromium failed on {page}: {last}",
                           hint="run it by hand with the same flags to see the full message")
    return done.stdout.decode("utf-8", "replace")


def screenshot(page: Path, png: Path, width: int, height: int) -> Path:
    """A PNG of the page's first `height` pixels in a window `width` pixels wide."""
    _run(page, width, height, f"--screenshot={png.resolve()}")
    if not png.is_file():
        raise ServiceError(f"Chromium wrote no screenshot of {page}", hint="run it by hand")
    return png


def dom_after_load(page: Path, width: int, height: int) -> str:
    """The page's DOM once loaded (its scripts run) in a window of that size."""
    return _run(page, width, height, "--dump-dom", "--virtual-time-budget=5000")
