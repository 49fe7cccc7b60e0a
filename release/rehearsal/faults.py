"""Fault injection for the rehearsal: the process kills itself at a chosen point.

`RELEASE_REHEARSAL_KILL` holds comma-separated points: `before:N` (as stage N is about to run),
`asset:K` (as the K-th GitHub release asset upload reaches the fake GitHub, before it is
stored) and `upload:K` (as the K-th file upload to the package index arrives, before the index
sees it). The kill is SIGKILL: no cleanup, no `finally`, exactly like a machine going away, so a
rerun has to cope with whatever was left. Counts start at 1 in each process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import NoReturn

from release.errors import UsageError
from release.rehearsal.runner import Outcome, Stage

ENV = "RELEASE_REHEARSAL_KILL"
_KINDS = ("before", "asset", "upload")


@dataclass(frozen=True)
class Faults:
    before: int | None = None
    asset: int | None = None
    upload: int | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Faults:
        text = env.get(ENV, "").strip()
        found: dict[str, int] = {}
        for point in filter(None, (part.strip() for part in text.split(","))):
            kind, _, count = point.partition(":")
            if kind not in _KINDS or not count.isdigit() or int(count) < 1:
                raise UsageError(f"{ENV}={text!r}: {point!r} is not a kill point",
                                 hint="use before:N, asset:K or upload:K (N, K from 1), "
                                      "comma-separated")
            found[kind] = int(count)
        return cls(**found)

    def at_asset(self) -> Callable[[int], None] | None:
        return _at(self.asset)

    def at_upload(self) -> Callable[[int], None] | None:
        return _at(self.upload)


def kill() -> NoReturn:
    """SIGKILL this process (what is printed so far is flushed first, so logs show where)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os.kill(os.getpid(), signal.SIGKILL)
    raise SystemExit(137)  # not reached


def _at(count: int | None) -> Callable[[int], None] | None:
    if count is None:
        return None

    def check(number: int) -> None:
        if number == count:
            kill()
    return check


@dataclass
class KillBefore:
    """An observer of the rehearsal that kills the process as stage `number` starts."""

    number: int

    def started(self, number: int, total: int, stage: Stage) -> None:
        if number == self.number:
            kill()

    def finished(self, number: int, total: int, outcome: Outcome) -> None:
        pass


class UploadTripwire:
    """An HTTP pass-through in front of the package index that calls `on_upload(k)` as the k-th
    upload (POST) has been read, before passing it on; every other request just goes through."""

    def __init__(self, target: str, on_upload: Callable[[int], None]) -> None:
        self.target = target.rstrip("/") + "/"
        self.on_upload = on_upload
        self.uploads = 0
        self._lock = threading.Lock()
        wire = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._answer(*wire.forward("GET", self.path, dict(self.headers.items()), None))

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with wire._lock:
                    wire.uploads += 1
                    number = wire.uploads
                wire.on_upload(number)
                self._answer(*wire.forward("POST", self.path, dict(self.headers.items()), body))

            def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for key in ("Content-Type", "Location"):
                    if key in headers:
                        self.send_header(key, headers[key])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Silent, like the index behind it."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"

    def forward(self, method: str, path: str, headers: Mapping[str, str], body: bytes | None
                ) -> tuple[int, dict[str, str], bytes]:
        sent = {key: value for key, value in headers.items()
                if key.lower() in ("content-type", "authorization", "accept")}
        request = urllib.request.Request(self.target + path.lstrip("/"), data=body, headers=sent,
                                         method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers.items()), exc.read()

    def __enter__(self) -> UploadTripwire:
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True,
                         name="upload-tripwire").start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
