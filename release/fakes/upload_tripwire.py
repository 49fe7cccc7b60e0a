"""A pass-through in front of the stand-in package index that reports each upload as it
arrives, before the index sees it: where the rehearsal's `upload:K` fault kills the process."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


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
