from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import Cli, git, one_line_error, snapshot

from release.fakes.example import ExampleProject, commit_release_files
from release.fakes.github import FakeGitHub
from release.fakes.github_state import Pull

CHANGELOG = "doc/changelog/1.2.0-changelog.rst"
NOTES = "doc/source/release/1.2.0-notes.rst"
WORK = "post-1.2.0-release-update"
NEW_MAILMAP_LINE = "Dana Newcomer <dana@example.org> <41234567+dana-n@users.noreply.github.com>\n"


@pytest.fixture
def released(example: ExampleProject) -> ExampleProject:
    """After the 1.2.0 release: final notes, changelog and a .mailmap fix on maintenance/1.2.x."""
    mailmap = (example.repo / ".mailmap").read_text() + NEW_MAILMAP_LINE
    notes = "tinynum 1.2.0 Release Notes\n===========================\n\nFinal text.\n"
    commit_release_files(example, "1.2.0", {CHANGELOG: "\nContributors\n============\n",
                                            NOTES: notes, ".mailmap": mailmap})
    git(example.repo, "tag", "-a", "v1.2.0", "-m", "tinynum 1.2.0 release")
    git(example.repo, "checkout", "-q", "main")
    return example


def _states(project: ExampleProject) -> tuple[str, str, str]:
    return snapshot(project.repo), snapshot(project.upstream), snapshot(project.fork)




def _blob(repo: Path, ref: str, path: str) -> str:
    return git(repo, "rev-parse", f"{ref}:{path}").strip()


def test_forward_ports_the_release_files(released: ExampleProject, cli: Cli) -> None:
    repo = released.repo
    main = git(repo, "rev-parse", "main").strip()
    remotes = snapshot(released.upstream), snapshot(released.fork)
    result = cli("post-release", "1.2.0", "--repo", str(repo))
    assert result.code == 0, result.err
    assert git(repo, "branch", "--show-current").strip() == WORK
    assert git(repo, "rev-parse", "HEAD^").strip() == main
    assert git(repo, "rev-parse", "main").strip() == main
    for path in (NOTES, CHANGELOG, ".mailmap"):
        assert _blob(repo, "HEAD", path) == _blob(repo, "maintenance/1.2.x", path), path
    assert sorted(git(repo, "diff", "--name-only", "HEAD^", "HEAD").split()) == sorted(
        [NOTES, CHANGELOG, ".mailmap"])
    assert git(repo, "log", "-1", "--format=%B") == (
        "MAINT: Update main after 1.2.0 release.\n\n- Forward port 1.2.0-notes.rst\n"
        "- Forward port 1.2.0-changelog.rst\n- Update .mailmap\n\n[skip azp] [skip actions]\n\n")
    assert git(repo, "status", "--porcelain") == ""
    assert "not pushed; publish with --push" in result.err
    assert (snapshot(released.upstream), snapshot(released.fork)) == remotes


def test_rerun_changes_nothing(released: ExampleProject, cli: Cli) -> None:
    assert cli("post-release", "1.2.0", "--repo", str(released.repo)).code == 0
    before = _states(released)
    again = cli("post-release", "1.2.0", "--repo", str(released.repo))
    assert again.code == 0, again.err
    assert again.out == (f"{WORK} already has the 1.2.0 notes, changelog and index entry; "
                         "nothing to do\n")
    assert _states(released) == before


def test_patch_release_entry_goes_below_the_dev_notes(released: ExampleProject, cli: Cli) -> None:
    repo = released.repo
    git(repo, "checkout", "-q", "maintenance/1.2.x")
    assert cli("reset-branch", "1.2.0", "--repo", str(repo), "--direct").code == 0
    commit_release_files(released, "1.2.1", {"doc/changelog/1.2.1-changelog.rst": "cl\n"})
    git(repo, "tag", "-a", "v1.2.1", "-m", "tinynum 1.2.1 release")
    git(repo, "checkout", "-q", "main")
    result = cli("post-release", "1.2.1", "--repo", str(repo))
    assert result.code == 0, result.err
    index = git(repo, "show", "HEAD:doc/source/release.rst").splitlines()
    assert index[-4:] == ["    1.3.0 <release/1.3.0-notes>", "    1.2.1 <release/1.2.1-notes>",
                          "    1.2.0 <release/1.2.0-notes>", "    1.1.0 <release/1.1.0-notes>"]
    assert "- Update release.rst" in git(repo, "log", "-1", "--format=%B")


def _open_pulls(github: FakeGitHub) -> list[Pull]:
    return [p for p in github.repo("example/tinynum").pulls.values() if p.state == "open"]


