"""Which of GitHub's REST operations each endpoint of the fake stands for, and which fields of their
answers the toolkit reads (directly or through PyGithub's attributes it uses).

Shared by `vendor.py` (which slices GitHub's OpenAPI description down to these operations) and
the contract check that validates every answer the fake gives during the test suite.
"""

from __future__ import annotations

# The fake's endpoint name (method + its route with {names}) -> GitHub's OpenAPI path.
OPERATIONS: dict[str, str] = {
    "GET /rate_limit": "/rate_limit",
    "GET /repos/{owner}/{repo}": "/repos/{owner}/{repo}",
    "GET /users/{login}": "/users/{username}",
    "GET /user": "/user",
    "GET /repos/{owner}/{repo}/pulls": "/repos/{owner}/{repo}/pulls",
    "POST /repos/{owner}/{repo}/pulls": "/repos/{owner}/{repo}/pulls",
    "GET /repos/{owner}/{repo}/pulls/{number}": "/repos/{owner}/{repo}/pulls/{pull_number}",
    "GET /repos/{owner}/{repo}/issues": "/repos/{owner}/{repo}/issues",
    "POST /repos/{owner}/{repo}/issues": "/repos/{owner}/{repo}/issues",
    "GET /repos/{owner}/{repo}/issues/{number}": "/repos/{owner}/{repo}/issues/{issue_number}",
    "PATCH /repos/{owner}/{repo}/issues/{number}": "/repos/{owner}/{repo}/issues/{issue_number}",
    "GET /repos/{owner}/{repo}/milestones": "/repos/{owner}/{repo}/milestones",
    "GET /repos/{owner}/{repo}/milestones/{number}":
        "/repos/{owner}/{repo}/milestones/{milestone_number}",
    "GET /repos/{owner}/{repo}/git/ref/{ref}": "/repos/{owner}/{repo}/git/ref/{ref}",
    "GET /repos/{owner}/{repo}/git/matching-refs/{prefix}":
        "/repos/{owner}/{repo}/git/matching-refs/{ref}",
    "POST /repos/{owner}/{repo}/git/refs": "/repos/{owner}/{repo}/git/refs",
    "GET /repos/{owner}/{repo}/contents/{path}": "/repos/{owner}/{repo}/contents/{path}",
    "GET /repos/{owner}/{repo}/actions/workflows": "/repos/{owner}/{repo}/actions/workflows",
    "GET /repos/{owner}/{repo}/actions/workflows/{workflow}":
        "/repos/{owner}/{repo}/actions/workflows/{workflow_id}",
    "POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches":
        "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
    "GET /repos/{owner}/{repo}/actions/runs": "/repos/{owner}/{repo}/actions/runs",
    "GET /repos/{owner}/{repo}/actions/workflows/{workflow}/runs":
        "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
    "GET /repos/{owner}/{repo}/actions/runs/{run}": "/repos/{owner}/{repo}/actions/runs/{run_id}",
    "GET /repos/{owner}/{repo}/actions/runs/{run}/artifacts":
        "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts",
    "GET /repos/{owner}/{repo}/actions/artifacts/{artifact}":
        "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}",
    "GET /repos/{owner}/{repo}/actions/artifacts/{artifact}/zip":
        "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}",
    "GET /repos/{owner}/{repo}/releases": "/repos/{owner}/{repo}/releases",
    "POST /repos/{owner}/{repo}/releases": "/repos/{owner}/{repo}/releases",
    "GET /repos/{owner}/{repo}/releases/{id}": "/repos/{owner}/{repo}/releases/{release_id}",
    "PATCH /repos/{owner}/{repo}/releases/{id}": "/repos/{owner}/{repo}/releases/{release_id}",
    "DELETE /repos/{owner}/{repo}/releases/{id}": "/repos/{owner}/{repo}/releases/{release_id}",
    "GET /repos/{owner}/{repo}/releases/tags/{tag}": "/repos/{owner}/{repo}/releases/tags/{tag}",
    "GET /repos/{owner}/{repo}/releases/latest": "/repos/{owner}/{repo}/releases/latest",
    "GET /repos/{owner}/{repo}/releases/{id}/assets":
        "/repos/{owner}/{repo}/releases/{release_id}/assets",
    "POST /api/uploads/repos/{owner}/{repo}/releases/{id}/assets":
        "/repos/{owner}/{repo}/releases/{release_id}/assets",
    "GET /repos/{owner}/{repo}/releases/assets/{asset}":
        "/repos/{owner}/{repo}/releases/assets/{asset_id}",
    "PATCH /repos/{owner}/{repo}/releases/assets/{asset}":
        "/repos/{owner}/{repo}/releases/assets/{asset_id}",
    "DELETE /repos/{owner}/{repo}/releases/assets/{asset}":
        "/repos/{owner}/{repo}/releases/assets/{asset_id}",
}

