from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from helpers import Cli, git, one_line_error, snapshot

from release.fakes.example import ExampleProject, commit_release_files

CHANGELOG = "doc/changelog/1.2.0-changelog.rst"


@pytest.fixture
def ready(example: ExampleProject) -> ExampleProject:
    """The example with the 1.2.0 release PR merged on maintenance/1.2.x."""
    commit_release_files(example, "1.2.0", {CHANGELOG: "\nContributors\n============\n"})
    return example




def test_creates_the_annotated_tag(ready: ExampleProject, cli: Cli) -> None:
    result = cli("tag", "1.2.0", "--repo", str(ready.repo))
    assert result.code == 0, result.err
    assert git(ready.repo, "cat-file", "-t", "v1.2.0").strip() == "tag"
    assert git(ready.repo, "rev-parse", "v1.2.0^{commit}") == git(ready.repo, "rev-parse", "HEAD")
    assert git(ready.repo, "tag", "-l", "--format=%(contents)", "v1.2.0").strip() == (
        "tinynum 1.2.0 release")
    assert "v1.2.0 ->" in result.out
    assert "not pushed; publish with --push" in result.err
    assert git(ready.repo, "ls-remote", "upstream", "refs/tags/v1.2.0") == ""


def test_numpy_profile_message(ready: ExampleProject, cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "numpy.toml"
    config.write_text('[tool.release]\nproject = "NumPy"\n')
    result = cli("tag", "v1.2.0", "--repo", str(ready.repo), "--config", str(config))
    assert result.code == 0, result.err
    assert git(ready.repo, "tag", "-l", "--format=%(contents:subject)", "v1.2.0").strip() == (
        "NumPy 1.2.0 release")


def test_rerun_is_a_noop(ready: ExampleProject, cli: Cli) -> None:
    assert cli("tag", "1.2.0", "--repo", str(ready.repo)).code == 0
    before = snapshot(ready.repo)
    again = cli("tag", "1.2.0", "--repo", str(ready.repo))
    assert again.code == 0
    assert "already exists" in again.out and "nothing to do" in again.out
    assert snapshot(ready.repo) == before


def test_dry_run_changes_nothing(ready: ExampleProject, cli: Cli) -> None:
    before, upstream = snapshot(ready.repo), snapshot(ready.upstream)
    result = cli("tag", "1.2.0", "--repo", str(ready.repo), "--dry-run", "--push", "--sign")
    assert result.code == 0, result.err
    assert snapshot(ready.repo) == before and snapshot(ready.upstream) == upstream
    assert "run git tag -s v1.2.0 -m 'tinynum 1.2.0 release'" in result.out
    assert "run git push upstream refs/tags/v1.2.0:refs/tags/v1.2.0" in result.out
    assert "then verify: git tag -v v1.2.0" in result.out


def test_push_puts_exactly_that_tag_upstream(ready: ExampleProject, cli: Cli) -> None:
    git(ready.repo, "tag", "-a", "v0.0.1-local", "-m", "must stay local")
    before = set(git(ready.upstream, "for-each-ref", "--format=%(refname) %(objectname)")
                 .splitlines())
    result = cli("tag", "1.2.0", "--repo", str(ready.repo), "--push")
    assert result.code == 0, result.err
    after = set(git(ready.upstream, "for-each-ref", "--format=%(refname) %(objectname)")
                .splitlines())
    local_object = git(ready.repo, "rev-parse", "refs/tags/v1.2.0").strip()
    assert after - before == {f"refs/tags/v1.2.0 {local_object}"}
    assert before <= after
    assert "verified: upstream has v1.2.0 pointing at the same tag object" in result.err
    again = cli("tag", "1.2.0", "--repo", str(ready.repo), "--push")
    assert again.code == 0 and "nothing to do" in again.out


def test_push_after_a_local_tag(ready: ExampleProject, cli: Cli) -> None:
    assert cli("tag", "1.2.0", "--repo", str(ready.repo)).code == 0
    result = cli("tag", "1.2.0", "--repo", str(ready.repo), "--push")
    assert result.code == 0, result.err
    assert git(ready.upstream, "rev-parse", "refs/tags/v1.2.0") == git(
        ready.repo, "rev-parse", "refs/tags/v1.2.0")


def test_signed_tag_is_verified(ready: ExampleProject, cli: Cli, gnupg: str) -> None:
    result = cli("tag", "1.2.0", "--repo", str(ready.repo), "--sign")
    assert result.code == 0, result.err
    assert "-----BEGIN PGP SIGNATURE-----" in git(ready.repo, "cat-file", "-p", "v1.2.0")
    assert "verified: git tag -v v1.2.0 accepts the signature" in result.err
    subprocess.run(["git", "-C", str(ready.repo), "tag", "-v", "v1.2.0"], check=True,
                   capture_output=True)


def test_signed_with_an_explicit_key(ready: ExampleProject, cli: Cli, gnupg: str) -> None:
    result = cli("tag", "1.2.0", "--repo", str(ready.repo), "-u", gnupg)
    assert result.code == 0, result.err
    assert "-----BEGIN PGP SIGNATURE-----" in git(ready.repo, "cat-file", "-p", "v1.2.0")


def test_signing_from_config(ready: ExampleProject, cli: Cli, gnupg: str, tmp_path: Path) -> None:
    config = tmp_path / "release.toml"
    config.write_text('[tool.release]\nproject = "tinynum"\nsign_tags = true\n')
    result = cli("tag", "1.2.0", "--repo", str(ready.repo), "--config", str(config))
    assert result.code == 0, result.err
    assert "-----BEGIN PGP SIGNATURE-----" in git(ready.repo, "cat-file", "-p", "v1.2.0")


def _break(kind: str, project: ExampleProject) -> list[str]:
    """Put the ready repository into one bad state; return extra CLI arguments."""
    repo = project.repo
    if kind == "dirty":
        (repo / "README.md").write_text("edited\n")
    elif kind == "untracked":
        (repo / "stray.txt").write_text("x\n")
    elif kind == "wrong-branch":
        git(repo, "checkout", "-q", "main")
    elif kind == "detached":
        git(repo, "checkout", "-q", "--detach")
    elif kind == "version":
        return ["1.2.1"]
    elif kind == "changelog":
        git(repo, "rm", "-q", CHANGELOG)
        git(repo, "commit", "-q", "-m", "drop changelog")
    elif kind == "notes":
        git(repo, "rm", "-q", "doc/source/release/1.2.0-notes.rst")
        git(repo, "commit", "-q", "-m", "drop notes")
    elif kind == "local-tag-elsewhere":
        git(repo, "tag", "-a", "v1.2.0", "-m", "tinynum 1.2.0 release", "HEAD^")
    elif kind == "lightweight-tag":
        git(repo, "tag", "v1.2.0")
    elif kind == "remote-tag":
        git(project.upstream, "tag", "v1.2.0", "main")
    elif kind == "no-remote":
        git(repo, "remote", "remove", "upstream")
    return []


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("dirty", "work tree is not clean"),
        ("untracked", "stray.txt"),
        ("wrong-branch", "on branch main, not on maintenance/1.2.x"),
        ("detached", "detached HEAD"),
        ("version", "says version 1.2.0, not 1.2.1"),
        ("changelog", "changelog doc/changelog/1.2.0-changelog.rst is not committed"),
        ("notes", "notes doc/source/release/1.2.0-notes.rst is not committed"),
        ("local-tag-elsewhere", "already exists on commit"),
        ("lightweight-tag", "lightweight"),
        ("remote-tag", "already exists on upstream"),
        ("no-remote", "no remote named 'upstream'"),
    ],
)
def test_precondition_failures(ready: ExampleProject, cli: Cli, kind: str, words: str) -> None:
    extra = _break(kind, ready)
    before, upstream = snapshot(ready.repo), snapshot(ready.upstream)
    result = cli("tag", *(extra or ["1.2.0"]), "--repo", str(ready.repo), "--push")
    assert result.code == 1
    one_line_error(result.err, words)
    assert snapshot(ready.repo) == before and snapshot(ready.upstream) == upstream


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["tag", "2.4"], 2, "exactly three numbers"),
        (["tag", "banana"], 2, "is not a version"),
        (["tag", "2.4.0.1"], 2, "exactly three numbers"),
        (["tag", "1.3.0.dev0"], 2, "development version"),
        (["tag"], 2, "the following arguments are required: version"),
        (["tga", "1.2.0"], 2, "unknown step 'tga'"),
    ],
)
def test_bad_input(ready: ExampleProject, cli: Cli, argv: list[str], code: int, words: str) -> None:
    before = snapshot(ready.repo)
    result = cli(*argv, "--repo", str(ready.repo))
    assert result.code == code
    one_line_error(result.err, words)
    assert snapshot(ready.repo) == before


def test_missing_repo(cli: Cli, tmp_path: Path) -> None:
    result = cli("tag", "1.2.0", "--repo", str(tmp_path / "nowhere"))
    assert result.code == 2
    one_line_error(result.err, "does not exist")
    result = cli("tag", "1.2.0", "--repo", str(tmp_path))
    one_line_error(result.err, "is not a git repository")


def test_release_repo_environment_variable(ready: ExampleProject, cli: Cli) -> None:
    env = {**os.environ, "RELEASE_REPO": str(ready.repo)}
    result = cli("tag", "1.2.0", "--dry-run", env=env)
    assert result.code == 0, result.err
    assert "git tag -a v1.2.0" in result.out
