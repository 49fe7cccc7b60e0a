"""What GitHub says of a version, asked once for every row of `status` (one GraphQL query: the
release, a draft too, with its assets, and the pull requests of the release's work branches).
The tag row asks the upstream remote through git instead, which costs no API request."""

from __future__ import annotations

from release.context import Context
from release.errors import ReleaseError
from release.profiles.versions import next_candidate
from release.services.github_version import VersionOnGitHub, version_on_github
from release.status import LookOptions
from release.version import ReleaseVersion


class OnGitHub:
    """Asked by the first row that needs it and shared by the rest; a failure is kept too, so
    it is not asked twice."""

    def __init__(self, ctx: Context, version: ReleaseVersion) -> None:
        self.ctx, self.version = ctx, version
        self._found: VersionOnGitHub | ReleaseError | None = None

    def branches(self) -> list[str]:
        """The release's work branches: the release PR's, the reset's (after a final, or a
        candidate where the profile resets then) and after a final main's."""
        cfg, version = self.ctx.config, self.version
        found = [f"{cfg.github.pr_branch_prefix}prepare-{version}"]
        candidate = next_candidate(cfg, version)  # SciPy resets after a candidate too
        if version.is_final or candidate is not None:
            found.append(f"begin-{candidate or version.next_patch()}")
        if version.is_final:
            found.append(f"post-{version}-release-update")
        return found

    def get(self) -> VersionOnGitHub:
        if self._found is None:
            try:
                self._found = version_on_github(self.ctx.github(),
                                                self.version.tag(self.ctx.config.tag_format),
                                                self.branches())
            except ReleaseError as exc:
                self._found = exc
        if isinstance(self._found, ReleaseError):
            raise self._found
        return self._found

    def open_pull(self, branch: str) -> str:
        """`; pull request #N is open: URL` for the newest open PR from `branch`, else "" (also
        when GitHub is not looked at: the row stands on git alone)."""
        ctx = self.ctx
        if ctx.typed(LookOptions).offline or not ctx.github().has_token:
            return ""
        try:
            pulls = self.get().pulls.get(branch, ())
        except ReleaseError:
            return ""
        pull = next((p for p in pulls if p.state == "OPEN"), None)
        return "" if pull is None else f"; pull request #{pull.number} is open: {pull.url}"
