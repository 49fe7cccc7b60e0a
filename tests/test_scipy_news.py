"""scipy.org's news page and the Discourse post under the SciPy profile, against SciPy's own
"Announce SciPy X.Y.Z" commits on scipy/scipy.org."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from release.errors import PreconditionError
from release.sites.scipy_news import discourse_post, edit_news
from release.templating import profile_search

NEWS = Path(__file__).parent / "data" / "scipy" / "scipy.org"
SEARCH = profile_search("scipy", Path("."))


def _edit(text: str, version: str, day: str) -> str:
    return edit_news(text, project="SciPy", version=version, day=datetime.date.fromisoformat(day),
                     release_url=f"https://github.com/scipy/scipy/releases/tag/v{version}",
                     where="news.md", search=SEARCH)


@pytest.mark.parametrize(("version", "day"), [("1.17.1", "2026-02-22"), ("1.17.0", "2026-01-10")])
def test_news_page_edit_is_scipy_s_own(version: str, day: str) -> None:
    before = (NEWS / f"news-before-{version}.md").read_text(encoding="utf-8")
    after = (NEWS / f"news-after-{version}.md").read_text(encoding="utf-8")
    assert _edit(before, version, day) == after
    assert _edit(after, version, day) == after  # announced already: unchanged


def test_news_page_refuses_another_shape() -> None:
    with pytest.raises(PreconditionError, match="no `## Releases` heading"):
        _edit("---\ntitle: News\n---\n\nnothing here\n", "1.18.1", "2026-03-01")
    with pytest.raises(PreconditionError, match="front matter"):
        _edit("# News\n", "1.18.1", "2026-03-01")


def test_discourse_post_has_the_title_links_and_the_notes() -> None:
    notes = "==========================\nSciPy 1.18.1 Release Notes\n==========================\n"
    post = discourse_post(project="SciPy", package="scipy", version="1.18.1",
                          release_url="https://github.com/scipy/scipy/releases/tag/v1.18.1",
                          pypi_url="https://pypi.org/project/scipy/1.18.1/", notes=notes,
                          search=SEARCH)
    lines = post.splitlines()
    assert lines[0] == "ANN: SciPy 1.18.1"
    assert "pip install scipy==1.18.1" in lines
    assert "https://github.com/scipy/scipy/releases/tag/v1.18.1" in lines
    assert post.endswith(notes)
