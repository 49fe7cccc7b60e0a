"""Which pull request a backport stands for: its body, its title, then its branch."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.changelog.pulls import map_backports, pull_from_commit, pulls_in_range
from release.services.git import Commit, GitService


def merge(subject: str, body: str) -> Commit:
    return Commit("a" * 40, ("b" * 40, "c" * 40), "Charles Harris", "charlesr.harris@gmail.com",
                  subject, body)


@pytest.mark.parametrize(
    ("subject", "body", "original"),
    [
        # NumPy's merges whose title lacks "(#N)": only the branch names the original
        ("Merge pull request #32116 from charris/backport-31985",
         "BUG: Fix buffered iterator stride after removing multi-index", 31985),
        ("Merge pull request #32135 from charris/backport-32128",
         "TYP: type capabilities max dimensions", 32128),
        # a title's number wins over a mistyped branch
        ("Merge pull request #31079 from charris/backport-20801",
         "TST: fix POWER VSX feature mapping (#30801)", 30801),
        # and a body's "Backport of #N" over both
        ("Merge pull request #7 from someone/backport-5", "Fix it (#6)\n\nBackport of #4.", 4),
        ("Merge pull request #7 from someone/backport_5", "Fix it", 5),
        # branches that name several pull requests, or none, say nothing
        ("Merge pull request #31889 from charris/backport-typing-fixes-1",
         "TYP: Backport multiple static typing fixes 1.", None),
        ("Merge pull request #26000 from charris/backport-25990-25991", "Two fixes", None),
        ("Merge pull request #27000 from numpy/revert-26999-backport-26998", "Revert", None),
        ("Merge pull request #31864 from charris/begin-2.5.2",
         "MAINT: Prepare 2.5.x for further development", None),
        # a branch named after the pull request itself is no backport
        ("Merge pull request #31951 from someone/backport-31951", "TYP: shadowed dtypes", None),
    ],
)
def test_original(subject: str, body: str, original: int | None) -> None:
    pull = pull_from_commit(merge(subject, body), on_first_parent=True)
    assert pull is not None and pull.kind == "merge"
    assert pull.original == original


def test_head_comes_from_the_merge_subject() -> None:
    pull = pull_from_commit(merge("Merge pull request #32116 from charris/backport-31985", "x"), True)
    assert pull is not None and pull.head == "charris/backport-31985"
    homu = pull_from_commit(merge("Auto merge of #9000 - someone:backport-8999, r=bot", "x"), True)
    assert homu is not None and homu.kind == "homu" and homu.head == "" and homu.original is None


def test_numpy_2_5_2_backports_by_branch(numpy_bundle_clone: Path) -> None:
    """The five 2.5.2 backports whose merges give no number in their title map by branch; the
    original keeps the backport's git title."""
    git = GitService(numpy_bundle_clone)
    pulls = {pull.number: pull for pull in pulls_in_range(git, "v2.5.1", "v2.5.2^")}
    by_branch = {number: pull.original for number, pull in pulls.items()
                 if pull.original is not None and f"({pull.original})" not in pull.title
                 and f"#{pull.original})" not in pull.title}
    assert by_branch == {32077: 32020, 32114: 31968, 32116: 31985, 32135: 32128, 31955: 31951}
    mapped = {pull.number: pull.title for pull in map_backports(pulls.values())}
    assert mapped[31985] == "BUG: Fix buffered iterator stride after removing multi-index"
    assert not {32077, 32114, 32116, 32135, 31955} & set(mapped)
