"""Releases and their assets, with GitHub's immutable-release rules.

Once a release in an immutable repository is published, its assets cannot be added, changed or
deleted, it cannot go back to draft, its tag cannot change, and its tag name can never be used by
another release (even after the release is deleted).
"""

from __future__ import annotations

import re

from release.fakes.github_downloads import ASSET_LINK_SECONDS
from release.fakes.github_http import Request, Response, error, invalid, json_response, not_found
from release.fakes.github_rest import _REPO, page, repo_route
from release.fakes.github_state import Asset, Release, Repo, Shapes, World

IMMUTABLE = "Cannot modify an asset of an immutable release."
BURNED = "tag_name was used by an immutable release"
UPLOAD_DOCS = "https://docs.github.com/rest/releases/assets#upload-a-release-asset"


def _locked(release: Release) -> bool:
    return release.immutable and not release.draft


def _visible(req: Request, release: Release) -> bool:
    """Drafts are shown only to tokens with push access (contents: write)."""
    return not release.draft or req.can("contents", "write")


@repo_route("GET", _REPO + r"/releases")
def list_releases(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    releases = [shapes.release(repo, r) for _, r in sorted(repo.releases.items(), reverse=True)
                if _visible(req, r)]
    return page(shapes, req, releases)


@repo_route("GET", _REPO + r"/releases/(?P<id>\d+)")
def get_release(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    release = repo.releases.get(int(params["id"]))
    if release is None or not _visible(req, release):
        return not_found()
    return json_response(200, shapes.release(repo, release))


@repo_route("GET", _REPO + r"/releases/tags/(?P<tag>.+)")
def get_release_by_tag(world: World, shapes: Shapes, req: Request, repo: Repo,
                       params: dict[str, str]) -> Response:
    for release in repo.releases.values():
        if release.tag_name == params["tag"] and not release.draft:  # drafts are not found by tag
            return json_response(200, shapes.release(repo, release))
    return not_found()


@repo_route("GET", _REPO + r"/releases/latest")
def latest_release(world: World, shapes: Shapes, req: Request, repo: Repo,
                   params: dict[str, str]) -> Response:
    published = [r for r in repo.releases.values() if not r.draft and not r.prerelease]
    return json_response(200, shapes.release(repo, published[-1])) if published else not_found()


def _tag_problem(repo: Repo, tag: str, ignore: int | None = None) -> Response | None:
    if not tag:
        return invalid("Release", "tag_name", "missing_field")
    if tag in repo.burned_tags:
        return invalid("Release", "tag_name", "custom", BURNED)
    for other in repo.releases.values():
        if other.id != ignore and other.tag_name == tag and not other.draft:
            return invalid("Release", "tag_name", "already_exists")
    return None


@repo_route("POST", _REPO + r"/releases")
def create_release(world: World, shapes: Shapes, req: Request, repo: Repo,
                   params: dict[str, str]) -> Response:
    data = req.json()
    tag = str(data.get("tag_name") or "")
    draft = bool(data.get("draft", False))
    problem = _tag_problem(repo, tag) if not draft or tag in repo.burned_tags or not tag else None
    if problem:
        return problem
    release = Release(world.new_id(), tag, str(data.get("name") or tag), str(data.get("body") or ""),
                      draft, bool(data.get("prerelease", False)),
                      str(data.get("target_commitish") or repo.default_branch), req.user)
    repo.releases[release.id] = release
    if not draft:
        _publish(repo, release)
    return json_response(201, shapes.release(repo, release),
                         {"Location": f"{shapes.repo_api(repo)}/releases/{release.id}"})


def _publish(repo: Repo, release: Release) -> None:
    release.draft = False
    release.immutable = repo.immutable
    if f"tags/{release.tag_name}" not in repo.all_refs():
        repo.refs[f"tags/{release.tag_name}"] = repo.sha_for(release.target_commitish)


@repo_route("PATCH", _REPO + r"/releases/(?P<id>\d+)")
def update_release(world: World, shapes: Shapes, req: Request, repo: Repo,
                   params: dict[str, str]) -> Response:
    release = repo.releases.get(int(params["id"]))
    if release is None:
        return not_found()
    data = req.json()
    tag = str(data.get("tag_name") or release.tag_name)
    if _locked(release) and (tag != release.tag_name or data.get("draft") is True):
        return invalid("Release", "tag_name" if tag != release.tag_name else "draft", "custom",
                       "Cannot change the tag or draft state of an immutable release.")
    publishing = release.draft and data.get("draft") is False
    if tag != release.tag_name or publishing:
        problem = _tag_problem(repo, tag, ignore=release.id)
        if problem:
            return problem
    release.tag_name = tag
    for key in ("name", "body", "target_commitish"):
        if data.get(key) is not None:
            setattr(release, key, str(data[key]))
    if data.get("prerelease") is not None:
        release.prerelease = bool(data["prerelease"])
    if publishing:
        _publish(repo, release)
    return json_response(200, shapes.release(repo, release))


@repo_route("DELETE", _REPO + r"/releases/(?P<id>\d+)")
def delete_release(world: World, shapes: Shapes, req: Request, repo: Repo,
                   params: dict[str, str]) -> Response:
    release = repo.releases.get(int(params["id"]))
    if release is None:
        return not_found()
    if _locked(release):
        repo.burned_tags.add(release.tag_name)
    del repo.releases[release.id]
    return Response(204)


# --- assets -----------------------------------------------------------------------------------


def _find_asset(repo: Repo, params: dict[str, str]) -> tuple[Release, Asset] | None:
    for release in repo.releases.values():
        asset = release.assets.get(int(params["asset"]))
        if asset:
            return release, asset
    return None


@repo_route("GET", _REPO + r"/releases/(?P<id>\d+)/assets")
def list_assets(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    release = repo.releases.get(int(params["id"]))
    if release is None:
        return not_found()
    return page(shapes, req, [shapes.asset(repo, release, a) for a in release.assets.values()])


@repo_route("POST", r"/api/uploads/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/releases/(?P<id>\d+)/assets")
def upload_asset(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    release = repo.releases.get(int(params["id"]))
    if release is None:
        return not_found()
    name = req.query.get("name", "")
    if not name:
        return error(400, "Bad Content-Length or name")
    if _locked(release):  # GitHub says this one at the top level, without `errors`
        return error(422, "Cannot upload assets to an immutable release.", docs=UPLOAD_DOCS)
    if any(a.name == name for a in release.assets.values()):
        return invalid("ReleaseAsset", "name", "already_exists", docs=UPLOAD_DOCS)
    clean = re.sub(r"[^A-Za-z0-9._+-]", ".", name)
    asset = Asset(world.new_id(), clean, req.query.get("label", ""),
                  req.headers.get("content-type", "application/octet-stream"), req.body, req.user)
    release.assets[asset.id] = asset
    return json_response(201, shapes.asset(repo, release, asset),
                         {"Location": f"{shapes.repo_api(repo)}/releases/assets/{asset.id}"})


@repo_route("GET", _REPO + r"/releases/assets/(?P<asset>\d+)")
def get_asset(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    found = _find_asset(repo, params)
    if found is None:
        return not_found()
    release, asset = found
    if not _visible(req, release):
        return not_found()
    if req.headers.get("accept", "") == "application/octet-stream":
        return shapes.links.redirect(f"{repo.full_name}/assets/{asset.id}", ASSET_LINK_SECONDS)
    return json_response(200, shapes.asset(repo, release, asset))


@repo_route("PATCH", _REPO + r"/releases/assets/(?P<asset>\d+)")
def update_asset(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    found = _find_asset(repo, params)
    if found is None:
        return not_found()
    release, asset = found
    if _locked(release):
        return invalid("ReleaseAsset", "name", "custom", IMMUTABLE)
    data = req.json()
    asset.name = str(data.get("name") or asset.name)
    asset.label = str(data.get("label") or asset.label)
    return json_response(200, shapes.asset(repo, release, asset))


@repo_route("DELETE", _REPO + r"/releases/assets/(?P<asset>\d+)")
def delete_asset(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    found = _find_asset(repo, params)
    if found is None:
        return not_found()
    release, asset = found
    if _locked(release):
        return invalid("ReleaseAsset", "id", "custom", IMMUTABLE)
    del release.assets[asset.id]
    return Response(204)


@repo_route("GET", r"/(?P<owner>[^/]+)/(?P<repo>[^/]+)/releases/download/(?P<tag>[^/]+)/(?P<name>[^/]+)")
def browser_download(world: World, shapes: Shapes, req: Request, repo: Repo,
                     params: dict[str, str]) -> Response:
    for release in repo.releases.values():
        if release.tag_name == params["tag"] and not release.draft:
            for asset in release.assets.values():
                if asset.name == params["name"]:
                    return shapes.links.redirect(f"{repo.full_name}/assets/{asset.id}",
                                                 ASSET_LINK_SECONDS)
    return not_found()


def asset_bytes(world: World, full_name: str, asset_id: int) -> bytes | None:
    """An asset's bytes, for the object store's signed links."""
    owner, _, name = full_name.partition("/")
    repo = world.repo(owner, name)
    for release in repo.releases.values() if repo else ():
        if asset_id in release.assets:
            return release.assets[asset_id].data
    return None
