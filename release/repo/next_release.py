"""The release a maintenance branch makes next, read from its name and the tags it holds.

Continuous rehearsals run with no version given: on `maintenance/2.5.x` after v2.5.2 the next is
2.5.3; on a branch whose series has only release candidates it is the final; on a branch with no
tag of its series yet it is the first release candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from release.errors import PreconditionError
from release.services.git import GitService
from release.version import ReleaseVersion, versions_from_tags


def branch_series(branch: str, pattern: str = "maintenance/{major}.{minor}.x") -> tuple[int, int] | None:
    """(major, minor) when `branch` is a maintenance branch of `pattern`, else None."""
    parts = re.split(r"(\{major\}|\{minor\})", pattern)
    regex = "".join(
        r"(?P<major>\d+)" if part == "{major}" else r"(?P<minor>\d+)" if part == "{minor}"
        else re.escape(part) for part in parts)
    found = re.fullmatch(regex, branch.removeprefix("refs/heads/"))
    return (int(found["major"]), int(found["minor"])) if found else None


def next_release(branch: str, tags: Iterable[str], *, pattern: str = "maintenance/{major}.{minor}.x",
                 tag_format: str = "v{version}") -> ReleaseVersion:
    """The next release of `branch`, given the tags reachable from it."""
    series = branch_series(branch, pattern)
    if series is None:
        example = pattern.format(major=2, minor=5)
        raise PreconditionError(
            f"{branch!r} is not a maintenance branch, so the next release cannot be inferred",
            hint=f"give the version (e.g. rehearse 2.5.3), or run on a branch like {example}")
    major, minor = series
    made = [v for v in versions_from_tags(tags, tag_format)
            if (v.major, v.minor) == series and not v.is_dev]
    finals = [v for v in made if v.is_final]
    if finals:
        return max(finals).next_patch()
    if made:
        return ReleaseVersion.parse(f"{major}.{minor}.0")
    return ReleaseVersion.parse(f"{major}.{minor}.0rc1")


def infer(git: GitService, branch: str | None, *, remote: str, env: Mapping[str, str],
          pattern: str = "maintenance/{major}.{minor}.x",
          tag_format: str = "v{version}") -> tuple[ReleaseVersion, str]:
    """The next release and the branch it was read from: `branch` (`newest` for the highest
    series), else the checked-out branch, else GitHub Actions' GITHUB_REF_NAME (a detached
    checkout)."""
    name = branch or git.current_branch() or env.get("GITHUB_REF_NAME") or ""
    if name == "newest":
        name = _newest(git, pattern)
    ref = next((candidate for candidate in (name, f"{remote}/{name}", f"origin/{name}")
                if candidate and git.has_ref(candidate)), None)
    if ref is None:
        raise PreconditionError(
            f"no branch {name!r} here to read the next release from" if name
            else "the checkout is on no branch, so the next release cannot be inferred",
            hint="give the version, or --branch maintenance/X.Y.x")
    tags = git.run(["tag", "--merged", ref]).split()
    return next_release(name, tags, pattern=pattern, tag_format=tag_format), name


def _newest(git: GitService, pattern: str) -> str:
    refs = git.run(["for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes"]).split()
    names = {ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/")
             else ref.removeprefix("refs/remotes/").split("/", 1)[-1] for ref in refs}
    found = [(series, name) for name in names if (series := branch_series(name, pattern))]
    if not found:
        raise PreconditionError("no maintenance branch here, so `newest` names none",
                                hint=f"fetch the branches ({pattern.format(major='X', minor='Y')})")
    return max(found)[1]
