"""GitHub releases and their assets as frozen values, on top of `GitHubService`.

Drafts are not returned by `GET /releases/tags/{tag}`, so a release is looked up in the list of
all releases (drafts included, which needs push access). Every call goes through
`GitHubService.call`, which turns GitHub's refusals into one-line ServiceErrors.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from github.GitRelease import GitRelease
from github.GitReleaseAsset import GitReleaseAsset

from release.errors import PreconditionError
from release.services.github import GitHubService, payload
from release.wheels.assets import LocalAsset, RemoteAsset

CONTENTS = "contents: write"  # what every release change takes


@dataclass(frozen=True)
class RemoteRelease:
    id: int
    tag: str
    title: str
    body: str
    draft: bool
    prerelease: bool
    immutable: bool
    url: str
    assets: tuple[RemoteAsset, ...]


class GitHubReleases:
    """Release and asset calls for one repository."""

    def __init__(self, service: GitHubService) -> None:
        self.service = service
        self._handles: dict[int, GitRelease] = {}

    def find(self, tag: str) -> RemoteRelease | None:
        """The release (draft or published) for `tag`; more than one is an error to sort out."""
        self.service.require_token(f"look for the release {tag} (drafts are visible only then)")
        repo = self.service.repository()
        found = self.service.call(f"list the releases of {self.service.repo_name}",
                                  lambda: [r for r in repo.get_releases() if r.tag_name == tag])
        if len(found) > 1:
            ids = ", ".join(str(r.id) for r in found)
            raise PreconditionError(
                f"{len(found)} releases on GitHub use tag {tag} (ids {ids})",
                hint="delete the extra drafts on GitHub's releases page, then rerun",
            )
        return self._value(found[0]) if found else None

    def create_draft(self, tag: str, title: str, body: str, prerelease: bool) -> RemoteRelease:
        repo = self.service.repository()
        made = self.service.call(f"create the draft release for {tag}", lambda: repo.create_git_release(
            tag, title, body, draft=True, prerelease=prerelease), needs=CONTENTS)
        return self._value(made)

    def update(self, release_id: int, title: str, body: str, prerelease: bool,
               *, draft: bool = True) -> RemoteRelease:
        handle = self._handle(release_id)
        what = "publish" if not draft else "update the draft"
        updated = self.service.call(f"{what} release {handle.tag_name}", lambda: handle.update_release(
            title, body, draft=draft, prerelease=prerelease), needs=CONTENTS)
        return self._value(updated)

    def upload(self, release_id: int, asset: LocalAsset) -> RemoteAsset:
        handle = self._handle(release_id)
        made = self.service.call(f"upload {asset.name}", lambda: handle.upload_asset_from_memory(
            io.BytesIO(asset.data), asset.size, asset.name, content_type=_content_type(asset.name)),
            needs=CONTENTS)
        return self._asset(made)

    def delete_asset(self, release_id: int, asset: RemoteAsset) -> None:
        handle = self._handle(release_id)

        def delete() -> None:
            for there in handle.get_assets():
                if there.id == asset.id:
                    there.delete_asset()

        self.service.call(f"delete asset {asset.name}", delete, needs=CONTENTS)

    def assets(self, release_id: int) -> tuple[RemoteAsset, ...]:
        handle = self._handle(release_id)
        found = self.service.call(f"list the assets of {handle.tag_name}",
                                  lambda: list(handle.get_assets()))
        return tuple(self._asset(a) for a in found)

    def _handle(self, release_id: int) -> GitRelease:
        if release_id not in self._handles:
            repo = self.service.repository()
            self._handles[release_id] = self.service.call(f"read release {release_id}",
                                                          lambda: repo.get_release(release_id))
        return self._handles[release_id]

    def _value(self, release: GitRelease) -> RemoteRelease:
        """The release as the answer that listed or made it carried it (see `payload`)."""
        raw = payload(release)
        self._handles[int(raw["id"])] = release
        return RemoteRelease(
            id=int(raw["id"]), tag=str(raw["tag_name"]), title=str(raw.get("name") or ""),
            body=str(raw.get("body") or ""), draft=bool(raw["draft"]),
            prerelease=bool(raw["prerelease"]), immutable=bool(raw.get("immutable", False)),
            url=str(raw["html_url"]), assets=tuple(self._asset(a) for a in release.assets),
        )

    def _asset(self, asset: GitReleaseAsset) -> RemoteAsset:
        raw = payload(asset)
        digest = str(raw.get("digest") or "")
        state = str(raw.get("state", "uploaded"))
        sha = digest.removeprefix("sha256:") if digest.startswith("sha256:") else None
        if sha is None and state == "uploaded":
            sha = self._download_sha256(asset, str(raw["name"]))
        return RemoteAsset(int(raw["id"]), str(raw["name"]), int(raw["size"]), sha, state)

    def _download_sha256(self, asset: GitReleaseAsset, name: str) -> str:
        """Older assets carry no digest; hash the bytes GitHub serves instead."""
        digest = hashlib.sha256()

        def read() -> None:
            _, _, chunks = asset.download_asset(chunk_size=1 << 16)
            for chunk in chunks:
                digest.update(chunk)

        self.service.call(f"download {name}", read)
        return digest.hexdigest()


def _content_type(name: str) -> str:
    if name.endswith((".tar.gz", ".tgz")):
        return "application/gzip"
    if name.endswith((".rst", ".md", ".txt")):
        return "text/plain"
    return "application/octet-stream"
