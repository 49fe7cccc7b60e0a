"""Stand-in repositories of other projects (numpy/doc, numpy.org): files committed once under a
fixed identity and date, so their history is the same on every run, with a bare remote to push to.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from release.services.git import GitService, clone_bare, init_repo


def new_repo(path: Path, name: str, email: str) -> GitService:
    """An empty repository on `main` that commits as `name <email>`, unsigned."""
    git = init_repo(path)
    assert git is not None
    for key, value in (("user.name", name), ("user.email", email), ("commit.gpgsign", "false")):
        git.run(["config", key, value])
    return git


def write_files(root: Path, files: Mapping[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit_all(git: GitService, message: str, date: str) -> None:
    """Commit the whole work tree with author and committer dated `date` (ISO 8601)."""
    git.run(["add", "--all"])
    git.run(["commit", "--quiet", "-m", message],
            env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})


def add_origin(git: GitService, remote: Path) -> None:
    """A bare clone at `remote`, added as `origin` and fetched, so remote-tracking refs exist."""
    clone_bare(git.root, remote)
    git.run(["remote", "add", "origin", str(remote)])
    git.run(["fetch", "--quiet", "origin"])
