"""Milestone triage against the fake GitHub: the groups, the move shown by default, done with
--apply and verified, and the refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GITHUB_CANARY
from helpers import Cli, git, table_rows

from release.fakes.github import FakeGitHub

REPO = "numpy/numpy"


@pytest.fixture
def milestone(fake_github: FakeGitHub) -> FakeGitHub:
    fake_github.add_pull(REPO, 101, "BUG: still under review", "ann", state="open", merged=False)
    fake_github.add_pull(REPO, 102, "BUG: merged fix", "bob")
    fake_github.add_pull(REPO, 103, "ENH: abandoned", "cat", state="closed", merged=False)
    fake_github.add_issue(REPO, 201, "crash on empty input", "dan")
    fake_github.add_issue(REPO, 202, "fixed already", "eve", state="closed")
    fake_github.add_milestone(REPO, 7, "2.5.3 release", items=(101, 102, 103, 201, 202))
    fake_github.add_milestone(REPO, 8, "2.5.4 release")
    return fake_github


@pytest.fixture
def project(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", str(tmp_path / "numpy"))
    return tmp_path / "numpy"


def _on(github: FakeGitHub, number: int) -> str | None:
    repo = github.repo(REPO)
    return (repo.pulls.get(number) or repo.issues[number]).milestone


def test_the_groups(milestone: FakeGitHub, project: Path, cli: Cli) -> None:
    result = cli("milestones", "2.5.3", "--repo", str(project))
    assert result.code == 0, result.err
    rows = [row[:3] for row in table_rows(result.out)]
    assert rows == [["open pull requests", "101", "BUG: still under review"],
                    ["open issues", "201", "crash on empty input"],
                    ["closed unmerged pull requests", "103", "ENH: abandoned"]]
    assert "Milestone '2.5.3 release' (open): 2 done, 2 open, 1 closed unmerged" in result.out
    assert f"gh api -X PATCH repos/{REPO}/issues/103 -F milestone=null" in result.out
    assert "python -m release milestones 2.5.3 --move-to 2.5.4 --apply" in result.err


def test_the_move_is_shown_then_applied_and_verified(milestone: FakeGitHub, project: Path, cli: Cli) -> None:
    shown = cli("milestones", "2.5.3", "--repo", str(project), "--move-to", "2.5.4")
    assert shown.code == 0
    assert "Dry run: move 2 open items from '2.5.3 release' to '2.5.4 release'" in shown.out
    assert "move pull request #101 (BUG: still under review) to milestone '2.5.4 release'" in shown.out
    assert _on(milestone, 101) == "2.5.3 release"
    done = cli("milestones", "2.5.3", "--repo", str(project), "--move-to", "2.5.4", "--apply")
    assert done.code == 0, done.err
    assert "verified: every moved item is on '2.5.4 release'" in done.err
    assert [_on(milestone, n) for n in (101, 201, 102, 103, 202)] == [
        "2.5.4 release", "2.5.4 release", "2.5.3 release", "2.5.3 release", "2.5.3 release"]
    again = cli("milestones", "2.5.3", "--repo", str(project), "--move-to", "2.5.4", "--apply")
    assert again.code == 0 and "2 done, 0 open" in again.out
    assert GITHUB_CANARY not in done.out + done.err


def test_a_missing_milestone_says_how_to_make_it(milestone: FakeGitHub, project: Path, cli: Cli) -> None:
    result = cli("milestones", "2.5.3", "--repo", str(project), "--move-to", "2.5.5")
    assert result.code == 1
    assert "numpy/numpy has no milestone '2.5.5 release'" in result.err
    assert f"gh api repos/{REPO}/milestones -f title='2.5.5 release'" in result.err
    assert _on(milestone, 101) == "2.5.3 release"


def test_a_read_only_token_is_refused_and_nothing_moves(project: Path, cli: Cli,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    reader = "github_pat_canaryReader0000000000000000000000000000000001"
    with FakeGitHub(tokens={reader: "read"}) as github:
        github.add_repo(REPO, "main")
        github.add_pull(REPO, 101, "BUG: still under review", "ann", state="open", merged=False)
        github.add_milestone(REPO, 7, "2.5.3 release", items=(101,))
        github.add_milestone(REPO, 8, "2.5.4 release")
        monkeypatch.setenv("GITHUB_API_URL", github.api_url)
        monkeypatch.setenv("GITHUB_GRAPHQL_URL", github.graphql_url)
        monkeypatch.setenv("GITHUB_TOKEN", reader)
        result = cli("milestones", "2.5.3", "--repo", str(project), "--move-to", "2.5.4", "--apply")
        assert result.code == 1 and "403" in result.err, result.err
        assert _on(github, 101) == "2.5.3 release"
        assert reader not in result.out + result.err


def test_what_it_costs_on_github(milestone: FakeGitHub, project: Path, cli: Cli) -> None:
    """One list of the milestones and one of each milestone's items per look: the triage costs
    2 counted requests; the move 8 (the look, 2 moves, the look that verifies them)."""
    milestone.reset_counts()
    assert cli("milestones", "2.5.3", "--repo", str(project)).code == 0
    assert milestone.counted_rest + milestone.graphql_calls <= 2
    milestone.reset_counts()
    done = cli("milestones", "2.5.3", "--repo", str(project), "--move-to", "2.5.4", "--apply")
    assert done.code == 0, done.err
    assert milestone.counted_rest + milestone.graphql_calls <= 8
