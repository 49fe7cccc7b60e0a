"""Pull-request titles from GitHub for the changelog (batched GraphQL, cached on disk)."""

from __future__ import annotations

from collections.abc import Sequence

from release.context import Context


def github_titles(ctx: Context, numbers: Sequence[int], *, refresh: bool = False) -> dict[int, str]:
    """Current GitHub titles by number; numbers GitHub does not know as pull requests are left out."""
    found = ctx.github().pull_requests(numbers, refresh=refresh)
    return {number: info.title for number, info in found.items()}
