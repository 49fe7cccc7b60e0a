"""SciPy's "Issues closed for X.Y.Z" and "Pull requests for X.Y.Z" lists, written as its
`tools/gh_lists.py` writes them: by number, titles sanitised as NumPy's changelog does except
that asterisks inside code spans stay as they are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from release.changelog.format import sanitize_title
from release.services.github_milestones import MilestoneItem, MilestoneLists


@dataclass(frozen=True)
class ListLine:
    number: int
    url: str
    title: str


def lines(items: tuple[MilestoneItem, ...], github_repo: str, kind: str) -> list[ListLine]:
    return [ListLine(item.number, f"https://github.com/{github_repo}/{kind}/{item.number}",
                     sanitize_title(item.title, code_asterisks=True)) for item in items]


def render_lists(lists: MilestoneLists, github_repo: str, render: Callable[..., str]) -> str:
    """The two sections; `render` is the project's template lookup (ctx.render)."""
    values: dict[str, Any] = {
        "title": lists.title,
        "issues": lines(lists.issues, github_repo, "issues"),
        "pulls": lines(lists.pulls, github_repo, "pull"),
    }
    return render("milestone-lists.rst.j2", **values)
