from __future__ import annotations

from pathlib import Path

import pytest
from helpers import git

from release.errors import GitError, UsageError
from release.fakes.example import ExampleProject
from release.services.git import GitService, push_argv, tag_argv


def test_state(example: ExampleProject) -> None:
    service = GitService(example.repo)
    assert service.is_clean()
    assert service.current_branch() == "main"
    (example.repo / "junk").write_text("x")
    assert service.status_lines() == ["?? junk"]
    assert "v1.1.0" in service.tags()
    assert "upstream" in service.remotes()


def test_remote_tags_and_push_one_ref(example: ExampleProject) -> None:
    service = GitService(example.repo)
    assert service.remote_tag_object("upstream", "v1.1.0") == service.tag_object("v1.1.0")
    service.create_tag("v9.9.9", "message", service.head())
    assert service.remote_tag_object("upstream", "v9.9.9") is None
    service.create_tag("v9.9.8", "message", service.head())
    service.push_ref("upstream", "refs/tags/v9.9.9")
    assert service.remote_tag_object("upstream", "v9.9.9") == service.tag_object("v9.9.9")
    assert service.remote_tag_object("upstream", "v9.9.8") is None


def test_log_range(example: ExampleProject) -> None:
    commits = GitService(example.repo).log("v1.2.0.dev0..maintenance/1.2.x")
    subjects = [c.subject for c in commits]
    assert "Merge pull request #13 from alice/backport-12" in subjects
    assert "DOC: explain broadcasting rules (#6)" in subjects
    merge = next(c for c in commits if c.subject.startswith("Merge pull request #5"))
    assert len(merge.parents) == 2 and merge.body.startswith("ENH: add tinynum.mean")


def test_argv_builders_never_force() -> None:
    assert tag_argv("v1", "m", "abc") == ["tag", "-a", "v1", "-m", "m", "abc"]
    assert tag_argv("v1", "m", "abc", sign=True) == ["tag", "-s", "v1", "-m", "m", "abc"]
    assert tag_argv("v1", "m", "abc", key="K") == ["tag", "-u", "K", "v1", "-m", "m", "abc"]
    assert push_argv("upstream", "refs/tags/v1") == ["push", "upstream", "refs/tags/v1:refs/tags/v1"]


def test_errors_are_one_line(example: ExampleProject, tmp_path: Path) -> None:
    with pytest.raises(GitError) as info:
        GitService(example.repo).run(["rev-parse", "--verify", "no-such-ref"])
    assert "\n" not in info.value.message
    with pytest.raises(UsageError, match="not a git repository"):
        GitService(tmp_path)


def test_reading_never_rewrites_the_index(example: ExampleProject) -> None:
    (example.repo / "README.md").touch()  # stat change that a plain `git status` would record
    index = (example.repo / ".git" / "index").read_bytes()
    service = GitService(example.repo)
    service.status_lines()
    service.is_clean()
    assert (example.repo / ".git" / "index").read_bytes() == index
    assert git(example.repo, "rev-parse", "HEAD")
