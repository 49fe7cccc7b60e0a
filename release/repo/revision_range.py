"""The range of history a release covers, inferred from the version as NumPy's changelogs use it.

- X.Y.0 and its release candidates: from the dev0 tag `vX.Y.0.dev0` to the maintenance branch.
  When the dev0 tag is on a merge commit (the "Begin X.Y.0 development" pull request), the range
  starts at its first parent so that pull request is listed, as in NumPy 2.2.0-2.4.0.
- X.Y.Z: from the previous patch tag `vX.Y.(Z-1)` to the maintenance branch.
- With `series_start = "previous-feature"` (SciPy, which has no dev0 tags), X.Y.0 and its
  candidates start at the previous series' first release, `vX.(Y-1).0`.

The maintenance branch is the local branch, else the upstream remote's, else the fork's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from release.config import Config
from release.errors import PreconditionError, UsageError
from release.services.git import GitService
from release.version import ReleaseVersion, versions_from_tags


@dataclass(frozen=True)
class RevisionRange:
    start: str
    end: str

    def __str__(self) -> str:
        return f"{self.start}..{self.end}"

    @classmethod
    def parse(cls, text: str) -> RevisionRange | None:
        """`A..B` -> RevisionRange; anything else (a version) -> None. `A...B` (git's
        symmetric difference: the commits of either side the other lacks) is no release's range
        and is refused, naming the two-dot range meant."""
        if "..." in text:
            start, _, end = text.partition("...")
            raise UsageError(f"{text!r} is a symmetric difference (three dots), not a range",
                             hint=f"a release's range has two dots: {start.strip()}.."
                                  f"{end.strip().lstrip('.')} (the commits in the second, not "
                                  "the first)")
        if ".." not in text:
            return None
        start, _, end = text.partition("..")
        return cls(start.strip(), end.strip())


def start_tag(config: Config, version: ReleaseVersion, tags: Iterable[str] = ()) -> tuple[str, str]:
    """The tag a release's range starts at, and what that tag is (for messages). `tags` are the
    repository's, needed only to find the series before an X.0.0 without dev tags."""
    if version.is_patch:
        previous = ReleaseVersion.parse(f"{version.major}.{version.minor}.{version.micro - 1}")
        return previous.tag(config.tag_format), "previous release"
    if config.series_start == "previous-feature":
        return previous_feature(config, version, tags).tag(config.tag_format), "previous series' release"
    return ReleaseVersion.parse(f"{version.base}.dev0").tag(config.tag_format), "development tag"


def previous_feature(config: Config, version: ReleaseVersion, tags: Iterable[str]) -> ReleaseVersion:
    """vX.(Y-1).0 for X.Y.0; for X.0.0 the newest earlier X'.Y'.0 among `tags`."""
    if version.minor > 0:
        return ReleaseVersion.parse(f"{version.major}.{version.minor - 1}.0")
    older = [v for v in versions_from_tags(tags, config.tag_format)
             if v.is_final and v.micro == 0 and v.major < version.major]
    if not older:
        raise PreconditionError(f"no earlier X.Y.0 release tag to start {version}'s range at",
                                hint="fetch tags, or give the start with --since REF")
    return max(older)


def infer_start(git: GitService, config: Config, version: ReleaseVersion) -> str:
    tags = git.tags() if config.series_start == "previous-feature" and version.minor == 0 else ()
    tag, what = start_tag(config, version, tags)
    if git.tag_object(tag) is None:
        raise PreconditionError(
            f"the {what} {tag} for {version} does not exist",
            hint=f"fetch tags (git fetch {config.upstream_remote} --tags) or give the start with "
                 "--since REF",
        )
    if version.is_patch or config.series_start == "previous-feature":
        return tag
    return f"{tag}^" if len(git.parents(tag)) > 1 else tag


def infer_end(git: GitService, config: Config, version: ReleaseVersion) -> str:
    branch = version.maintenance_branch(config.maintenance_branch)
    for ref in (branch, f"{config.upstream_remote}/{branch}", f"{config.fork_remote}/{branch}"):
        if git.has_ref(ref):
            return ref
    raise PreconditionError(
        f"there is no branch {branch} (neither local nor on {config.upstream_remote})",
        hint=f"git fetch {config.upstream_remote}, or give the range end with --until REF",
    )


def resolve(
    git: GitService,
    config: Config,
    version: ReleaseVersion | None,
    *,
    explicit: RevisionRange | None = None,
    since: str | None = None,
    until: str | None = None,
) -> RevisionRange:
    """The range to use: explicit parts win, the rest is inferred from the version."""
    start = since or (explicit.start if explicit else None)
    end = until or (explicit.end if explicit else None)
    if version is not None:
        start = start or infer_start(git, config, version)
        end = end or infer_end(git, config, version)
    if not start or not end:
        raise PreconditionError("cannot tell which range to use",
                                hint="give a version (2.4.1) or a range (v2.4.0..v2.4.1)")
    for ref in (start, end):
        if not git.has_ref(ref):
            raise PreconditionError(
                f"unknown revision {ref!r} in the range {start}..{end}",
                hint=f"check the spelling, or fetch it: git fetch {config.upstream_remote} --tags",
            )
    return RevisionRange(start, end)


def version_of(git: GitService, config: Config, ref: str) -> ReleaseVersion | None:
    """The released version a tag names (`v2.4.1` -> 2.4.1); None for branches and dev0 tags."""
    found = versions_from_tags([ref], config.tag_format)
    if found and not found[0].is_dev and git.tag_object(ref) is not None:
        return found[0]
    return None
