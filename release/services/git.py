"""Git through GitPython, always with argument lists.

Read-only commands run with GIT_OPTIONAL_LOCKS=0 so that looking at a repository never rewrites
its index: a dry-run must leave the repository byte-identical.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import git
from git.exc import GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from release.errors import GitError, ReleaseError, UsageError, decode_utf8

_READ_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
_SURROGATES = re.compile("[\udc80-\udcff]")
# subcommands whose answers depend on the whole history being there
HISTORY_COMMANDS = frozenset({"log", "rev-list", "shortlog", "describe", "merge-base", "blame",
                              "cherry", "name-rev"})


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    subject: str
    body: str


@dataclass(frozen=True)
class RemoteRef:
    name: str
    sha: str


class GitService:
    """One repository. Every method builds an argv list; nothing goes through a shell."""

    def __init__(self, path: Path) -> None:
        try:
            self.repo = git.Repo(path)
        except (InvalidGitRepositoryError, NoSuchPathError):
            raise UsageError(
                f"{path} is not a git repository",
                hint="pass --repo PATH to a clone of the project (or set RELEASE_REPO)",
            ) from None
        if self.repo.working_tree_dir is None:
            raise UsageError(f"{path} is a bare repository", hint="pass a clone with a work tree")
        self.root = Path(self.repo.working_tree_dir)
        self._history_checked = False

    # -- running -----------------------------------------------------------------------------

    def run(self, args: Sequence[str], *, env: Mapping[str, str] | None = None) -> str:
        """Run `git ARGS...` and return stdout; raise GitError with git's own message. A command
        that walks history is refused in a shallow clone, whose history would be cut short."""
        if args and args[0] in HISTORY_COMMANDS:
            self.require_full_history()
        argv = ["git", *args]
        full_env = {**_READ_ENV, **(env or {})}
        try:
            out = self.repo.git.execute(argv, env=full_env, strip_newline_in_stdout=False)
        except GitCommandError as exc:
            stderr = str(exc.stderr or "").strip().strip("'").strip()
            first = next((line for line in stderr.splitlines() if line.strip()), "git failed")
            raise GitError(
                f"git {' '.join(args[:2])} failed: {first.removeprefix('stderr: ').strip()}",
                hint=_hint(stderr),
            ) from None
        return str(out)

    def status_and_output(self, args: Sequence[str], *,
                          env: Mapping[str, str] | None = None) -> tuple[int, str]:
        """Run `git ARGS...` where a non-zero exit is an answer (merge-tree's 1 = conflicts)."""
        status, out, _ = self.repo.git.execute(["git", *args], env={**_READ_ENV, **(env or {})},
                                               with_extended_output=True, with_exceptions=False,
                                               strip_newline_in_stdout=False)
        return int(status), str(out)

    def require_full_history(self) -> None:
        """A shallow clone answers history questions wrongly without a word (contributors and
        pull requests missing, old authors "new"): refuse it, once per service."""
        if self._history_checked:
            return
        self._history_checked = True
        shallow = self._git(["rev-parse", "--is-shallow-repository"]).strip() == "true"
        if shallow:
            raise GitError(f"{self.root} is a shallow clone: its history is cut off, so "
                           "contributors, pull requests and versions read from it would be wrong",
                           hint="fetch the whole history: git fetch --unshallow "
                                "(then git fetch upstream --tags)")

    def _git(self, args: Sequence[str]) -> str:
        """`run` without the history check (for the check itself)."""
        try:
            return str(self.repo.git.execute(["git", *args], env=dict(_READ_ENV),
                                             strip_newline_in_stdout=False))
        except GitCommandError:
            return ""

    def ok(self, args: Sequence[str]) -> bool:
        try:
            self.run(args)
        except GitError:
            return False
        return True

    # -- state -------------------------------------------------------------------------------

    def status_lines(self) -> list[str]:
        return [ln for ln in self.run(["status", "--porcelain=v1"]).splitlines() if ln]

    def is_clean(self) -> bool:
        return not self.status_lines()

    def tracked_files(self, paths: Sequence[str] = ()) -> list[str]:
        """The files git tracks (of `paths`, when given), names read raw: `-z` keeps git from
        quoting a name with non-ASCII characters into one that matches no file."""
        return [path for path in self.run(["ls-files", "-z", "--", *paths]).split("\0") if path]

    def current_branch(self) -> str | None:
        """The checked-out branch; None on a detached HEAD (where symbolic-ref fails quietly)."""
        try:
            return self.run(["symbolic-ref", "--quiet", "--short", "HEAD"]).strip() or None
        except GitError:
            return None

    def rev_parse(self, ref: str) -> str:
        return self.run(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"]).strip()

    def has_ref(self, ref: str) -> bool:
        return self.ok(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"])

    def head(self) -> str:
        return self.rev_parse("HEAD")

    def parents(self, ref: str) -> list[str]:
        """The parent commits of a commit, first parent first."""
        return self.run(["rev-list", "--parents", "-n", "1", f"{ref}^{{commit}}", "--"]).split()[1:]

    def show_file(self, ref: str, path: str) -> str | None:
        """A file's text at a commit, or None when it does not exist there."""
        try:
            return self.run(["show", f"{ref}:{path}"])
        except GitError:
            return None

    # -- tags --------------------------------------------------------------------------------

    def tags(self) -> list[str]:
        return [t for t in self.run(["tag", "--list"]).splitlines() if t]

    def tag_object(self, name: str) -> str | None:
        """The object a tag ref points to (the tag object for annotated tags)."""
        try:
            return self.run(["rev-parse", "--verify", "--quiet", f"refs/tags/{name}"]).strip()
        except GitError:
            return None

    def tag_commit(self, name: str) -> str:
        return self.rev_parse(f"refs/tags/{name}")

    def tag_type(self, name: str) -> str:
        return self.run(["cat-file", "-t", f"refs/tags/{name}"]).strip()

    def tag_message(self, name: str) -> str:
        return self.run(["tag", "--list", "--format=%(contents:subject)", name]).strip()

    def tag_times(self) -> dict[str, int]:
        """Each tag's creation time (the tagger's for annotated tags) as a Unix timestamp."""
        lines = self.run(["for-each-ref", "--format=%(refname:short) %(creatordate:unix)",
                          "refs/tags"]).splitlines()
        return {name: int(stamp) for name, _, stamp in (ln.rpartition(" ") for ln in lines)
                if name and stamp.isdigit()}

    def create_tag(
        self, name: str, message: str, commit: str, *, sign: bool = False, key: str = ""
    ) -> None:
        self.run(tag_argv(name, message, commit, sign=sign, key=key))

    def verify_tag(self, name: str) -> str:
        """Check a signed tag's signature; returns gpg's report."""
        return self.run(["tag", "-v", name])

    # -- remotes -----------------------------------------------------------------------------

    def remotes(self) -> list[str]:
        return [r for r in self.run(["remote"]).splitlines() if r]

    def remote_url(self, remote: str) -> str:
        return self.run(["remote", "get-url", remote]).strip()

    def remote_refs(self, remote: str, pattern: str) -> list[RemoteRef]:
        out = self.run(["ls-remote", remote, pattern])
        refs = []
        for line in out.splitlines():
            sha, _, name = line.partition("\t")
            if name:
                refs.append(RemoteRef(name=name, sha=sha))
        return refs

    def remote_tag_object(self, remote: str, name: str) -> str | None:
        for ref in self.remote_refs(remote, f"refs/tags/{name}"):
            if ref.name == f"refs/tags/{name}":
                return ref.sha
        return None

    def push_ref(self, remote: str, ref: str) -> None:
        self.run(push_argv(remote, ref))

    # -- history -----------------------------------------------------------------------------

    def log(self, revision_range: str, *extra: str) -> list[Commit]:
        sep, end = "\x1f", "\x1e"
        fmt = sep.join(["%H", "%P", "%aN", "%aE", "%s", "%b"]) + end
        out = self.run(["log", f"--format={fmt}", *extra, revision_range, "--"])
        commits = []
        for record in out.split(end):
            record = record.lstrip("\n")
            if not record:
                continue
            sha, parents, name, email, subject, body = record.split(sep)
            if _SURROGATES.search(name + email + subject):
                raise self._not_utf8(sha, name, email)
            commits.append(Commit(sha, tuple(parents.split()), name, email, subject, body))
        return commits

    def _not_utf8(self, sha: str, name: str, email: str) -> ReleaseError:
        """Bytes git gave that are not UTF-8 (GitPython keeps them as surrogates): most often a
        .mailmap saved in Latin-1, which git applies byte for byte."""
        mailmap = self.root / ".mailmap"
        if mailmap.is_file():
            try:
                decode_utf8(mailmap.read_bytes(), ".mailmap")
            except ReleaseError as exc:
                exc.message += "; git applies it byte for byte, so the names it maps come out wrong"
                return exc
        shown = f"{name} <{email}>".encode("utf-8", "surrogateescape").decode("latin-1")
        return GitError(f"commit {sha[:12]} has an author or subject that is not UTF-8 ({shown!r} "
                        "read as Latin-1)",
                        hint="map the author to a UTF-8 name in .mailmap; git log --encoding "
                             "does not change how the toolkit reads it")

    def show_bytes(self, ref: str, path: str) -> bytes | None:
        """A file's bytes at a commit (for files whose encoding is checked), None when absent."""
        try:
            out = self.repo.git.execute(["git", "show", f"{ref}:{path}"], env=dict(_READ_ENV),
                                        stdout_as_string=False, strip_newline_in_stdout=False)
        except GitCommandError:
            return None
        return bytes(out)


def tag_argv(name: str, message: str, commit: str, *, sign: bool = False, key: str = "") -> list[str]:
    """`git tag` arguments for an annotated (optionally signed) tag."""
    mode = ["-u", key] if key else (["-s"] if sign else ["-a"])
    return ["tag", *mode, name, "-m", message, commit]


def push_argv(remote: str, ref: str) -> list[str]:
    """Push exactly one ref, never with --force, never --tags."""
    return ["push", remote, f"{ref}:{ref}"]


def git_env_without_user_config() -> dict[str, str]:
    """An environment that ignores the user's global git config (for tests and rehearsals)."""
    env = dict(os.environ)
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull})
    return env


def init_repo(path: Path, *, bare: bool = False, branch: str = "main") -> GitService | None:
    """Create a repository; returns a service for a work-tree repository, None for a bare one."""
    path.mkdir(parents=True, exist_ok=True)
    args = ["init", "--quiet", f"--initial-branch={branch}"] + (["--bare"] if bare else [])
    git.Git(str(path)).execute(["git", *args, str(path)])
    return None if bare else GitService(path)


def clone_bare(source: Path, dest: Path) -> None:
    git.Git(str(source)).execute(["git", "clone", "--quiet", "--bare", str(source), str(dest)])


def fetch_into_bare(bare: Path, source: Path, refspecs: list[str]) -> None:
    """Copy refs (and their objects) from `source` into the bare repository `bare`."""
    git.Git(str(bare)).execute(["git", "--git-dir", str(bare), "fetch", "--quiet", "--no-tags",
                                str(source.resolve()), *refspecs])


def run_in_bare(bare: Path, *args: str) -> None:
    """Run a git command in the bare repository `bare` (its refs are changed by argv, no shell)."""
    git.Git(str(bare)).execute(["git", "--git-dir", str(bare), *args])


def clone(source: Path, dest: Path, *, origin: str = "origin") -> None:
    git.Git(str(source)).execute(["git", "clone", "--quiet", "--origin", origin, str(source),
                                  str(dest)])


def scratch_clone(source: Path, dest: Path, commit: str) -> GitService:
    """A clone of `source` at `commit` (detached) that shares its objects (`--shared`): the
    source repository is only read. Submodules keep the URLs `.gitmodules` gives them."""
    git.Git(str(source)).execute(["git", "clone", "--quiet", "--shared", "--no-checkout", str(source),
                                  str(dest)])
    service = GitService(dest)
    service.run(["-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", commit])
    return service


def _hint(stderr: str) -> str:
    """What to do about a failed git command; GitHub's refusal of a workflow change by name."""
    if "create or update workflow" in stderr:
        return ("the commits change .github/workflows: push with a token that has the workflow "
                "scope (classic) or Workflows: read and write (fine-grained)")
    return "run the command by hand to see git's full output"
