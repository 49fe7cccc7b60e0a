from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import Cli, git, one_line_error, snapshot

from release.fakes.example import ExampleProject, commit_release_files
from release.fakes.github import FakeGitHub
from release.fakes.github_state import Pull

CHANGELOG = "doc/changelog/1.2.0-changelog.rst"
NOTES_121 = "doc/source/release/1.2.1-notes.rst"
MESSAGE = """MAINT: Prepare 1.2.x for further development

- Create 1.2.1-notes.rst
- Update release.rst
- Update pyproject.toml

[skip azp] [skip actions]
"""
# numpy-release-facts.md §4.6: doc/source/release/2.5.2-notes.rst as NumPy's reset commit made it.
NUMPY_252_SKELETON = """.. currentmodule:: numpy

=========================
NumPy 2.5.2 Release Notes
=========================

The NumPy 2.5.2 is a patch release that fixes bugs discovered after the 2.5.1
release.

This release supports Python versions 3.12-3.14

"""


@pytest.fixture
def released(example: ExampleProject) -> ExampleProject:
    """The example right after the 1.2.0 release: REL commit on maintenance/1.2.x, tagged."""
    commit_release_files(example, "1.2.0", {CHANGELOG: "\nContributors\n============\n"})
    git(example.repo, "tag", "-a", "v1.2.0", "-m", "tinynum 1.2.0 release")
    return example


def _states(project: ExampleProject) -> tuple[str, str, str]:
    return snapshot(project.repo), snapshot(project.upstream), snapshot(project.fork)




def test_commits_the_reset_on_a_begin_branch(released: ExampleProject, cli: Cli) -> None:
    repo = released.repo
    start = git(repo, "rev-parse", "HEAD").strip()
    remotes = snapshot(released.upstream), snapshot(released.fork)
    result = cli("reset-branch", "1.2.0", "--repo", str(repo))
    assert result.code == 0, result.err
    assert git(repo, "branch", "--show-current").strip() == "begin-1.2.1"
    assert git(repo, "rev-parse", "HEAD^").strip() == start
    assert git(repo, "rev-parse", "maintenance/1.2.x").strip() == start
    assert git(repo, "log", "-1", "--format=%B") == MESSAGE + "\n"
    assert sorted(git(repo, "diff", "--name-only", "HEAD^", "HEAD").split()) == [
        "doc/source/release.rst", NOTES_121, "pyproject.toml"]
    assert git(repo, "show", f"HEAD:{NOTES_121}") == (
        ".. currentmodule:: tinynum\n\n===========================\ntinynum 1.2.1 Release Notes\n"
        "===========================\n\nThe tinynum 1.2.1 is a patch release that fixes bugs "
        "discovered after the 1.2.0\nrelease.\n\nThis release supports Python versions 3.11-3.12\n\n")
    index = git(repo, "show", "HEAD:doc/source/release.rst").splitlines()
    assert index[-3:] == ["    1.2.1 <release/1.2.1-notes>", "    1.2.0 <release/1.2.0-notes>",
                          "    1.1.0 <release/1.1.0-notes>"]
    assert 'version = "1.2.1"' in git(repo, "show", "HEAD:pyproject.toml")
    assert git(repo, "status", "--porcelain") == ""
    assert "verified: the commit changes exactly 3 file(s)" in result.err
    assert "not pushed; publish with --push" in result.err
    assert (snapshot(released.upstream), snapshot(released.fork)) == remotes


def test_rerun_changes_nothing(released: ExampleProject, cli: Cli) -> None:
    assert cli("reset-branch", "1.2.0", "--repo", str(released.repo)).code == 0
    before = _states(released)
    again = cli("reset-branch", "1.2.0", "--repo", str(released.repo))
    assert again.code == 0, again.err
    assert again.out == "begin-1.2.1 is already prepared for 1.2.1 development; nothing to do\n"
    assert _states(released) == before


@pytest.fixture
def github(fake_github: FakeGitHub, released: ExampleProject) -> FakeGitHub:
    """The fake GitHub, knowing example/tinynum's maintenance/1.2.x (pull requests target it)
    and alice's fork (what was pushed to the example's fork remote)."""
    fake_github.add_ref("example/tinynum", "heads/maintenance/1.2.x", "0" * 40)
    fake_github.add_fork("example/tinynum", "alice", git_dir=released.fork)
    return fake_github


