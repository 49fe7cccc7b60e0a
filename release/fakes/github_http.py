"""Request and response values shared by the fake GitHub's REST and GraphQL handlers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


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


def error(status: int, message: str, **extra: Any) -> Response:
    """GitHub's error body: a message and a documentation link (plus `errors` for 422s)."""
    return json_response(status, {"message": message, **extra,
                                  "documentation_url": "https://docs.github.com/rest", "status": str(status)})


def not_found() -> Response:
    return error(404, "Not Found")


def invalid(resource: str, field_name: str, code: str, message: str | None = None) -> Response:
    detail: dict[str, Any] = {"resource": resource, "field": field_name, "code": code}
    if message is not None:
        detail["message"] = message
    return error(422, "Validation Failed", errors=[detail])
