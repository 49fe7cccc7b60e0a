"""Request and response values shared by the fake GitHub's REST and GraphQL handlers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from release.fakes.github_tokens import Token


@dataclass(frozen=True)
class Request:
    """A request that got past authorization (write rights are checked before any handler);
    `user` is the token's login, "ghost" when anonymous."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    user: str
    token: Token | None = None  # None when anonymous

    def can(self, permission: str, level: str) -> bool:
        return self.token is not None and self.token.allows(permission, level)

    def json(self) -> dict[str, Any]:
        if not self.body:
            return {}
        value = json.loads(self.body)
        return value if isinstance(value, dict) else {}


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, value: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(value).encode()
    return Response(status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})})


DOCS = "https://docs.github.com/rest"


def error(status: int, message: str, *, docs: str = DOCS, **extra: Any) -> Response:
    """GitHub's error body: a message and the endpoint's documentation link (plus `errors` for
    422s), and the status as a string, as GitHub sends it."""
    return json_response(status, {"message": message, **extra, "documentation_url": docs,
                                  "status": str(status)})


def not_found() -> Response:
    return error(404, "Not Found")


def invalid(resource: str, field_name: str | None, code: str, message: str | None = None, *,
            docs: str = DOCS) -> Response:
    """422 "Validation Failed" with one `errors` item (GitHub leaves `field` out of custom ones)."""
    detail: dict[str, Any] = {"resource": resource, "code": code}
    if field_name is not None:
        detail["field"] = field_name
    if message is not None:
        detail["message"] = message
    return error(422, "Validation Failed", docs=docs, errors=[detail])


def entity_tag(body: bytes) -> str:
    """A weak validator over the answer's bytes, shaped like GitHub's (`W/"<hex>"`): it changes
    whenever what the endpoint returns changes, so a poll never misses a change."""
    return f'W/"{hashlib.sha256(body).hexdigest()}"'


def _matches(condition: str, tag: str) -> bool:
    """If-None-Match's weak comparison (RFC 9110 13.1.2): `*`, or any listed tag, `W/` aside."""
    opaque = tag.removeprefix("W/")
    return any(item.strip() == "*" or item.strip().removeprefix("W/") == opaque
               for item in condition.split(","))


def not_modified(method: str, condition: str | None, response: Response) -> Response:
    """GitHub's conditional GET: a 200 answer gets an ETag; when the request's If-None-Match
    names it, the answer is 304 with no body, the same ETag and the caching headers."""
    if method not in ("GET", "HEAD") or response.status != 200:
        return response
    tag = entity_tag(response.body)
    caching = {"ETag": tag, "Cache-Control": "private, max-age=60, s-maxage=60",
               "Vary": "Accept, Authorization, Cookie, X-GitHub-OTP"}
    if condition is not None and _matches(condition, tag):
        return Response(304, b"", caching)
    response.headers.update(caching)
    return response
