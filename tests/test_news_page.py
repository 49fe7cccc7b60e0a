"""numpy.org's news page and hero button edited for a release, on the page as NumPy had it after
2.4.6 (release/fakes/numpy_org.py keeps NumPy's own lines)."""

from __future__ import annotations

import datetime

import pytest

from release.errors import PreconditionError
from release.fakes.numpy_org import SNAPSHOT_RELEASES, news_md, release_line, site_config
from release.notes.summary import NotesSummary
from release.sites.news_page import Announcement, edit_news, edit_site_config, line_date, section_date

NOTES = NotesSummary("NumPy 2.5.0 adds things.", ("A new `np.thing`.",), ("3.12", "3.14"))


def announcement(version: str, day: datetime.date, *, feature: bool) -> Announcement:
    return Announcement("NumPy", version, version.rsplit(".", 1)[0], day,
                        f"https://github.com/numpy/numpy/releases/tag/v{version}", NOTES, feature)


def test_dates_are_written_as_numpy_writes_them() -> None:
    assert section_date(datetime.date(2025, 12, 20)) == "20 Dec, 2025"
    assert line_date(datetime.date(2026, 5, 18)) == "18 May 2026"


def test_a_patch_release_gets_its_line_on_top_and_nothing_else_changes() -> None:
    page = news_md()
    edited = edit_news(page, announcement("2.4.7", datetime.date(2026, 6, 1), feature=False),
                       "news.md")
    line = release_line("2.4.7", "1 Jun 2026")
    assert edited == page.replace(release_line(*SNAPSHOT_RELEASES[0]),
                                  line + release_line(*SNAPSHOT_RELEASES[0]))
    assert edit_news(edited, announcement("2.4.7", datetime.date(2026, 6, 1), feature=False),
                     "news.md") == edited


def test_a_feature_release_gets_its_section_and_the_header() -> None:
    a = announcement("2.5.0", datetime.date(2026, 6, 21), feature=True)
    edited = edit_news(news_md(), a, "news.md")
    assert 'newsHeader: "NumPy 2.5.0 released!"\ndate: 2026-06-21\n---\n\n### NumPy 2.5.0 released' \
        in edited
    assert "_21 Jun, 2026_ -- NumPy 2.5.0 adds things. Highlights are:" in edited
    assert edited.count("### NumPy 2.4.0 released") == 1
    assert edit_news(edited, a, "news.md") == edited


def test_the_hero_button_names_the_new_series() -> None:
    a = announcement("2.5.0", datetime.date(2026, 6, 21), feature=True)
    assert edit_site_config(site_config("2.4"), a, "config.yaml") == site_config("2.5")


@pytest.mark.parametrize(("page", "words"), [
    ("## Releases\n", "does not start with a `---` front matter block"),
    ("---\ntitle: News\n", "front matter block is not closed"),
    ("---\ntitle: News\n---\n\nno list here\n", "has no `## Releases` heading"),
])
def test_a_page_of_another_shape_is_refused(page: str, words: str) -> None:
    with pytest.raises(PreconditionError) as info:
        edit_news(page, announcement("2.4.7", datetime.date(2026, 6, 1), feature=False), "news.md")
    assert words in info.value.message