def _open_pulls(github: FakeGitHub) -> list[Pull]:
    return [p for p in github.repo("example/tinynum").pulls.values() if p.state == "open"]


def test_dry_run_shows_everything_and_changes_nothing(released: ExampleProject, cli: Cli,
                                                      github: FakeGitHub) -> None:
    before = _states(released)
    result = cli("reset-branch", "1.2.0", "--repo", str(released.repo), "--dry-run", "--push",
                 "--fork-owner", "alice")
    assert result.code == 0, result.err
    assert _states(released) == before
    assert _open_pulls(github) == []
    assert ("open a pull request on example/tinynum: alice:begin-1.2.1 into maintenance/1.2.x, "
            "titled 'MAINT: Prepare 1.2.x for further development'") in result.out
    out = result.out
    assert "run git checkout --quiet -b begin-1.2.1" in out
    assert f"create {NOTES_121}\n--- /dev/null\n+++ b/{NOTES_121}\n" in out
    assert "+    1.2.1 <release/1.2.1-notes>\n     1.2.0 <release/1.2.0-notes>" in out
    assert '-version = "1.2.0"\n+version = "1.2.1"' in out
    assert "run git commit --quiet -m 'MAINT: Prepare 1.2.x for further development\n\n" in out
    assert "run git push origin refs/heads/begin-1.2.1:refs/heads/begin-1.2.1" in out
    assert "then verify: origin has refs/heads/begin-1.2.1 at the local object" in out


def test_push_goes_to_the_fork_opens_the_pr_and_rerun_is_a_noop(
        released: ExampleProject, cli: Cli, github: FakeGitHub) -> None:
    from conftest import GITHUB_CANARY

    upstream = snapshot(released.upstream)
    result = cli("reset-branch", "1.2.0", "--repo", str(released.repo), "--push",
                 "--fork-owner", "alice")
    assert result.code == 0, result.err
    assert git(released.fork, "rev-parse", "refs/heads/begin-1.2.1") == git(
        released.repo, "rev-parse", "HEAD")
    assert snapshot(released.upstream) == upstream
    [pull] = _open_pulls(github)
    assert (pull.head, pull.base, pull.title) == (
        "alice:begin-1.2.1", "maintenance/1.2.x", "MAINT: Prepare 1.2.x for further development")
    assert pull.body == MESSAGE.split("\n", 2)[2]
    assert "pull request: http" in result.out and "verified: an open pull request" in result.err
    before = _states(released)
    again = cli("reset-branch", "1.2.0", "--repo", str(released.repo), "--push",
                "--fork-owner", "alice")
    assert again.code == 0, again.err
    assert "already prepared for 1.2.1 development; nothing to do" in again.out
    assert _states(released) == before and len(_open_pulls(github)) == 1
    assert GITHUB_CANARY not in result.out + result.err + again.out + again.err


def test_push_after_a_local_run(released: ExampleProject, cli: Cli, github: FakeGitHub) -> None:
    assert cli("reset-branch", "1.2.0", "--repo", str(released.repo)).code == 0
    head = git(released.repo, "rev-parse", "HEAD")
    result = cli("reset-branch", "1.2.0", "--repo", str(released.repo), "--push",
                 "--fork-owner", "alice")
    assert result.code == 0, result.err
    assert "git commit" not in result.err
    assert git(released.fork, "rev-parse", "refs/heads/begin-1.2.1") == head
    assert len(_open_pulls(github)) == 1


