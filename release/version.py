"""The release version model: one parsed version and everything derived from it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from release.errors import VersionError

_HINT = "use X.Y.Z, X.Y.ZrcN, X.Y.ZbN or X.Y.Z.dev0, for example 2.4.0, 2.4.0rc1 or 2.5.0.dev0"
_TAG_RE = re.compile(r"^v?(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+|\.dev0)?)$")


@dataclass(frozen=True, order=True)
class ReleaseVersion:
    """A version the toolkit can release: exactly three release numbers, optional pre or dev0."""

    parsed: Version

    @classmethod
    def parse(cls, text: str) -> ReleaseVersion:
        raw = text.strip()
        body = raw[1:] if raw.startswith("v") else raw
        if ".." in raw:
            raise VersionError(f"{text!r} is a range of commits, not a version",
                               hint="only changelog and mailmap take a range (A..B); this step "
                                    "takes a version, e.g. 2.4.0")
        try:
            parsed = Version(body)
        except InvalidVersion:
            raise VersionError(f"{text!r} is not a version", hint=_HINT) from None
        if len(parsed.release) != 3:
            raise VersionError(
                f"{text!r} must have exactly three numbers (major.minor.micro)", hint=_HINT
            )
        if parsed.epoch or parsed.post is not None or parsed.local is not None:
            raise VersionError(f"{text!r} has an epoch, post or local part", hint=_HINT)
        if parsed.dev is not None and (parsed.dev != 0 or parsed.pre is not None):
            raise VersionError(f"{text!r}: only a plain X.Y.Z.dev0 is a development tag", hint=_HINT)
        if str(parsed) != body:
            raise VersionError(f"{text!r} is not in canonical form; use {parsed}", hint=_HINT)
        return cls(parsed)

    def __str__(self) -> str:
        return str(self.parsed)

    @property
    def major(self) -> int:
        return self.parsed.release[0]

    @property
    def minor(self) -> int:
        return self.parsed.release[1]

    @property
    def micro(self) -> int:
        return self.parsed.release[2]

    @property
    def series(self) -> str:
        """`2.4` for every 2.4 release; names docs directories and branches."""
        return f"{self.major}.{self.minor}"

    @property
    def base(self) -> str:
        """`2.5.0` for 2.5.0rc1: release candidates share the final's changelog and notes."""
        return self.parsed.base_version

    @property
    def is_dev(self) -> bool:
        return self.parsed.dev is not None

    @property
    def is_prerelease(self) -> bool:
        """True for rc and beta releases (not for dev0 tags)."""
        return self.parsed.pre is not None

    @property
    def is_final(self) -> bool:
        return not self.is_dev and not self.is_prerelease

    @property
    def is_feature(self) -> bool:
        """X.Y.0 final or pre-release: the start of a series."""
        return self.micro == 0 and not self.is_dev

    @property
    def is_patch(self) -> bool:
        return self.micro > 0 and not self.is_dev

    def fields(self) -> dict[str, str | int]:
        """Placeholders for config patterns such as `maintenance/{major}.{minor}.x`."""
        return {
            "version": str(self),
            "base": self.base,
            "major": self.major,
            "minor": self.minor,
            "micro": self.micro,
            "series": self.series,
        }

    def format(self, pattern: str, **extra: str) -> str:
        return pattern.format(**self.fields(), **extra)

    def tag(self, tag_format: str = "v{version}") -> str:
        return self.format(tag_format)

    def maintenance_branch(self, pattern: str = "maintenance/{major}.{minor}.x") -> str:
        return self.format(pattern)

    def next_patch(self) -> ReleaseVersion:
        """What the maintenance branch reads after this release (2.4.0 -> 2.4.1, 2.5.0rc1 -> 2.5.0)."""
        if self.is_prerelease:
            return ReleaseVersion.parse(self.base)
        return ReleaseVersion.parse(f"{self.major}.{self.minor}.{self.micro + 1}")

    def next_dev(self) -> ReleaseVersion:
        """The dev0 version that starts the next series on main."""
        return ReleaseVersion.parse(f"{self.major}.{self.minor + 1}.0.dev0")

    def previous_release(self, tags: Iterable[str], tag_format: str = "v{version}") -> ReleaseVersion | None:
        """The newest released version (not dev0) among `tags` that is older than this one."""
        older = [v for v in versions_from_tags(tags, tag_format) if not v.is_dev and v < self]
        return max(older, default=None)


def versions_from_tags(tags: Iterable[str], tag_format: str = "v{version}") -> list[ReleaseVersion]:
    """Parse the tags that follow `tag_format`; other tags are ignored."""
    prefix, _, suffix = tag_format.partition("{version}")
    found = []
    for tag in tags:
        if not (tag.startswith(prefix) and tag.endswith(suffix)):
            continue
        body = tag[len(prefix) : len(tag) - len(suffix) if suffix else None]
        if _TAG_RE.match(body):
            found.append(ReleaseVersion.parse(body))
    return sorted(found)
