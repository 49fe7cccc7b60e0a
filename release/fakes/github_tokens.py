"""Tokens on the fake GitHub: which permissions each carries, and how GitHub answers a missing one.

A fine-grained token without the permission an endpoint needs gets 403 "Resource not accessible by
personal access token" and an `X-Accepted-GitHub-Permissions` header naming what was needed. A
classic token without the scope gets 404 "Not Found" on a write (GitHub does not say the
repository exists), with `X-Accepted-OAuth-Scopes`. Permissions are GitHub's own names:
contents, pull_requests, issues, actions, workflows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

PERMISSIONS = ("contents", "pull_requests", "issues", "actions", "workflows")
LEVELS = {"none": 0, "read": 1, "write": 2}
NO_ACCESS = "Resource not accessible by personal access token"

# Where a REST path's permission comes from: the first fragment found in it.
_CATEGORIES = (
    ("/pulls", "pull_requests"),
    ("/issues", "issues"),
    ("/actions/", "actions"),
    ("/releases", "contents"),
    ("/git/", "contents"),
    ("/contents/", "contents"),
)


@dataclass(frozen=True)
class Token:
    """What one token may do; `kind` is "fine-grained" or "classic" (which decides the refusal)."""

    permissions: Mapping[str, str] = field(default_factory=dict)
    kind: str = "fine-grained"

    @classmethod
    def of(cls, spec: str | Token) -> Token:
        """"write" (every permission, workflows included) or "read" (read everything), or a Token."""
        if isinstance(spec, Token):
            return spec
        if spec not in ("read", "write"):
            raise ValueError(f"a token is 'read', 'write' or a Token, not {spec!r}")
        return cls({name: spec for name in PERMISSIONS})

    def level(self, permission: str) -> int:
        return LEVELS[self.permissions.get(permission, "none")]

    def allows(self, permission: str, wanted: str) -> bool:
        return self.level(permission) >= LEVELS[wanted]

    def scopes(self) -> str:
        """The classic scopes this token stands for (X-OAuth-Scopes)."""
        scopes = ["repo"] if self.level("contents") == 2 else []
        return ", ".join(scopes + (["workflow"] if self.level("workflows") == 2 else []))


def needed(method: str, path: str) -> tuple[str, str] | None:
    """(permission, "read" or "write") a REST request needs; None for what needs none."""
    for fragment, permission in _CATEGORIES:
        if fragment in path:
            return permission, "read" if method in ("GET", "HEAD") else "write"
    if path.startswith("/api/uploads/"):
        return "contents", "write"
    return None
