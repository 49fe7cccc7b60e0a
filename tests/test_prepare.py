"""prepare on the example project: the REL commit, reruns, the PR on the fake GitHub, and the
whole path prepare -> merge -> tag -> upload (real pypiserver) -> github-release."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import helpers
import pytest
from helpers import Cli, git, snapshot

from release.config import load_config
from release.fakes.dists import write_dists
from release.fakes.example import ExampleProject
from release.fakes.github import FakeGitHub
from release.fakes.pypi import LocalIndex
from release.repo.pyproject_file import set_version
from release.version import ReleaseVersion
from release.wheels.matrix import matrix_for

# The step reports what it computed before it fails.
one_line_error = partial(helpers.one_line_error, tail=True)

REPO = "example/tinynum"
CHANGELOG = "doc/changelog/1.2.0-changelog.rst"
NOTES = "doc/source/release/1.2.0-notes.rst"
FRAGMENTS = ["5.highlight.rst", "5.new_feature.rst", "7.change.rst", "8.c_api.rst",
             "9.performance.rst"]
MESSAGE = """REL: Prepare for the tinynum 1.2.0 release

- Create 1.2.0-changelog.rst.
- Update 1.2.0-notes.rst.
- Run towncrier to incorporate fragments
- Update pyproject.toml"""


@pytest.fixture
def maint(example: ExampleProject) -> ExampleProject:
    git(example.repo, "checkout", "--quiet", "maintenance/1.2.x")
    return example




def _github(fake: FakeGitHub, project: ExampleProject) -> None:
    sha = git(project.repo, "rev-parse", "maintenance/1.2.x").strip()
    fake.add_ref(REPO, "heads/maintenance/1.2.x", sha)
    fake.add_fork(REPO, "alice", git_dir=project.fork)  # its branches: what was pushed to it


def test_prepare_makes_the_rel_commit_on_a_new_branch(maint: ExampleProject, cli: Cli) -> None:
    start = git(maint.repo, "rev-parse", "HEAD").strip()
    expected_changelog = cli("changelog", "1.2.0", "--offline", "--output", "-",
                             "--repo", str(maint.repo))
    assert expected_changelog.code == 0, expected_changelog.err
    old_pyproject = (maint.repo / "pyproject.toml").read_text(encoding="utf-8")

    result = cli("prepare", "1.2.0", "--offline", "--repo", str(maint.repo))
    assert result.code == 0, result.err
    repo = maint.repo
    assert git(repo, "branch", "--show-current").strip() == "prepare-1.2.0"
    assert git(repo, "rev-parse", "HEAD^").strip() == start
    assert git(repo, "log", "-1", "--format=%B").strip() == MESSAGE
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "show", f"HEAD:{CHANGELOG}") == expected_changelog.out
    new_pyproject = git(repo, "show", "HEAD:pyproject.toml")
    assert new_pyproject == old_pyproject.replace('version = "1.2.0.dev0"', 'version = "1.2.0"')
    notes = git(repo, "show", f"HEAD:{NOTES}")
    assert ".. include:: notes-towncrier.rst" not in notes
    assert not notes.startswith(":orphan:") and "Content from release note snippets" not in notes
    assert notes.startswith(".. currentmodule:: tinynum\n\n===========================\n"
                            "tinynum 1.2.0 Release Notes\n")
    assert ("*We'll choose highlights for this release near the end of the release cycle.*\n\n\n"
            "Highlights\n==========\n\n* ``tinynum.mean`` computes the arithmetic mean.") in notes
    for text in ("A new function computes the mean of a sequence.",
                 "A C-API function for the mean.", "``total`` no longer copies its input twice.",
                 "(`gh-7 <https://github.com/example/tinynum/pull/7>`__)"):
        assert text in notes
    changed = set(git(repo, "diff", "--name-only", "HEAD^", "HEAD").split())
    assert changed == {CHANGELOG, NOTES, "pyproject.toml",
                       *(f"doc/release/upcoming_changes/{f}" for f in FRAGMENTS)}
    assert "not pushed; publish with --push" in result.err
    assert git(maint.fork, "branch", "--list", "prepare-1.2.0") == ""


def test_dry_run_changes_nothing(maint: ExampleProject, cli: Cli) -> None:
    before = [snapshot(p) for p in (maint.repo, maint.fork, maint.upstream)]
    with FakeGitHub() as fake:
        fake.add_repo(REPO, "main")
        _github(fake, maint)
        env = {**os.environ, "GITHUB_TOKEN": "t", "GITHUB_API_URL": fake.api_url}
        result = cli("prepare", "1.2.0", "--offline", "--push", "--fork-owner", "alice",
                     "--dry-run", "--repo", str(maint.repo), env=env)
        assert result.code == 0, result.err
        writes = [n for n in fake.rest_calls if n.startswith(("POST", "PATCH", "PUT", "DELETE"))]
        assert writes == [] and fake.repo(REPO).pulls == {}
    assert [snapshot(p) for p in (maint.repo, maint.fork, maint.upstream)] == before
    out = result.out
    assert "1. run git checkout --quiet -b prepare-1.2.0" in out
    assert "create doc/changelog/1.2.0-changelog.rst" in out
    assert "delete doc/release/upcoming_changes/5.highlight.rst" in out
    assert "run git push origin refs/heads/prepare-1.2.0:refs/heads/prepare-1.2.0" in out
    assert ("open a pull request on example/tinynum: alice:prepare-1.2.0 into maintenance/1.2.x, "
            "titled 'REL: Prepare for the tinynum 1.2.0 release'") in out


def test_push_opens_one_pull_request_and_a_rerun_reuses_it(maint: ExampleProject, cli: Cli) -> None:
    with FakeGitHub() as fake:
        fake.add_repo(REPO, "main")
        _github(fake, maint)
        env = {**os.environ, "GITHUB_TOKEN": "t", "GITHUB_API_URL": fake.api_url}
        args = ("prepare", "1.2.0", "--offline", "--push", "--fork-owner", "alice",
                "--repo", str(maint.repo))
        first = cli(*args, env=env)
        assert first.code == 0, first.err
        # The look for an open pull request, the repository, the new pull request, its check.
        assert fake.counted_rest + fake.graphql_calls <= 4
        head = git(maint.repo, "rev-parse", "HEAD").strip()
        assert git(maint.fork, "rev-parse", "refs/heads/prepare-1.2.0").strip() == head
        [pull] = fake.repo(REPO).pulls.values()
        assert (pull.title, pull.head, pull.base, pull.state) == (
            "REL: Prepare for the tinynum 1.2.0 release", "alice:prepare-1.2.0",
            "maintenance/1.2.x", "open")
        assert pull.body.startswith("Prepare for the tinynum 1.2.0 release.\n\n"
                                    "- Create 1.2.0-changelog.rst.\n")
        assert "tag `v1.2.0`" in pull.body
        assert "pull request: " in first.out

        spent = fake.counted_rest + fake.graphql_calls
        again = cli(*args, env=env)
        assert again.code == 0, again.err
        assert "nothing to do" in again.out
        # One list of the open pull requests from the branch; the repository is not looked up.
        assert fake.counted_rest + fake.graphql_calls - spent <= 1
        assert git(maint.repo, "rev-parse", "HEAD").strip() == head
        assert len(fake.repo(REPO).pulls) == 1
        assert "POST /repos/{owner}/{repo}/pulls" in fake.rest_calls
        assert fake.rest_calls["POST /repos/{owner}/{repo}/pulls"] == 1


def test_rerun_on_the_branch_commits_only_what_changed(maint: ExampleProject, cli: Cli) -> None:
    args = ("prepare", "1.2.0", "--offline", "--repo", str(maint.repo))
    assert cli(*args).code == 0
    head = git(maint.repo, "rev-parse", "HEAD").strip()
    again = cli(*args)
    assert again.code == 0 and "nothing to do" in again.out
    assert git(maint.repo, "rev-parse", "HEAD").strip() == head
    (maint.repo / "pyproject.toml").write_text(
        git(maint.repo, "show", "HEAD^:pyproject.toml"), encoding="utf-8")
    git(maint.repo, "commit", "--quiet", "-am", "MAINT: an accidental revert")
    git(maint.repo, "checkout", "--quiet", "maintenance/1.2.x")
    before = snapshot(maint.repo)
    elsewhere = cli(*args)
    assert elsewhere.code == 1
    one_line_error(elsewhere.err, "branch prepare-1.2.0 exists already")
    assert "git checkout prepare-1.2.0" in elsewhere.err and snapshot(maint.repo) == before
    git(maint.repo, "checkout", "--quiet", "prepare-1.2.0")
    fixed = cli(*args)
    assert fixed.code == 0, fixed.err
    assert git(maint.repo, "log", "-1", "--format=%B").strip() == (
        "REL: Prepare for the tinynum 1.2.0 release\n\n- Update pyproject.toml")
    assert 'version = "1.2.0"' in git(maint.repo, "show", "HEAD:pyproject.toml")


def test_patch_release_notes_get_the_changelog(example: ExampleProject, cli: Cli) -> None:
    repo = example.repo
    git(repo, "checkout", "--quiet", "maintenance/1.1.x")
    skeleton = (repo / "doc/source/release/1.1.1-notes.rst").read_text(encoding="utf-8")
    result = cli("prepare", "1.1.1", "--offline", "--repo", str(repo))
    assert result.code == 0, result.err
    changelog = git(repo, "show", "HEAD:doc/changelog/1.1.1-changelog.rst")
    notes = git(repo, "show", "HEAD:doc/source/release/1.1.1-notes.rst")
    assert notes == skeleton.rstrip("\n") + "\n\n\n" + changelog.lstrip("\n") + "\n"
    assert "Python versions 3.11-3.12\n\n\nContributors\n============\n" in notes
    assert notes.endswith(">`__: BUG: guard total() against None (#10)\n\n")
    assert git(repo, "log", "-1", "--format=%B").strip() == (
        "REL: Prepare for the tinynum 1.1.1 release\n\n- Create 1.1.1-changelog.rst.\n"
        "- Update 1.1.1-notes.rst.")  # the reset already set version = "1.1.1"
    assert cli("prepare", "1.1.1", "--offline", "--repo", str(repo)).out.endswith("nothing to do\n")


def test_wrong_branch_or_dirty_tree_changes_nothing(maint: ExampleProject, cli: Cli) -> None:
    git(maint.repo, "checkout", "--quiet", "main")
    before = snapshot(maint.repo)
    result = cli("prepare", "1.2.0", "--offline", "--repo", str(maint.repo))
    assert result.code == 1
    one_line_error(result.err, "on branch main, not on maintenance/1.2.x")
    assert snapshot(maint.repo) == before
    git(maint.repo, "checkout", "--quiet", "maintenance/1.2.x")
    (maint.repo / "stray.txt").write_text("x\n")
    before = snapshot(maint.repo)
    dirty = cli("prepare", "1.2.0", "--offline", "--repo", str(maint.repo))
    one_line_error(dirty.err, "the work tree is not clean")
    assert snapshot(maint.repo) == before


def test_mailmap_without_proposals_adds_no_line(maint: ExampleProject, cli: Cli) -> None:
    result = cli("prepare", "1.2.0", "--offline", "--mailmap", "--repo", str(maint.repo))
    assert result.code == 0, result.err
    assert "mailmap: no lines to add" in result.err
    assert git(maint.repo, "log", "-1", "--format=%B").strip() == MESSAGE


def test_prepare_merge_tag_upload_and_github_release(maint: ExampleProject, cli: Cli, tmp_path: Path,
                                                     pypi: LocalIndex) -> None:
    repo = maint.repo
    with FakeGitHub() as fake:
        fake.add_repo(REPO, "main")
        _github(fake, maint)
        env = {**os.environ, "GITHUB_TOKEN": "t", "GITHUB_API_URL": fake.api_url}
        prepared = cli("prepare", "1.2.0", "--offline", "--push", "--fork-owner", "alice",
                       "--repo", str(repo), env=env)
        assert prepared.code == 0, prepared.err
        # the PR is merged: maintenance/1.2.x fast-forwards to the prepare branch
        git(repo, "checkout", "--quiet", "maintenance/1.2.x")
        git(repo, "merge", "--quiet", "--ff-only", "prepare-1.2.0")
        git(repo, "push", "--quiet", "upstream", "maintenance/1.2.x")
        tagged = cli("tag", "1.2.0", "--push", "--repo", str(repo), env=env)
        assert tagged.code == 0, tagged.err

        dist = tmp_path / "dist"
        config = load_config(repo).config
        write_dists(dist, matrix_for(config, ReleaseVersion.parse("1.2.0")).filenames("1.2.0"),
                    "tinynum")
        upload_env = {**env, **pypi.env()}
        uploaded = cli("upload", "1.2.0", "--from-dir", str(dist), "--repository-url", pypi.url,
                       "--upload", "--repo", str(repo), env=upload_env)
        assert uploaded.code == 0, uploaded.err
        assert "tinynum-1.2.0.tar.gz" in pypi.filenames()

        released = cli("github-release", "1.2.0", "--dist", str(dist), "--index-url",
                       pypi.simple_url, "--publish", "--repo", str(repo), env=env)
        assert released.code == 0, released.err
        [release] = fake.repo(REPO).releases.values()
        assert not release.draft and release.name.startswith("v1.2.0 (")
        assets = {a.name: a.data for a in release.assets.values()}
        assert assets["tinynum-1.2.0.tar.gz"] == (pypi.packages / "tinynum-1.2.0.tar.gz").read_bytes()
        assert assets["1.2.0-changelog.rst"] == git(repo, "show", f"v1.2.0:{CHANGELOG}").encode()
        assert assets["README.rst"] == git(repo, "show", f"v1.2.0:{NOTES}").encode()
        assert "### `TinyArray_Mean`\n\nA C-API function for the mean.\n" in release.body
        assert "[gh-9](https://github.com/example/tinynum/pull/9)" in release.body


def test_titles_come_from_github_unless_offline(maint: ExampleProject, cli: Cli) -> None:
    with FakeGitHub() as fake:
        fake.add_repo(REPO, "main")
        for number in (5, 6, 7, 8, 9, 10, 13):
            fake.add_pull(REPO, number, f"ENH: title {number} as GitHub has it", "bob")
        env = {**os.environ, "GITHUB_TOKEN": "t", "GITHUB_API_URL": fake.api_url,
               "GITHUB_GRAPHQL_URL": fake.graphql_url}
        dry = cli("prepare", "1.2.0", "--dry-run", "--repo", str(maint.repo), env=env)
        assert dry.code == 0, dry.err
        assert "+* `#9 <https://github.com/example/tinynum/pull/9>`__: ENH: title 9 as GitHub has it" \
            in dry.out
        offline = cli("prepare", "1.2.0", "--dry-run", "--offline", "--repo", str(maint.repo),
                      env=env)
        assert "`__: MAINT: speed up total()" in offline.out and "as GitHub has it" not in offline.out


def test_mailmap_lines_go_into_the_rel_commit(maint: ExampleProject, cli: Cli) -> None:
    repo = maint.repo
    (repo / "extra.txt").write_text("one more\n")
    git(repo, "add", "extra.txt")
    git(repo, "-c", "user.name=chandra", "-c", "user.email=chandra@example.org", "commit", "-q",
        "-m", "BUG: one more (#21)")
    git(repo, "push", "--quiet", "upstream", "maintenance/1.2.x")
    old_mailmap = (repo / ".mailmap").read_text(encoding="utf-8")
    dry = cli("prepare", "1.2.0", "--offline", "--mailmap", "--dry-run", "--repo", str(repo))
    assert dry.code == 0, dry.err
    assert "+Chandra Dev <chandra@example.org>" in dry.out
    assert git(repo, "branch", "--list", "prepare-1.2.0") == ""

    result = cli("prepare", "1.2.0", "--offline", "--mailmap", "--repo", str(repo))
    assert result.code == 0, result.err
    assert "mailmap: adding 1 line(s)" in result.err
    message = git(repo, "log", "-1", "--format=%B").strip()
    assert message.splitlines()[0] == "REL: Prepare for the tinynum 1.2.0 release"
    assert "- Update .mailmap." in message.splitlines()
    mailmap = git(repo, "show", "HEAD:.mailmap")
    assert "Chandra Dev <chandra@example.org>\n" in mailmap
    assert sorted(mailmap.splitlines()) == sorted(
        [*old_mailmap.splitlines(), "Chandra Dev <chandra@example.org>"])
    changelog = git(repo, "show", f"HEAD:{CHANGELOG}")
    assert "* Chandra Dev" in changelog and "* chandra" not in changelog
    assert git(repo, "status", "--porcelain") == ""
    again = cli("prepare", "1.2.0", "--offline", "--mailmap", "--repo", str(repo))
    assert again.code == 0 and again.out.endswith("nothing to do\n"), again.err


@pytest.mark.parametrize(("before", "after"), [
    ("2.4.0.dev0", "2.4.0rc1"), ("2.4.0rc1", "2.4.0"), ("2.5.0.dev0", "2.5.0rc1"),
    ("2.5.0rc1", "2.5.0"),
])
def test_version_set_as_numpys_rel_commits_did(numpy_bundle_clone: Path, before: str,
                                               after: str) -> None:
    """Byte for byte the pyproject.toml of NumPy's real REL commits, from their parents'."""
    subject = f"^REL: Prepare for the NumPy {after} release"
    [commit] = git(numpy_bundle_clone, "log", "--all", "--format=%H", f"--grep={subject}",
                   "--", "pyproject.toml").split()
    old = git(numpy_bundle_clone, "show", f"{commit}^:pyproject.toml")
    assert f'version = "{before}"' in old
    assert set_version(old, after) == git(numpy_bundle_clone, "show", f"{commit}:pyproject.toml")


def test_version_keeps_quotes_and_comments() -> None:
    text = "# top\n[project]\nname = 'x'\nversion  =  '1.2.0.dev0'  # set by the release\n\n[x]\n"
    assert set_version(text, "1.2.0") == text.replace("1.2.0.dev0", "1.2.0")
