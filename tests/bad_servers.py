"""HTTP servers on 127.0.0.1 that answer every request in one bad way, as real servers do on a
bad day (an outage page from a proxy, a login page, a JSON list, an echo of the token)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable
from types import TracebackType

Answer = Callable[[str], tuple[int, str, bytes]]


def _json(status: int, value: object) -> Answer:
    return lambda auth: (status, "application/json", json.dumps(value).encode())


ANSWERS: dict[str, Answer] = {
    "500": _json(500, {"message": "Server Error"}),
    "502 html": lambda auth: (502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
    "not json": lambda auth: (200, "application/json", b"<html>Sign in to continue</html>"),
    "a list": _json(200, [{"files": []}, 1, "two"]),
    "401 echoing the token": lambda auth: (
        401, "application/json",
        json.dumps({"message": f"Bad credentials: {auth!r} is not a token"}).encode()),
    "html page": lambda auth: (200, "text/html", b"<html><a href='/x'>nothing here</a></html>"),
}


class BadServer:
    """`with BadServer("502 html") as server:` serves that answer at `server.url` (or, for
    "hang", accepts the connection and never answers until the server stops)."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.requests: list[str] = []
        self._stop = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                outer.requests.append(f"{self.command} {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                if outer.mode == "hang":
                    outer._stop.wait(60)
                    return
                status, kind, body = ANSWERS[outer.mode](self.headers.get("Authorization", ""))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> BadServer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
