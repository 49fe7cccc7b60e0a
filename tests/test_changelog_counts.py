"""A published changelog's two sections read back, with the totals it states checked against
its lists: every NumPy 2.x changelog passes, a miscounted one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.changelog.counts import read_changelog
from release.errors import PreconditionError

CHANGELOGS = sorted((Path(__file__).parent / "data" / "numpy" / "changelogs").glob("*.rst"))


@pytest.mark.parametrize("path", CHANGELOGS, ids=lambda path: path.name)
def test_every_published_changelog_reads_with_its_totals(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    summary = read_changelog(text, path.name)
    assert f"A total of {len(summary.contributors)} people contributed" in text
    assert f"A total of {summary.pull_count} pull requests were merged" in text
    assert summary.contributors_text.startswith("Contributors\n============\n")
    assert summary.pulls_text.startswith("Pull requests merged\n====================\n")


def test_the_2_4_1_changelog_names_its_people_and_pulls() -> None:
    path = next(p for p in CHANGELOGS if p.name == "2.4.1-changelog.rst")
    summary = read_changelog(path.read_text(encoding="utf-8"), path.name)
    assert summary.contributors[:2] == ("Alexander Shadchin", "Bill Tompkins +")
    assert len(summary.contributors) == 9 and summary.pull_count == 15


def test_a_miscounted_list_is_refused_with_both_numbers() -> None:
    path = next(p for p in CHANGELOGS if p.name == "2.4.1-changelog.rst")
    text = path.read_text(encoding="utf-8").replace("A total of 9 people", "A total of 10 people")
    with pytest.raises(PreconditionError) as raised:
        read_changelog(text, "2.4.1-changelog.rst")
    assert raised.value.message == "2.4.1-changelog.rst says 10 people but lists 9"


def test_a_changelog_without_contributors_is_refused() -> None:
    with pytest.raises(PreconditionError) as raised:
        read_changelog("Pull requests merged\n====================\n", "x.rst")
    assert raised.value.message == "x.rst has no `Contributors` section"
