"""Repository contents: `GET /repos/{owner}/{repo}/contents/{path}?ref=` for one file, as GitHub
answers it (base64 content, the blob's git id, 404 "No commit found for the ref" for a ref that
does not exist, 404 "Not Found" for a path the ref does not have)."""

from __future__ import annotations

import base64
import hashlib
import urllib.parse
from typing import Any

from release.fakes.github_http import Request, Response, error, json_response, not_found
from release.fakes.github_rest import _REPO, repo_route
from release.fakes.github_state import Repo, Shapes, World


def blob_sha(data: bytes) -> str:
    """git's object id of a blob holding `data`."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def ref_name(ref: str) -> str:
    for prefix in ("refs/heads/", "refs/tags/", "heads/", "tags/"):
        if ref.startswith(prefix):
            return ref.removeprefix(prefix)
    return ref


def has_ref(repo: Repo, name: str) -> bool:
    refs = repo.all_refs()
    return name in repo.files or f"heads/{name}" in refs or f"tags/{name}" in refs


@repo_route("GET", _REPO + r"/contents/(?P<path>.+)")
def get_contents(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    ref = req.query.get("ref") or repo.default_branch
    name = ref_name(ref)
    if not has_ref(repo, name):
        return error(404, f"No commit found for the ref {ref}")
    path = params["path"].strip("/")
    data = repo.files.get(name, {}).get(path)
    if data is None:
        return not_found()
    return json_response(200, _file_json(shapes, repo, name, path, data))


def _file_json(shapes: Shapes, repo: Repo, ref: str, path: str, data: bytes) -> dict[str, Any]:
    sha = blob_sha(data)
    api = shapes.repo_api(repo)
    quoted = urllib.parse.quote(path)
    url = f"{api}/contents/{quoted}?ref={urllib.parse.quote(ref, safe='')}"
    html = f"{shapes.root}/{repo.full_name}/blob/{ref}/{quoted}"
    git_url = f"{api}/git/blobs/{sha}"
    encoded = base64.encodebytes(data).decode("ascii")
    return {"type": "file", "encoding": "base64", "size": len(data), "name": path.rsplit("/", 1)[-1],
            "path": path, "content": encoded, "sha": sha, "url": url, "git_url": git_url,
            "html_url": html, "download_url": f"{shapes.root}/raw/{repo.full_name}/{ref}/{quoted}",
            "_links": {"self": url, "git": git_url, "html": html}}