def test_push_without_a_token_changes_nothing(released: ExampleProject, cli: Cli, github: FakeGitHub,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    before = _states(released)
    result = cli("reset-branch", "1.2.0", "--repo", str(released.repo), "--push",
                 "--fork-owner", "alice")
    assert result.code == 1
    one_line_error(result.err, "a GitHub token is needed to open the pull request")
    assert _states(released) == before


def test_dry_run_without_a_token_skips_the_lookup(released: ExampleProject, cli: Cli, github: FakeGitHub,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    before = _states(released)
    result = cli("reset-branch", "1.2.0", "--repo", str(released.repo), "--dry-run", "--push",
                 "--fork-owner", "alice")
    assert result.code == 0, result.err
    assert _states(released) == before
    assert github.total_requests == 0
    assert ("no GitHub token (GITHUB_TOKEN or GH_TOKEN): did not look for an open pull request "
            "from alice:begin-1.2.1 into maintenance/1.2.x") in result.out
    assert ("open a pull request on example/tinynum: alice:begin-1.2.1 into maintenance/1.2.x, "
            "titled 'MAINT: Prepare 1.2.x for further development'") in result.out


def test_push_without_a_pull_request(released: ExampleProject, cli: Cli) -> None:
    result = cli("reset-branch", "1.2.0", "--repo", str(released.repo), "--push", "--no-pr")
    assert result.code == 0, result.err
    assert git(released.fork, "rev-parse", "refs/heads/begin-1.2.1") == git(
        released.repo, "rev-parse", "HEAD")
    assert "no pull request opened (--no-pr)" in result.err


def test_fork_owner_is_needed_for_a_local_fork(released: ExampleProject, cli: Cli) -> None:
    before = _states(released)
    result = cli("reset-branch", "1.2.0", "--repo", str(released.repo), "--push")
    assert result.code == 1
    one_line_error(result.err, "cannot tell whose fork the remote 'origin' is")
    assert _states(released) == before


def test_after_the_pull_request_is_merged(released: ExampleProject, cli: Cli) -> None:
    repo = released.repo
    assert cli("reset-branch", "1.2.0", "--repo", str(repo)).code == 0
    git(repo, "checkout", "-q", "maintenance/1.2.x")
    git(repo, "merge", "-q", "--ff-only", "begin-1.2.1")
    git(repo, "branch", "-q", "-d", "begin-1.2.1")
    before = _states(released)
    result = cli("reset-branch", "1.2.0", "--repo", str(repo))
    assert result.code == 0, result.err
    assert "maintenance/1.2.x is already prepared for 1.2.1 development; nothing to do" in result.out
    assert _states(released) == before


def test_direct_commits_on_the_maintenance_branch(released: ExampleProject, cli: Cli) -> None:
    repo = released.repo
    result = cli("reset-branch", "1.2.0", "--repo", str(repo), "--direct", "--push")
    assert result.code == 0, result.err
    assert git(repo, "branch", "--show-current").strip() == "maintenance/1.2.x"
    assert git(repo, "log", "-1", "--format=%s").strip() == (
        "MAINT: Prepare 1.2.x for further development")
    assert git(released.upstream, "rev-parse", "refs/heads/maintenance/1.2.x") == git(
        repo, "rev-parse", "HEAD")
    assert "begin-1.2.1" not in git(repo, "branch", "--list")
    again = cli("reset-branch", "1.2.0", "--repo", str(repo), "--direct", "--push")
    assert again.code == 0 and "nothing to do" in again.out


def test_skip_ci_line_from_config(released: ExampleProject, cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "release.toml"
    config.write_text('[tool.release]\nproject = "tinynum"\npackage = "tinynum"\nskip_ci_line = ""\n')
    result = cli("reset-branch", "1.2.0", "--repo", str(released.repo), "--config", str(config))
    assert result.code == 0, result.err
    assert git(released.repo, "log", "-1", "--format=%B").rstrip().endswith("- Update pyproject.toml")


@pytest.mark.parametrize(("version", "words"), [
    ("1.3.0rc1", "1.3.0rc1 is a pre-release"),
    ("1.3.0.dev0", "1.3.0.dev0 is a development version"),
])
def test_refuses_pre_releases(released: ExampleProject, cli: Cli, version: str, words: str) -> None:
    before = _states(released)
    result = cli("reset-branch", version, "--repo", str(released.repo))
    assert result.code == 2
    one_line_error(result.err, words)
    assert _states(released) == before


def _break(kind: str, project: ExampleProject) -> list[str]:
    repo = project.repo
    if kind == "dirty":
        (repo / "README.md").write_text("edited\n")
    elif kind == "wrong-branch":
        git(repo, "checkout", "-q", "main")
    elif kind == "version":
        return ["1.2.1"]
    elif kind == "no-tag":
        git(repo, "tag", "-d", "v1.2.0")
    elif kind == "tag-elsewhere":
        git(repo, "tag", "-d", "v1.2.0")
        git(repo, "tag", "-a", "v1.2.0", "-m", "tinynum 1.2.0 release", "main")
    elif kind == "behind":
        git(repo, "commit", "-q", "--allow-empty", "-m", "newer")
        git(repo, "push", "-q", "upstream", "HEAD:refs/heads/maintenance/1.2.x")
        git(repo, "reset", "-q", "--hard", "HEAD^")
    elif kind == "stale-branch":
        git(repo, "branch", "begin-1.2.1", "main")
    elif kind == "no-fork":
        git(repo, "remote", "remove", "origin")
    return []


@pytest.mark.parametrize(("kind", "words"), [
    ("dirty", "work tree is not clean"),
    ("wrong-branch", "on branch main, not on maintenance/1.2.x"),
    ("version", "says version 1.2.0, not 1.2.1"),
    ("no-tag", "tag v1.2.0 does not exist"),
    ("tag-elsewhere", "tag v1.2.0 is not on maintenance/1.2.x"),
    ("behind", "maintenance/1.2.x is behind upstream/maintenance/1.2.x"),
    ("stale-branch", "branch begin-1.2.1 exists but does not hold the reset"),
    ("no-fork", "no remote named 'origin'"),
])
def test_precondition_failures(released: ExampleProject, cli: Cli, kind: str, words: str) -> None:
    extra = _break(kind, released)
    before = _states(released)
    result = cli("reset-branch", *(extra or ["1.2.0"]), "--repo", str(released.repo), "--push")
    assert result.code == 1, result.out + result.err
    one_line_error(result.err, words)
    assert _states(released) == before


def _numpy_at(clone: Path, tmp_path: Path, tag: str) -> Path:
    """A throw-away clone of NumPy's history with maintenance/2.5.x checked out at `tag`."""
    repo = tmp_path / "numpy"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(clone), str(repo)], check=True)
    git(repo, "fetch", "-q", "origin",
        "+refs/remotes/origin/maintenance/2.5.x:refs/remotes/origin/maintenance/2.5.x")
    git(repo, "checkout", "-q", "-b", "maintenance/2.5.x", f"{tag}^{{commit}}")
    git(repo, "config", "user.name", "Release Manager")
    git(repo, "config", "user.email", "rm@example.org")
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "upstream.git")], check=True)
    git(repo, "remote", "add", "upstream", str(tmp_path / "upstream.git"))
    return repo


