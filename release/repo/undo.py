"""What a run changed on this machine, kept until the run ends so that a failure puts it back.

The executor shows the record each action before applying it. The record then saves what the
action may change: the bytes of the files it writes or deletes, and, once per repository, the
state of every git repository it runs git or a script in (HEAD, the branch and tag refs, the
index, whether the work tree was clean). If the run fails (an error, Ctrl-C, SIGTERM) before
anything left the machine, `rollback` puts all of it back. Once an action that leaves the
machine (a push, a GitHub request, an upload, a mail) has finished, nothing is put back: the
failure message lists what was done, and a rerun finishes the work.

The record lives on disk in the project's git dir for as long as the run lasts, so a run killed
outright (SIGKILL, a power cut) is put back by the next run before that one looks at anything.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from release.atomic_file import replace_file
from release.errors import ReleaseError
from release.services.git import GitService

RECORD = "record.json"


@dataclass
class SavedFile:
    """A file as it was before the run: absent, a regular file (its bytes kept beside the
    record) or a symlink."""

    path: str
    kind: str
    backup: str = ""
    link: str = ""
    mode: int = 0o644


@dataclass
class SavedRepo:
    """A repository's git state before the run. `unlisted` is set when an action changed files
    it does not name (a directory sync, a project's own script): put back by resetting the work
    tree, which is exact only when it was clean."""

    root: str
    head: str
    refs: dict[str, str]
    index_backup: str
    clean: bool
    unlisted: bool = False
    # The git dir's own files (loose objects, reflogs, COMMIT_EDITMSG, ...) by size, and the
    # backups of its top-level files, so that putting back leaves it byte for byte as it was.
    sizes: dict[str, int] = field(default_factory=dict)
    tops: dict[str, str] = field(default_factory=dict)


@dataclass
class Done:
    """An action that finished: its number in the run, its first line, its effect, and for one
    that left the machine, the command or words that undo it."""

    number: int
    line: str
    effect: str
    undo: str = ""


@dataclass
class UndoRecord:
    directory: Path
    command: str
    # The repositories the record saves and puts back, as the Context hands them out.
    git_at: Callable[[Path], GitService] = field(repr=False)
    files: dict[str, SavedFile] = field(default_factory=dict)
    repos: dict[str, SavedRepo] = field(default_factory=dict)
    done: list[Done] = field(default_factory=list)
    # Called with a repository's root before its state is first saved (the guard locks it).
    on_repo: Callable[[Path], None] | None = field(default=None, repr=False)

    # -- keeping ---------------------------------------------------------------------------

    @classmethod
    def load(cls, directory: Path, git_at: Callable[[Path], GitService]) -> UndoRecord | None:
        """The record an earlier run left, or None. One that does not parse is an error: it
        may be all that says how to put a repository back."""
        path = directory / RECORD
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(directory, str(data["command"]), git_at,
                       {k: SavedFile(**v) for k, v in data["files"].items()},
                       {k: SavedRepo(**v) for k, v in data["repos"].items()},
                       [Done(**item) for item in data["done"]])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ReleaseError(
                f"{path} does not parse ({exc}); an interrupted run left it to put back what it "
                "had changed",
                hint=f"look at it and at `git status`, put back by hand what needs it, then "
                     f"remove {directory}") from None

    def save(self) -> None:
        """Write the record (its directory is made by the first action that saves anything, so
        a run that changes nothing leaves no trace)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        data = {"command": self.command,
                "files": {k: asdict(v) for k, v in self.files.items()},
                "repos": {k: asdict(v) for k, v in self.repos.items()},
                "done": [asdict(item) for item in self.done]}
        replace_file(self.directory / RECORD, json.dumps(data, indent=1).encode("utf-8"))

    def discard(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def save_file(self, path: Path) -> None:
        """Keep `path` as it is now, unless it is kept already (the oldest state wins)."""
        key = str(path)
        if key in self.files:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            saved = SavedFile(key, "link", link=os.readlink(path))
        elif path.is_dir():  # a directory files are added to: what it held, by name
            saved = SavedFile(key, "dir", link="\0".join(sorted(p.name for p in path.iterdir())))
        elif path.is_file():
            backup = f"file-{len(self.files)}"
            shutil.copyfile(path, self.directory / backup)
            saved = SavedFile(key, "file", backup=backup, mode=path.stat().st_mode & 0o7777)
        else:
            saved = SavedFile(key, "absent")
        self.files[key] = saved
        self.save()

    def save_repo(self, root: Path, *, unlisted: bool = False) -> None:
        """Keep the git state of the repository at `root` (once; `unlisted` is remembered)."""
        key = str(root)
        if key in self.repos:
            self.repos[key].unlisted |= unlisted
            self.save()
            return
        git = self.git_at(root)
        if self.on_repo is not None:
            self.on_repo(root)
        self.directory.mkdir(parents=True, exist_ok=True)
        index = _index_path(git)
        backup = ""
        if index.is_file():
            backup = f"index-{len(self.repos)}"
            shutil.copyfile(index, self.directory / backup)
        saved = SavedRepo(key, _head(git), _refs(git), backup, git.is_clean(), unlisted)
        for directory in _git_dirs(git):
            for path in _git_dir_files(directory):
                saved.sizes[str(path)] = path.stat().st_size
                if path.parent == directory and path != index and path.stat().st_size < TOP_LIMIT:
                    name = f"top-{len(self.repos)}-{len(saved.tops)}"
                    shutil.copyfile(path, self.directory / name)
                    saved.tops[str(path)] = name
        self.repos[key] = saved
        self.save()

    def finished(self, item: Done) -> None:
        self.done.append(item)
        self.save()

    def forget(self, number: int) -> None:
        """Drop the note that action `number` was on its way (it finished, or was refused)."""
        kept = [item for item in self.done if item.number != number]
        if len(kept) != len(self.done):
            self.done = kept
            self.save()

    # -- reading ---------------------------------------------------------------------------

    @property
    def left_machine(self) -> list[Done]:
        """Finished actions that cannot be put back (pushes, requests, uploads, mails)."""
        return [item for item in self.done if item.effect not in ("local", "read")]

    def undo_commands(self, home: Path) -> list[str]:
        """Commands that put the local repositories back by hand (what `rollback` would do),
        for a message after something has left the machine."""
        commands: list[str] = []
        for saved in self.repos.values():
            commands += _repo_commands(saved, Path(saved.root) != home, self.git_at)
        return commands

    # -- putting back ----------------------------------------------------------------------

    def rollback(self) -> list[str]:
        """Put every saved repository and file back; what could not be, in words."""
        problems: list[str] = []
        for saved in reversed(list(self.repos.values())):
            problems += _restore_repo(saved, self.directory, self.git_at)
        for saved_file in self.files.values():
            try:
                _restore_file(saved_file, self.directory)
            except OSError as exc:
                problems.append(f"{saved_file.path}: {exc.strerror}")
        if not problems:
            self.discard()
        return problems


TOP_LIMIT = 4 << 20


def _git_dirs(git: GitService) -> list[Path]:
    """The work tree's git dir and, for a linked work tree, the common one."""
    found = [(git.root / git.run(["rev-parse", name]).strip()).resolve()
             for name in ("--git-dir", "--git-common-dir")]
    return list(dict.fromkeys(found))


def _git_dir_files(directory: Path) -> list[Path]:
    """A git dir's files that a run may add or grow; packs (which `git gc` may rewrite) and
    the toolkit's own `release/` directory are left alone."""
    skip = (directory / "objects" / "pack", directory / "release")
    return [path for path in directory.rglob("*")
            if path.is_file() and not any(path.is_relative_to(s) for s in skip)]


def _index_path(git: GitService) -> Path:
    return (git.root / git.run(["rev-parse", "--git-path", "index"]).strip()).resolve()


def _head(git: GitService) -> str:
    branch = git.run(["symbolic-ref", "--quiet", "HEAD"]).strip() if git.ok(
        ["symbolic-ref", "--quiet", "HEAD"]) else ""
    return f"ref: {branch}" if branch else git.run(["rev-parse", "HEAD"]).strip()


def _refs(git: GitService) -> dict[str, str]:
    listing = git.run(["for-each-ref", "--format=%(refname) %(objectname)", "refs/heads",
                       "refs/tags"])
    pairs = (line.partition(" ") for line in listing.splitlines() if line)
    return {name: sha for name, _, sha in pairs}


def _restore_repo(saved: SavedRepo, directory: Path,
                  git_at: Callable[[Path], GitService]) -> list[str]:
    root = Path(saved.root)
    try:
        git = git_at(root)
        now = _refs(git)
        if saved.head.startswith("ref: "):
            git.run(["symbolic-ref", "HEAD", saved.head[5:]])
        else:
            git.run(["update-ref", "--no-deref", "HEAD", saved.head])
        for ref in sorted(set(now) - set(saved.refs)):
            git.run(["update-ref", "-d", ref])
        for ref, sha in saved.refs.items():
            if now.get(ref) != sha:
                git.run(["update-ref", ref, sha])
        problems = _reset_tree(git, saved) if saved.unlisted else []
        index = _index_path(git)
        if saved.index_backup:
            replace_file(index, (directory / saved.index_backup).read_bytes())
        else:
            index.unlink(missing_ok=True)
        _restore_git_dir(git, saved, directory)
        return problems
    except (ReleaseError, OSError) as exc:
        return [f"{root}: {getattr(exc, 'message', None) or exc}"]
    return []


def _restore_git_dir(git: GitService, saved: SavedRepo, directory: Path) -> None:
    """New loose objects and reflogs removed, grown reflogs cut back, top-level files (HEAD,
    COMMIT_EDITMSG, packed-refs, ...) as they were."""
    for git_dir in _git_dirs(git):
        for path in _git_dir_files(git_dir):
            key = str(path)
            if key in saved.tops:
                data = (directory / saved.tops[key]).read_bytes()
                if path.read_bytes() != data:
                    replace_file(path, data)
            elif key not in saved.sizes:
                path.unlink()
                _remove_empty_parents(path.parent, git_dir)
            elif path.stat().st_size > saved.sizes[key] and path.parent.name != "objects" and (
                    git_dir / "logs") in path.parents:
                with path.open("r+b") as stream:
                    stream.truncate(saved.sizes[key])
        for key, name in saved.tops.items():
            if Path(key).parent == git_dir and not Path(key).exists():
                replace_file(Path(key), (directory / name).read_bytes())


def _reset_tree(git: GitService, saved: SavedRepo) -> list[str]:
    """After a change to files nobody listed: a clean work tree is made clean again."""
    if not saved.clean:
        return [f"{saved.root}: the work tree was not clean before, so files the run changed in "
                f"it are left as they are (git -C {saved.root} status shows them)"]
    git.run(["reset", "--hard", "--quiet"])
    untracked = [p for p in git.run(["ls-files", "-z", "--others", "--exclude-standard"])
                 .split("\0") if p]
    for relpath in untracked:
        path = git.root / relpath
        path.unlink(missing_ok=True)
        _remove_empty_parents(path.parent, git.root)
    return []


def _restore_file(saved: SavedFile, directory: Path) -> None:
    path = Path(saved.path)
    if saved.kind == "file":
        replace_file(path, (directory / saved.backup).read_bytes())
        path.chmod(saved.mode)
        return
    if saved.kind == "dir":
        held = set(saved.link.split("\0")) if saved.link else set()
        for entry in path.iterdir() if path.is_dir() else ():
            if entry.name not in held:
                _remove(entry)
        return
    if path.is_symlink() or path.exists():
        _remove(path)
    if saved.kind == "link":
        path.symlink_to(saved.link)
    else:
        _remove_empty_parents(path.parent, None)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _remove_empty_parents(directory: Path, stop: Path | None) -> None:
    """Remove `directory` and its parents while they are empty (never `stop` or above)."""
    while directory != stop and directory != directory.parent:
        with contextlib.suppress(OSError):
            directory.rmdir()
            directory = directory.parent
            continue
        return


def _repo_commands(saved: SavedRepo, other: bool,
                   git_at: Callable[[Path], GitService]) -> list[str]:
    git = f"git -C {saved.root}" if other else "git"
    try:
        repo = git_at(Path(saved.root))
        now, head = _refs(repo), _head(repo)
    except ReleaseError:
        return []
    commands = []
    if head != saved.head:
        target = saved.head[5:].removeprefix("refs/heads/") if saved.head.startswith("ref: ") else (
            saved.head)
        commands.append(f"{git} checkout {target}")
    for ref in sorted(set(now) - set(saved.refs)):
        name = ref.split("/", 2)[2]
        commands.append(f"{git} tag -d {name}" if ref.startswith("refs/tags/")
                        else f"{git} branch -D {name}")
    for ref, sha in saved.refs.items():
        if now.get(ref) != sha:
            commands.append(f"{git} update-ref {ref} {sha}")
    return commands
