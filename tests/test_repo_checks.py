"""A repository's files read the same way from the work tree or a commit, and the preconditions
the branch-making steps check first, each on a real repository with a real remote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import git

from release.errors import PreconditionError, UsageError
from release.repo.files import RepoFiles
from release.repo.preconditions import (
    require_branch,
    require_clean,
    require_final,
    require_remote,
    require_up_to_date,
    require_version,
)
from release.services.git import GitService
from release.version import ReleaseVersion


def _commit(repo: Path, name: str, text: str | bytes, message: str) -> str:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    upstream = tmp_path / "upstream.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(upstream))
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Alice")
    git(path, "config", "user.email", "alice@example.org")
    _commit(path, "pyproject.toml", '[project]\nname = "tinynum"\nversion = "1.2.0.dev0"\n', "one")
    git(path, "remote", "add", "upstream", str(upstream))
    git(path, "push", "-q", "upstream", "main")
    return path


def test_files_from_the_work_tree_or_a_commit(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    _commit(repo, "numpy/core/include/numpyconfig.h", "#define OLD\n", "old spelling")
    (repo / "pyproject.toml").write_text("changed, not committed\n")
    service = GitService(repo)
    work, at_first = RepoFiles(service, repo), RepoFiles(service, repo, first)
    assert work.read("pyproject.toml") == "changed, not committed\n"
    assert at_first.read("pyproject.toml") is not None
    assert "1.2.0.dev0" in str(at_first.read("pyproject.toml"))
    assert at_first.where("pyproject.toml") == f"{first}:pyproject.toml"
    assert work.read("missing.txt") is None and at_first.read("numpy/core/include/numpyconfig.h") is None
    # the pre-2.0 path is found when only that exists
    assert work.require("numpy/_core/include/numpyconfig.h", "numpyconfig.h") == \
        ("numpy/core/include/numpyconfig.h", "#define OLD\n")
    with pytest.raises(PreconditionError) as raised:
        at_first.require("numpy/_core/include/numpyconfig.h", "numpyconfig.h")
    assert raised.value.message == (f"numpyconfig.h {first}:numpy/_core/include/numpyconfig.h "
                                    "does not exist")


def test_a_file_that_is_not_utf8_is_named_with_its_byte(repo: Path) -> None:
    _commit(repo, ".mailmap", "Jos\xe9 <j@example.org>\n".encode("latin-1"), "latin-1")
    with pytest.raises(PreconditionError) as raised:
        RepoFiles(GitService(repo), repo, "HEAD").read(".mailmap")
    assert raised.value.message == "HEAD:.mailmap is not UTF-8 text (byte 0xe9 at offset 3)"


def test_a_ref_that_is_no_commit_is_refused(repo: Path) -> None:
    with pytest.raises(PreconditionError) as raised:
        RepoFiles(GitService(repo), repo, "v9.9.9")
    assert raised.value.message == f"'v9.9.9' is not a commit in {repo}"


def test_clean_branch_version_and_remote(repo: Path) -> None:
    service = GitService(repo)
    require_clean(service)
    assert require_branch(service, "main") == git(repo, "rev-parse", "HEAD").strip()
    assert "1.2.0.dev0" in require_version(service, "pyproject.toml", "1.2.0.dev0", hint="")
    require_remote(service, "upstream", "upstream_remote")
    (repo / "stray.txt").write_text("x")
    with pytest.raises(PreconditionError, match=r"not clean \(1 changed or untracked: stray.txt\)"):
        require_clean(service)
    with pytest.raises(PreconditionError, match=re.escape("on branch main, not on maintenance/1.2.x")):
        require_branch(service, "maintenance/1.2.x")
    with pytest.raises(PreconditionError, match=re.escape("says version 1.2.0.dev0, not 1.2.0")):
        require_version(service, "pyproject.toml", "1.2.0", hint="set it")
    with pytest.raises(PreconditionError) as raised:
        require_remote(service, "origin", "fork_remote")
    assert raised.value.hint == "git remote add origin URL, or set fork_remote in [tool.release]"


def test_a_branch_behind_or_diverged_from_its_remote_is_refused(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(tmp_path / "upstream.git"), str(other))
    git(other, "config", "user.name", "Bob")
    git(other, "config", "user.email", "bob@example.org")
    _commit(other, "b.txt", "b\n", "upstream moves on")
    git(other, "push", "-q", "origin", "main")
    service = GitService(repo)
    local = git(repo, "rev-parse", "HEAD").strip()
    with pytest.raises(PreconditionError, match="upstream has commits on main that are not here"):
        require_up_to_date(service, "upstream", "main", local)
    git(repo, "fetch", "-q", "upstream")
    with pytest.raises(PreconditionError, match=r"main is behind upstream/main by 1 commit\(s\)"):
        require_up_to_date(service, "upstream", "main", local)
    ours = _commit(repo, "a.txt", "a\n", "a local commit")
    with pytest.raises(PreconditionError, match="main has diverged from upstream/main: 1 commit"):
        require_up_to_date(service, "upstream", "main", ours)
    git(repo, "merge", "-q", "--no-edit", "upstream/main")
    require_up_to_date(service, "upstream", "main", git(repo, "rev-parse", "HEAD").strip())


def test_only_a_final_release_is_followed_up() -> None:
    require_final(ReleaseVersion.parse("1.2.0"), "nothing to reset", hint="h")
    with pytest.raises(UsageError, match=re.escape("1.2.0rc1 is a pre-release; nothing to reset")):
        require_final(ReleaseVersion.parse("1.2.0rc1"), "nothing to reset", hint="h")
    with pytest.raises(UsageError, match="is a development version"):
        require_final(ReleaseVersion.parse("1.3.0.dev0"), "nothing to reset", hint="h")
