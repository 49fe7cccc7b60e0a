"""What a maintenance branch says between releases, by the profile's `branch_version` choice.

NumPy's reset commit sets the next release itself (2.4.1 -> 2.4.2). SciPy's sets a dev version
(1.18.1 -> 1.18.2.dev0; between release candidates 1.18.0rc2 -> 1.18.0rc3.dev0), because its
`tools/gitversion.py` stamps `+git...` only on dev versions.
"""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from release.config import Config
from release.version import ReleaseVersion


def after_release(config: Config, version: ReleaseVersion) -> str:
    """The version the maintenance branch says once `version` is out."""
    following = version.next_patch()
    if config.branch_version != "next-dev0":
        return str(following)
    pre = version.parsed.pre
    if pre is not None:
        return f"{version.base}{pre[0]}{pre[1] + 1}.dev0"
    return f"{following}.dev0"


def before_release(found: str, version: ReleaseVersion) -> bool:
    """Whether `found` is what the branch may say before `version`'s REL commit: a dev version
    or an earlier pre-release of the same X.Y.Z (2.5.0.dev0, 2.5.0rc1, 1.18.0rc3.dev0)."""
    try:
        parsed = Version(found)
    except InvalidVersion:
        return False
    return parsed.base_version == version.base and parsed < version.parsed


def next_candidate(config: Config, version: ReleaseVersion) -> ReleaseVersion | None:
    """The candidate the branch heads for after release candidate `version` when the branch says
    its dev0 in between (`next-dev0`: 1.18.0rc1 -> 1.18.0rc2); None otherwise."""
    pre = version.parsed.pre
    if config.branch_version != "next-dev0" or version.is_dev or pre is None:
        return None
    return ReleaseVersion.parse(f"{version.base}{pre[0]}{pre[1] + 1}")