@pytest.mark.parametrize(("tag", "next_patch"), [("v2.5.1", "2.5.2"), ("v2.5.2", "2.5.3")])
def test_numpy_reset_matches_numpys_own_commit(numpy_bundle_clone: Path, tmp_path: Path, cli: Cli,
                                               tag: str, next_patch: str) -> None:
    repo = _numpy_at(numpy_bundle_clone, tmp_path, tag)
    version = tag[1:]
    result = cli("reset-branch", version, "--repo", str(repo))
    assert result.code == 0, result.err
    # NumPy's own reset commit: the first child of the release commit on maintenance/2.5.x that
    # creates the next notes.
    theirs = git(repo, "log", "--format=%H", "--reverse", "--ancestry-path",
                 f"{tag}..origin/maintenance/2.5.x", "-F", "--grep",
                 "MAINT: Prepare 2.5.x for further development").split()[0]
    assert f"- Create {next_patch}-notes.rst" in git(repo, "log", "-1", "--format=%B", theirs)
    for path in ("doc/source/release.rst", "pyproject.toml"):
        assert git(repo, "rev-parse", f"HEAD:{path}") == git(repo, "rev-parse", f"{theirs}:{path}"), path
    ours = git(repo, "log", "-1", "--format=%B").strip()
    assert ours.splitlines()[0] == git(repo, "log", "-1", "--format=%s", theirs).strip()
    if version == "2.5.1":
        assert git(repo, "show", "HEAD:doc/source/release/2.5.2-notes.rst") == NUMPY_252_SKELETON
        assert ours == git(repo, "log", "-1", "--format=%B", theirs).strip()