def test_dry_run_shows_everything_and_changes_nothing(released: ExampleProject, cli: Cli,
                                                      fake_github: FakeGitHub) -> None:
    before = _states(released)
    result = cli("post-release", "1.2.0", "--repo", str(released.repo), "--dry-run", "--push",
                 "--fork-owner", "alice")
    assert result.code == 0, result.err
    assert _states(released) == before
    assert _open_pulls(fake_github) == []
    assert (f"open a pull request on example/tinynum: alice:{WORK} into main, "
            "titled 'MAINT: Update main after 1.2.0 release.'") in result.out
    assert f"run git checkout --quiet -b {WORK}" in result.out
    assert f"create {CHANGELOG}\n--- /dev/null\n" in result.out
    assert "+" + NEW_MAILMAP_LINE in result.out
    assert f"run git push origin refs/heads/{WORK}:refs/heads/{WORK}" in result.out


def test_dry_run_without_a_token_skips_the_lookup(released: ExampleProject, cli: Cli, fake_github: FakeGitHub,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    before = _states(released)
    result = cli("post-release", "1.2.0", "--repo", str(released.repo), "--dry-run", "--push",
                 "--fork-owner", "alice")
    assert result.code == 0, result.err
    assert _states(released) == before and fake_github.total_requests == 0
    assert (f"did not look for an open pull request from alice:{WORK} into main; the real run "
            "needs a token to open one") in result.out
    assert (f"open a pull request on example/tinynum: alice:{WORK} into main, "
            "titled 'MAINT: Update main after 1.2.0 release.'") in result.out
    real = cli("post-release", "1.2.0", "--repo", str(released.repo), "--push", "--fork-owner", "alice")
    assert real.code == 1
    one_line_error(real.err, "a GitHub token is needed to open the pull request")
    assert _states(released) == before


def test_push_goes_to_the_fork_opens_the_pr_and_rerun_is_a_noop(
        released: ExampleProject, cli: Cli, fake_github: FakeGitHub) -> None:
    from conftest import GITHUB_CANARY

    upstream = snapshot(released.upstream)
    fake_github.add_fork("example/tinynum", "alice", git_dir=released.fork)
    result = cli("post-release", "1.2.0", "--repo", str(released.repo), "--push",
                 "--fork-owner", "alice")
    assert result.code == 0, result.err
    assert git(released.fork, "rev-parse", f"refs/heads/{WORK}") == git(
        released.repo, "rev-parse", "HEAD")
    assert snapshot(released.upstream) == upstream
    [pull] = _open_pulls(fake_github)
    assert (pull.head, pull.base, pull.title) == (
        f"alice:{WORK}", "main", "MAINT: Update main after 1.2.0 release.")
    assert pull.body.startswith("- Forward port 1.2.0-notes.rst\n")
    before = _states(released)
    again = cli("post-release", "1.2.0", "--repo", str(released.repo), "--push",
                "--fork-owner", "alice")
    assert again.code == 0, again.err
    assert "nothing to do" in again.out
    assert _states(released) == before and len(_open_pulls(fake_github)) == 1
    assert GITHUB_CANARY not in result.out + result.err + again.out + again.err


def test_fork_owner_from_config(released: ExampleProject, cli: Cli, fake_github: FakeGitHub,
                                tmp_path: Path) -> None:
    config = tmp_path / "release.toml"
    config.write_text('[tool.release]\nproject = "tinynum"\npackage = "tinynum"\n'
                      'github_repo = "example/tinynum"\n[tool.release.github]\nfork_owner = "bob"\n')
    fake_github.add_fork("example/tinynum", "bob", git_dir=released.fork)
    result = cli("post-release", "1.2.0", "--repo", str(released.repo), "--config", str(config),
                 "--push")
    assert result.code == 0, result.err
    assert [p.head for p in _open_pulls(fake_github)] == [f"bob:{WORK}"]


def test_direct_pushes_main_upstream(released: ExampleProject, cli: Cli) -> None:
    result = cli("post-release", "1.2.0", "--repo", str(released.repo), "--direct", "--push")
    assert result.code == 0, result.err
    assert git(released.upstream, "rev-parse", "refs/heads/main") == git(
        released.repo, "rev-parse", "main")
    again = cli("post-release", "1.2.0", "--repo", str(released.repo), "--direct", "--push")
    assert again.code == 0 and "nothing to do" in again.out


def test_mailmap_with_main_only_entries_is_left_alone(released: ExampleProject, cli: Cli) -> None:
    repo = released.repo
    with (repo / ".mailmap").open("a") as handle:
        handle.write("Erin Example <erin@example.org> <erin@localhost>\n")
    git(repo, "commit", "-q", "-am", "MAINT: map erin")
    result = cli("post-release", "1.2.0", "--repo", str(repo))
    assert result.code == 0, result.err
    assert ".mailmap not copied: main added 1 line(s)" in result.err
    assert ".mailmap" not in git(repo, "diff", "--name-only", "HEAD^", "HEAD").split()


@pytest.mark.parametrize(("version", "words"), [
    ("1.3.0rc1", "1.3.0rc1 is a pre-release"),
    ("1.4.0.dev0", "1.4.0.dev0 is a development version"),
])
def test_refuses_pre_releases(released: ExampleProject, cli: Cli, version: str, words: str) -> None:
    before = _states(released)
    result = cli("post-release", version, "--repo", str(released.repo))
    assert result.code == 2
    one_line_error(result.err, words)
    assert _states(released) == before


def _break(kind: str, project: ExampleProject) -> None:
    repo = project.repo
    if kind == "dirty":
        (repo / "README.md").write_text("edited\n")
    elif kind == "wrong-branch":
        git(repo, "checkout", "-q", "maintenance/1.1.x")
    elif kind == "no-maintenance":
        git(repo, "branch", "-q", "-D", "maintenance/1.2.x")
    elif kind == "no-tag":
        git(repo, "tag", "-d", "v1.2.0")
    elif kind == "tag-elsewhere":
        git(repo, "tag", "-d", "v1.2.0")
        git(repo, "tag", "-a", "v1.2.0", "-m", "tinynum 1.2.0 release", "main")
    elif kind == "no-changelog":
        git(repo, "checkout", "-q", "maintenance/1.2.x")
        git(repo, "rm", "-q", CHANGELOG)
        git(repo, "commit", "-q", "-m", "drop the changelog")
        git(repo, "checkout", "-q", "main")
    elif kind == "behind":
        git(repo, "commit", "-q", "--allow-empty", "-m", "newer")
        git(repo, "push", "-q", "upstream", "HEAD:refs/heads/main")
        git(repo, "reset", "-q", "--hard", "HEAD^")
    elif kind == "stale-branch":
        git(repo, "branch", WORK, "maintenance/1.1.x")
    elif kind == "no-fork":
        git(repo, "remote", "remove", "origin")


@pytest.mark.parametrize(("kind", "words"), [
    ("dirty", "work tree is not clean"),
    ("wrong-branch", "on branch maintenance/1.1.x, not on main"),
    ("no-maintenance", "no local branch maintenance/1.2.x"),
    ("no-tag", "tag v1.2.0 does not exist"),
    ("tag-elsewhere", "tag v1.2.0 is not on maintenance/1.2.x"),
    ("no-changelog", f"{CHANGELOG} is not on maintenance/1.2.x"),
    ("behind", "main is behind upstream/main"),
    ("stale-branch", f"branch {WORK} exists but does not hold the update"),
    ("no-fork", "no remote named 'origin'"),
])
def test_precondition_failures(released: ExampleProject, cli: Cli, kind: str, words: str) -> None:
    _break(kind, released)
    before = _states(released)
    result = cli("post-release", "1.2.0", "--repo", str(released.repo), "--push")
    assert result.code == 1, result.out + result.err
    one_line_error(result.err, words)
    assert _states(released) == before


# NumPy's own "Update main after X.Y.Z release." commits in the fixture history, found by subject.
@pytest.mark.parametrize("version", ["2.4.6", "2.5.0", "2.5.1", "2.5.2"])
def test_numpy_update_matches_numpys_own_commit(numpy_bundle_clone: Path, tmp_path: Path, cli: Cli,
                                                version: str) -> None:
    series = version.rsplit(".", 1)[0]
    repo = tmp_path / "numpy"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(numpy_bundle_clone), str(repo)],
                   check=True)
    git(repo, "config", "user.name", "Release Manager")
    git(repo, "config", "user.email", "rm@example.org")
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "upstream.git")], check=True)
    git(repo, "remote", "add", "upstream", str(tmp_path / "upstream.git"))
    theirs = git(repo, "log", "--no-merges", "--format=%H", "-F", "--grep",
                 f"MAINT: Update main after {version} release", "main").split()[-1]
    # The fixture keeps no notes or changelogs: stand-ins for them go on the maintenance branch.
    git(repo, "checkout", "-q", "-b", f"maintenance/{series}.x", f"v{version}^{{commit}}")
    for path in (f"doc/source/release/{version}-notes.rst", f"doc/changelog/{version}-changelog.rst"):
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(f"{path}\n")
        git(repo, "add", path)
    git(repo, "commit", "-q", "-m", "stand-in notes and changelog")
    git(repo, "checkout", "-q", "-B", "main", f"{theirs}^")
    result = cli("post-release", version, "--repo", str(repo))
    assert result.code == 0, result.err
    for path in (".mailmap", "doc/source/release.rst"):
        assert _blob(repo, "HEAD", path) == _blob(repo, theirs, path), path
    ours = git(repo, "log", "-1", "--format=%B")
    if version == "2.5.1":
        assert ours == git(repo, "log", "-1", "--format=%B", theirs)
    assert ours.splitlines()[0] == f"MAINT: Update main after {version} release."
