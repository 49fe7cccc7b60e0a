"""Request and response values shared by the fake GitHub's REST and GraphQL handlers."""

from __future__ import annotations

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
