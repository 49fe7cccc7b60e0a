"""Backport candidates on a small NumPy-shaped repository (merge and squash commits on main, a
cherry-picked backport and a conflicting change on the maintenance branch) with labels and
milestones on the fake GitHub; and the matching over NumPy's real maintenance/2.5.x."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GITHUB_CANARY
from helpers import Cli, git, table_rows

from release.assistants.backports import fork_point, merged_on_main, on_branch
from release.fakes.github import FakeGitHub
from release.services.git import GitService

LABEL = "09 - Backport-Candidate"
ENV = ["-c", "user.name=Chuck", "-c", "user.email=chuck@example.org"]


def _commit(repo: Path, message: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, *ENV, "commit", "-q", "-m", message)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """main: #10 merged (a merge commit changing a.txt), #11 and #12 squashed, #13 squashed;
    maintenance/1.0.x: #12 cherry-picked, and its own change to the line #10 changes."""
    repo = tmp_path / "numpy"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    _commit(repo, "initial", {"a.txt": "one\ntwo\nthree\n", "b.txt": "b\n"})
    git(repo, "branch", "maintenance/1.0.x")
    git(repo, "switch", "-q", "-c", "fix-a")
    _commit(repo, "BUG: fix a", {"a.txt": "one\nTWO on main\nthree\n"})
    git(repo, "switch", "-q", "main")
    git(repo, *ENV, "merge", "-q", "--no-ff", "fix-a", "-m",
        "Merge pull request #10 from bob/fix-a\n\nBUG: fix a")
    _commit(repo, "ENH: add c (#11)", {"c.txt": "c\n"})
    _commit(repo, "BUG: fix b (#12)", {"b.txt": "b fixed\n"})
    _commit(repo, "MAINT: tidy (#13)", {"d.txt": "d\n"})
    git(repo, "switch", "-q", "maintenance/1.0.x")
    _commit(repo, "BUG: fix b (#12)", {"b.txt": "b fixed\n"})
    _commit(repo, "MAINT: the branch's own wording", {"a.txt": "one\nTWO on 1.0.x\nthree\n"})
    git(repo, "switch", "-q", "main")
    return repo


@pytest.fixture
def labelled(fake_github: FakeGitHub) -> FakeGitHub:
    fake_github.add_pull("numpy/numpy", 10, "BUG: fix a", "bob", labels=(LABEL,))
    fake_github.add_pull("numpy/numpy", 11, "ENH: add c", "carol", milestone="1.0.1 release")
    fake_github.add_pull("numpy/numpy", 12, "BUG: fix b", "dave", labels=(LABEL, "00 - Bug"))
    fake_github.add_pull("numpy/numpy", 13, "MAINT: tidy", "erin", labels=("03 - Maintenance",))
    return fake_github


def _state(repo: Path) -> tuple[str, str, str, bytes]:
    return (git(repo, "for-each-ref"), git(repo, "status", "--porcelain"),
            git(repo, "rev-parse", "HEAD"), (repo / ".git" / "index").read_bytes())


def test_candidates_with_cherry_pick_results(project: Path, labelled: FakeGitHub, cli: Cli) -> None:
    before = _state(project)
    result = cli("backports", "1.0.1", "--repo", str(project))
    assert result.code == 0, result.err
    assert _state(project) == before  # work tree, index, refs and HEAD as they were
    rows = {row[0]: row for row in table_rows(result.out)}
    assert set(rows) == {"#10", "#11"}
    merge = git(project, "rev-parse", "--short=12", "main~3").strip()
    assert rows["#10"][1:5] == ["BUG: fix a", "bob", merge, f"label {LABEL}"]
    assert rows["#10"][5] == "conflicts: a.txt"
    assert "git cherry-pick -x -m 1" in rows["#10"][6]
    assert "backport-10 upstream/maintenance/1.0.x" in rows["#10"][6]
    assert rows["#11"][4] == "milestone 1.0.1 release" and rows["#11"][5] == "clean"
    assert "-m 1" not in rows["#11"][6]
    assert "for maintenance/1.0.x: 2 (1 clean, 1 conflicting)" in result.out
    assert (f"marked ({LABEL!r} or milestone '1.0.1 release') and already on maintenance/1.0.x: "
            "#12") in result.out
    assert "4 pull requests merged into main since" in result.out
    assert GITHUB_CANARY not in result.out + result.err


def test_labels_are_asked_in_one_query_then_cached(project: Path, labelled: FakeGitHub, cli: Cli) -> None:
    assert cli("backports", "1.0.1", "--repo", str(project)).code == 0
    assert labelled.graphql_calls == 1
    assert cli("backports", "1.0.1", "--repo", str(project)).code == 0
    assert labelled.graphql_calls == 1
    labelled.repo("numpy/numpy").pulls[13].labels = (LABEL,)
    again = cli("backports", "1.0.1", "--repo", str(project), "--refresh")
    assert labelled.graphql_calls == 2
    assert "#13" in {row[0] for row in table_rows(again.out)}


def test_without_a_token_it_says_so(project: Path, fake_github: FakeGitHub, cli: Cli,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    result = cli("backports", "1.0.1", "--repo", str(project))
    assert result.code != 0 and "error: " in result.err and "hint: " in result.err


def test_the_matching_over_numpy_2_5_x(numpy_bundle_clone: Path) -> None:
    """NumPy's real maintenance/2.5.x: the originals its backports name, by the merge's branch
    (charris/backport-32371), a title's or a cherry-picked commit's (#N)."""
    git_service = GitService(numpy_bundle_clone)
    branch = "origin/maintenance/2.5.x"
    base = fork_point(git_service, "origin/main", branch)
    carried = on_branch(git_service, base, branch)
    merged = {pull.number for pull in merged_on_main(git_service, base, "origin/main")}
    assert len(merged) == 451 and len(carried) == 108
    matched = merged & set(carried)
    assert len(matched) == 98
    assert {32371, 32355, 32296, 32294, 32331, 32325, 32254, 32273, 31985, 32128} <= matched
    assert carried[32371] == "Merge pull request #32381 from charris/backport-32371"
    # on the branch but not merged into main since the fork: the branch's own pull requests
    assert 32384 in set(carried) - merged
