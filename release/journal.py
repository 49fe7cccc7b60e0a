"""The release journal: which steps ran for real, with which arguments, when, and how they ended.

One JSON file per version in the repository's git dir (`.git/release/journal-2.4.0.json`), so it
travels with the clone and never shows in `git status`. The CLI appends an entry after every run
of a journaled step (its `Step` says so) that applied at least one action (a dry run, a refused
run or a "nothing to do" rerun leaves no trace). `status` reads it to say when a step finished,
and to point out a step the journal says finished whose result the remotes lack (a crash after
the journal write, or an undo). Written atomically: a killed process leaves the previous
journal, never half of one.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from release.atomic_file import replace_file
from release.errors import ReleaseError
from release.output.redact import HIDDEN, SECRET_NAME, mask_url_credentials
from release.services.git import GitService
from release.version import ReleaseVersion


@dataclass(frozen=True)
class Entry:
    step: str
    args: tuple[str, ...]
    started: str
    ended: str
    exit: int

    @property
    def ok(self) -> bool:
        return self.exit == 0


def utc_now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def scrub(args: Sequence[str]) -> tuple[str, ...]:
    """The arguments with the value of any token/password-like option hidden, and credentials
    in URLs (`https://user:pass@host`) dropped."""
    kept: list[str] = []
    hide_next = False
    for arg in args:
        if hide_next:
            kept.append(HIDDEN)
            hide_next = False
            continue
        name, eq, _value = arg.partition("=")
        if arg.startswith("-") and SECRET_NAME.search(name):
            if eq:
                kept.append(f"{name}={HIDDEN}")
            else:
                kept.append(arg)
                hide_next = True
            continue
        kept.append(mask_url_credentials(arg))
    return tuple(kept)


def journal_path(git: GitService, version: ReleaseVersion, name: str = "journal") -> Path:
    """`<git dir>/release/<name>-<version>.json` (as `git rev-parse --git-path` places it)."""
    relative = git.run(["rev-parse", "--git-path", f"release/{name}-{version}.json"]).strip()
    return (git.root / relative).resolve()


def read_entries(path: Path) -> list[Entry]:
    """The journal's entries, oldest first; a missing journal is an empty one. One that does
    not parse is an error, never silently replaced: it is the record of a release."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, str(getattr(exc, "strerror", None) or exc)) from None
    try:
        data = json.loads(text)
        return [Entry(item["step"], tuple(item["args"]), item["started"], item["ended"],
                      int(item["exit"])) for item in data.get("entries", [])]
    except ValueError as exc:
        raise _unreadable(path, str(exc)) from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise _unreadable(path, f"an entry lacks {exc}" if isinstance(exc, KeyError)
                          else "it is not a list of entries") from None


def _unreadable(path: Path, why: str) -> ReleaseError:
    return ReleaseError(f"the release journal {path} does not parse ({why})",
                        hint=f"repair it, or move it aside (mv {path} {path}.bad) to start a new "
                             "one; nothing was changed")


def check_readable(git: GitService, version: str) -> None:
    """Refuse, before a journaled step changes anything, when its journal would not take the
    run's entry."""
    try:
        parsed = ReleaseVersion.parse(version)
    except ReleaseError:
        return
    read_entries(journal_path(git, parsed))


def write_json(path: Path, data: object) -> None:
    """Replace `path` in one step (see `replace_file`)."""
    replace_file(path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def append(path: Path, entry: Entry) -> None:
    entries = [*read_entries(path), entry]
    write_json(path, {"entries": [asdict(item) | {"args": list(item.args)} for item in entries]})


def record(git: GitService | None, step: str, version: str, args: Sequence[str], started: str,
           code: int) -> None:
    """Append one run to `version`'s journal; nothing when there is no repository or version."""
    if git is None:
        return
    try:
        parsed = ReleaseVersion.parse(version)
    except ReleaseError:
        return
    append(journal_path(git, parsed), Entry(step, scrub(args), started, utc_now(), code))


def last_success(entries: Sequence[Entry], step: str) -> Entry | None:
    """The most recent run of `step` that exited 0."""
    return next((entry for entry in reversed(entries) if entry.step == step and entry.ok), None)
