"""Read project files from the work tree or from a commit, with the same calls."""

from __future__ import annotations

from pathlib import Path

from release.errors import PreconditionError, decode_utf8
from release.services.git import GitService


class RepoFiles:
    """Files of one state of the repository: the work tree (ref None) or a commit."""

    def __init__(self, git: GitService, root: Path, ref: str | None = None) -> None:
        self.git, self.root, self.ref = git, root, ref
        if ref is not None and not git.has_ref(ref):
            raise PreconditionError(f"{ref!r} is not a commit in {root}",
                                    hint="pass a tag, branch or commit id that exists")

    def where(self, path: str) -> str:
        return f"{self.ref}:{path}" if self.ref else path

    def read(self, path: str) -> str | None:
        """The file's text, None when it does not exist; not UTF-8 is an error naming the byte."""
        if self.ref is None:
            file = self.root / path
            data = file.read_bytes() if file.is_file() else None
        else:
            data = self.git.show_bytes(self.ref, path)
        return None if data is None else decode_utf8(data, self.where(path))

    def require(self, path: str, what: str) -> tuple[str, str]:
        """The path found and its text: `path`, or its pre-2.0 NumPy spelling (`numpy/core/...`
        for `numpy/_core/...`) when only that exists; an error when neither does."""
        text = self.read(path)
        if text is None and "/_core/" in path:
            old = path.replace("/_core/", "/core/", 1)
            old_text = self.read(old)
            if old_text is not None:
                return old, old_text
        if text is None:
            raise PreconditionError(f"{what} {self.where(path)} does not exist",
                                    hint="check the path in [tool.release] (or --ref)")
        return path, text
