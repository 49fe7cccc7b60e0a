"""What GitHub says about the token in use: whose it is, its classic scopes (`X-OAuth-Scopes`),
and a user's access to a repository (`permissions` of `GET /repos/{owner}/{repo}`).

A fine-grained token's permissions are not listed anywhere; `probe` learns one by sending a write
GitHub must refuse whatever the answer (a dispatch of workflow 0, a ref named `refs/heads/`, a pull
request without a head): a 403 means the permission is missing, a 404 or 422 that it is there and
the request was judged on its content. Nothing is created either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from release.errors import ServiceError
from release.services.github import GitHubService

PROBES: dict[str, tuple[str, str, dict[str, str]]] = {
    "actions": ("POST", "actions/workflows/0/dispatches", {"ref": "refs/heads/0"}),
    "contents": ("POST", "git/refs", {"ref": "refs/heads/", "sha": "0" * 40}),
    "pull_requests": ("POST", "pulls", {"title": "", "head": "", "base": ""}),
}


@dataclass(frozen=True)
class TokenView:
    login: str
    scopes: tuple[str, ...] | None  # None: GitHub sent no X-OAuth-Scopes (not a classic token)


@dataclass(frozen=True)
class RepoAccess:
    name: str
    exists: bool
    push: bool = False
    admin: bool = False
    private: bool = False
    fork_of: str = ""


def token_view(service: GitHubService) -> TokenView:
    service.require_token("look at the token")
    response = service.request("GET", f"{service.api_url}/user", "look at the token",
                               hints={401: "the token is expired or revoked: make a new one, "
                                           "e.g. export GITHUB_TOKEN=$(gh auth token)"})
    header = response.headers.get("X-OAuth-Scopes")
    scopes = None if header is None else tuple(s.strip() for s in header.split(",") if s.strip())
    return TokenView(str(response.json().get("login", "")), scopes)


def repo_access(service: GitHubService, name: str) -> RepoAccess:
    response = service.request("GET", f"{service.api_url}/repos/{name}", f"look up {name}", allow=(404,))
    if response.status_code == 404:
        return RepoAccess(name, exists=False)
    data = response.json()
    rights = data.get("permissions") or {}
    parent = (data.get("parent") or {}).get("full_name", "")
    return RepoAccess(name, True, bool(rights.get("push")), bool(rights.get("admin")),
                      bool(data.get("private")), parent)


def probe(service: GitHubService, name: str, permission: str) -> bool:
    """Whether the token holds `permission` (write) on `name`, from a write GitHub refuses."""
    method, path, body = PROBES[permission]
    response = service.request(method, f"{service.api_url}/repos/{name}/{path}",
                               f"probe {permission} on {name}", allow=(403, 404, 409, 422), json=body)
    if response.status_code < 400:
        raise ServiceError(f"GitHub accepted the {permission} probe on {name} (status "
                           f"{response.status_code})", hint="report this: the probe must be refused")
    return response.status_code != 403
