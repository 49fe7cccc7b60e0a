"""The annotated tag the tag and branch steps make: a rerun accepts the tag asked for and
refuses any other (elsewhere, lightweight, another message), before anything changes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import git

from release.errors import PreconditionError
from release.plan import ApplyExecutor, Plan
from release.repo.tag import TagSpec, add_tag, check_existing_tag
from release.services.git import GitService


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Alice")
    git(path, "config", "user.email", "alice@example.org")
    git(path, "config", "tag.gpgsign", "false")
    for n in (1, 2):
        (path / "f.txt").write_text(f"{n}\n")
        git(path, "add", "f.txt")
        git(path, "commit", "-q", "-m", f"commit {n}")
    return path


def _spec(commit: str = "HEAD", message: str = "NumPy 2.5.2 release") -> TagSpec:
    return TagSpec(name="v2.5.2", message=message, commit=commit, sign=False, key="",
                   remote="upstream", push=False)


def test_the_plan_makes_the_tag_and_verifies_it(repo: Path) -> None:
    service = GitService(repo)
    plan = Plan("tag")
    add_tag(plan, service, repo, _spec(), on="HEAD")
    progress = io.StringIO()
    ApplyExecutor(progress).execute(plan)
    assert "[1/1] run git tag -a v2.5.2 -m 'NumPy 2.5.2 release' HEAD" in progress.getvalue()
    assert "verified: v2.5.2 is an annotated tag on HEAD" in progress.getvalue()
    assert git(repo, "cat-file", "-t", "v2.5.2").strip() == "tag"
    assert git(repo, "tag", "-l", "--format=%(contents:subject)", "v2.5.2").strip() == \
        "NumPy 2.5.2 release"
    check_existing_tag(service, _spec())  # a rerun finds the tag it would make


def test_a_tag_on_another_commit_is_refused(repo: Path) -> None:
    git(repo, "tag", "-a", "v2.5.2", "-m", "NumPy 2.5.2 release", "HEAD~1")
    with pytest.raises(PreconditionError) as raised:
        check_existing_tag(GitService(repo), _spec())
    assert raised.value.message.startswith("tag v2.5.2 already exists on commit ")
    assert raised.value.hint == "if it is a mistake and unpublished: git tag -d v2.5.2"


def test_a_lightweight_tag_is_refused(repo: Path) -> None:
    git(repo, "tag", "v2.5.2")
    with pytest.raises(PreconditionError) as raised:
        check_existing_tag(GitService(repo), _spec())
    assert raised.value.message == "tag v2.5.2 exists but is a lightweight tag"


def test_a_tag_with_another_message_is_refused(repo: Path) -> None:
    git(repo, "tag", "-a", "v2.5.2", "-m", "something else")
    with pytest.raises(PreconditionError) as raised:
        check_existing_tag(GitService(repo), _spec())
    assert raised.value.message == ("tag v2.5.2 exists with message 'something else', expected "
                                    "'NumPy 2.5.2 release'")