_PULL = ("number", "title", "html_url", "state", "head", "head/label", "head/ref", "base",
         "base/ref", "user", "user/login", "merged", "body", "url")
_RELEASE = ("id", "tag_name", "name", "body", "draft", "prerelease", "immutable", "html_url",
            "url", "upload_url", "assets")
_ASSET = ("id", "name", "size", "digest", "state", "url", "browser_download_url")
_RUN = ("id", "status", "conclusion", "html_url", "head_branch", "event", "actor", "actor/login")
_ARTIFACT = ("id", "name", "size_in_bytes", "archive_download_url", "expired")

# Fields of each answer the toolkit reads: "a/b" is b inside a; a list's items are read alike.
READS: dict[str, tuple[str, ...]] = {
    "/rate_limit": ("resources", "rate"),
    "/repos/{owner}/{repo}": ("full_name", "default_branch", "url", "name", "owner"),
    "/users/{username}": ("login", "name"),
    "/user": ("login",),
    "/repos/{owner}/{repo}/pulls": _PULL,
    "/repos/{owner}/{repo}/pulls/{pull_number}": _PULL,
    "/repos/{owner}/{repo}/issues": ("number", "title", "html_url", "state", "pull_request"),
    "/repos/{owner}/{repo}/issues/{issue_number}": ("number", "title", "html_url", "state"),
    "/repos/{owner}/{repo}/milestones": ("number", "title", "state"),
    "/repos/{owner}/{repo}/milestones/{milestone_number}": ("number", "title", "state"),
    "/repos/{owner}/{repo}/git/ref/{ref}": ("ref", "object", "object/sha"),
    "/repos/{owner}/{repo}/git/matching-refs/{ref}": ("ref", "object", "object/sha"),
    "/repos/{owner}/{repo}/git/refs": ("ref", "object", "object/sha"),
    "/repos/{owner}/{repo}/contents/{path}": ("content", "encoding"),
    "/repos/{owner}/{repo}/actions/workflows/{workflow_id}": ("id", "path"),
    "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches": ("workflow_run_id",),
    "/repos/{owner}/{repo}/actions/runs": ("workflow_runs", *(f"workflow_runs/{f}" for f in _RUN)),
    "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs":
        ("workflow_runs", *(f"workflow_runs/{f}" for f in _RUN)),
    "/repos/{owner}/{repo}/actions/runs/{run_id}": _RUN,
    "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts":
        ("artifacts", *(f"artifacts/{f}" for f in _ARTIFACT)),
    "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}": _ARTIFACT,
    "/repos/{owner}/{repo}/releases": _RELEASE + tuple(f"assets/{f}" for f in _ASSET),
    "/repos/{owner}/{repo}/releases/{release_id}": _RELEASE + tuple(f"assets/{f}" for f in _ASSET),
    "/repos/{owner}/{repo}/releases/tags/{tag}": _RELEASE,
    "/repos/{owner}/{repo}/releases/latest": _RELEASE,
    "/repos/{owner}/{repo}/releases/{release_id}/assets": _ASSET,
    "/repos/{owner}/{repo}/releases/assets/{asset_id}": _ASSET,
}

# Statuses GitHub gives that its description leaves out (seen in public reports of real answers):
# counted as deviations of the description, not breaks of the fake.
UNDESCRIBED_STATUSES: dict[tuple[str, int], str] = {
    ("/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", 422):
        "bad inputs, an unknown ref or no workflow_dispatch trigger",
    ("/repos/{owner}/{repo}/releases/{release_id}/assets", 422):
        "an asset name already taken, or an immutable release",
    ("/repos/{owner}/{repo}/releases/{release_id}/assets", 400): "no name given for the upload",
    ("/repos/{owner}/{repo}/releases/{release_id}", 422): "an immutable release's tag or draft state",
    ("/repos/{owner}/{repo}/releases/assets/{asset_id}", 422): "an asset of an immutable release",
    ("/repos/{owner}/{repo}/pulls", 422): "bad pagination parameters",
}
