"""Downloads the way GitHub serves them: a 302 from the API to a short-lived signed URL.

An artifact's `/zip` and a release asset asked for as `application/octet-stream` answer 302 with a
`Location` signed and valid for a minute (artifacts) or five (assets), as GitHub's storage links
are. As on GitHub Enterprise Server the storage is on the server's own host (PyGithub follows a
redirect only within the API's domain); an expired or tampered link answers 403, so the caller
has to ask the API for a fresh one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from release.fakes.github_http import Response

ARTIFACT_LINK_SECONDS = 60
ASSET_LINK_SECONDS = 300
PREFIX = "/api/_objects/"

_EXPIRED = (b"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code>"
            b"<Message>Signed expiry time has passed.</Message></Error>")
_BAD_SIGNATURE = (b"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed"
                  b"</Code><Message>Signature did not match.</Message></Error>")


@dataclass
class SignedLinks:
    """Makes and checks the object store's links; `root` is the API server's root URL."""

    root: str
    clock: Callable[[], float] = time.time
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(16))

    def _signature(self, path: str, expires: int) -> str:
        return hmac.new(self.secret, f"{path}:{expires}".encode(), hashlib.sha256).hexdigest()

    def sign(self, path: str, lifetime: int) -> str:
        """A link to `PREFIX + path` valid for `lifetime` seconds from now."""
        full = PREFIX + path
        expires = int(self.clock()) + lifetime
        query = urllib.parse.urlencode({"se": expires, "sig": self._signature(full, expires)})
        return f"{self.root}{full}?{query}"

    def redirect(self, path: str, lifetime: int) -> Response:
        return Response(302, b"", {"Location": self.sign(path, lifetime),
                                   "Content-Type": "text/html;charset=utf-8"})

    def refusal(self, path: str, query: dict[str, str]) -> Response | None:
        """The object store's answer to a link it will not serve, or None when it is good."""
        try:
            expires = int(query.get("se", ""))
        except ValueError:
            expires = 0
        if not hmac.compare_digest(self._signature(path, expires), query.get("sig", "")):
            return Response(403, _BAD_SIGNATURE, {"Content-Type": "application/xml"})
        if self.clock() > expires:
            return Response(403, _EXPIRED, {"Content-Type": "application/xml"})
        return None
