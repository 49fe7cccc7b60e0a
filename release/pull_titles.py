"""Pull-request titles from GitHub for the changelog."""

from __future__ import annotations

from collections.abc import Sequence

from release.context import Context
from release.errors import ServiceError


def github_titles(ctx: Context, numbers: Sequence[int], *, refresh: bool = False) -> dict[int, str]:
    """Current GitHub titles by number."""
    raise ServiceError("GitHub titles are not available in this build",
                       hint="use --offline for titles from git")
