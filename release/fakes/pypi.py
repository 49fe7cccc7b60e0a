"""A real package index on 127.0.0.1: pypiserver with a password file, for tests and rehearsals.

    with local_index(tmp / "packages") as index:
        index.url          # upload here (twine --repository-url), list at index.simple_url
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from release.fakes.localhost import free_port

DEFAULT_USER = "rehearsal"
DEFAULT_PASSWORD = "rehearsal-password"


@dataclass(frozen=True)
class LocalIndex:
    url: str
    packages: Path
    username: str
    password: str
    pid: int

    @property
    def simple_url(self) -> str:
        return self.url + "simple/"

    def env(self) -> dict[str, str]:
        """What `upload` reads its credentials from."""
        return {"TWINE_USERNAME": self.username, "TWINE_PASSWORD": self.password}

    def clear(self) -> None:
        """Forget every uploaded file (the server lists the directory on each request)."""
        for path in self.packages.iterdir():
            if path.is_file():
                path.unlink()

    def filenames(self) -> list[str]:
        return sorted(p.name for p in self.packages.iterdir() if p.is_file())


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def local_index(
    packages: Path,
    username: str = DEFAULT_USER,
    password: str = DEFAULT_PASSWORD,
    log: Path | None = None,
) -> Iterator[LocalIndex]:
    """Start pypiserver (uploads need the password; listing does not) and stop it afterwards."""
    packages.mkdir(parents=True, exist_ok=True)
    htpasswd = packages.parent / f".{packages.name}.htpasswd"
    with warnings.catch_warnings():  # passlib imports the deprecated `crypt` module
        warnings.simplefilter("ignore", DeprecationWarning)
        from passlib.apache import HtpasswdFile  # type: ignore[import-untyped]
    users = HtpasswdFile(str(htpasswd), new=True)
    users.set_password(username, password)
    users.save()
    with ExitStack() as stack:
        sink: IO[bytes] | int = (stack.enter_context(open(log, "ab")) if log
                                 else subprocess.DEVNULL)
        process, url = _start(packages, htpasswd, sink)
        stack.callback(_stop, process)
        yield LocalIndex(url, packages, username, password, process.pid)


def _start(packages: Path, htpasswd: Path, sink: IO[bytes] | int
           ) -> tuple[subprocess.Popen[bytes], str]:
    for _attempt in range(3):
        port = free_port()
        argv = [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port),
                "-P", str(htpasswd), "-a", "update", "--disable-fallback",
                "--backend", "simple-dir", str(packages)]
        process = subprocess.Popen(argv, stdout=sink, stderr=sink)  # noqa: S603 - argv list
        url = f"http://127.0.0.1:{port}/"
        if _wait(process, url + "health"):
            return process, url
        _stop(process)
    raise RuntimeError("pypiserver did not start; pass log= to see why")


def _wait(process: subprocess.Popen[bytes], health: str) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if _answers(health):
            return True
        time.sleep(0.05)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
