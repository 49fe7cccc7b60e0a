"""A rehearsal that can be killed and run again: its workdir, its journal, and what a rerun skips.

The workdir carries a marker file (`.release-rehearsal.json`: the versions and whether the
rehearsal is being built, ready or finished); only a directory with that marker is ever wiped.
The rehearsal journal (`rehearsal-X.Y.Z.json` in the scratch repository's git dir, one per
version) records each stage as it ends: number, title, exit code, and the branch it left checked
out. On a rerun, a stage the journal says ended well is skipped when its result re-checks as
present on the stand-ins (the `status` step's look for tag, index files, GitHub release, docs,
branch reset, announcement and main's update; a small look of its own for the release PR, the
wheel builds and the new branch); a stage whose result is missing runs again. An advisory stage
that reported a finding is not run again either: its finding (kept in the journal) is reported
as it was, since run out of order it would describe a later state. Before the first stage that
runs, the branch the last skipped stage left is checked out again.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from release.checks.result import CheckResult, Status
from release.config import Config, load_config
from release.context import Context
from release.errors import ReleaseError, UsageError
from release.journal import write_json
from release.rehearsal.runner import Outcome, Stage, Tally
from release.services.git import GitService
from release.services.github_cache import default_cache_dir
from release.steps import declared, step
from release.version import ReleaseVersion

MARKER = ".release-rehearsal.json"
BUILDING, READY, FINISHED, WIPING = "building", "ready", "finished", "wiping"


def default_workdir(env: Mapping[str, str], label: str) -> Path:
    """`<user cache dir>/rehearsals/<label>`: the same place on every run, so a rerun finds it."""
    return default_cache_dir(env) / "rehearsals" / label


def _marker(workdir: Path) -> dict[str, object] | None:
    try:
        data = json.loads((workdir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def open_workdir(workdir: Path, versions: Sequence[str], *, fresh: bool,
                 at_point: Callable[[int], None] | None = None) -> str | None:
    """Make `workdir` ready for a rehearsal of `versions`: keep an interrupted one there to
    resume, else start over (a new or empty dir; or, wiping it, `fresh` or a rehearsal there that
    finished, was not set up completely, was being wiped or was of other versions; the line
    returned says which). A non-empty dir that is not a rehearsal's is refused and left alone."""
    if workdir.exists() and not workdir.is_dir():
        raise UsageError(f"{workdir} is not a directory", hint="pass a new or empty --workdir")
    marker = _marker(workdir) if workdir.is_dir() else None
    if marker is None and workdir.is_dir() and any(workdir.iterdir()):
        if not _looks_like_a_rehearsal(workdir):
            raise UsageError(f"{workdir} is not empty and holds no rehearsal ({MARKER} is missing)",
                             hint=f"pass an empty or new --workdir; if it is a rehearsal's "
                                  f"workdir after all, delete it (rm -r {workdir}) and rerun")
        marker = {"state": "unmarked"}
    if marker is None:
        workdir.mkdir(parents=True, exist_ok=True)
        mark(workdir, versions, BUILDING)
        return None
    why = "--fresh" if fresh else _cannot_resume(marker, versions)
    if why is None:
        return None
    wipe(workdir, versions, at_point)
    return f"starting over in {workdir} ({why})"


def wipe(workdir: Path, versions: Sequence[str],
         at_point: Callable[[int], None] | None = None) -> None:
    """Empty a rehearsal's workdir but for its marker, which says `wiping` first and `building`
    last, so a wipe killed at any point leaves a dir the next rehearsal recognises and wipes
    again. `at_point(k)` is called before each entry goes, halfway through each directory and
    at the end (fault injection: `wipe:K`)."""
    point = 0

    def reached() -> None:
        nonlocal point
        point += 1
        if at_point is not None:
            at_point(point)

    mark(workdir, versions, WIPING)
    for child in sorted(workdir.iterdir()):  # the dir itself stays: `hold` has it locked
        if child.name == MARKER:
            continue
        reached()
        if child.is_dir() and not child.is_symlink():
            files = sorted(path for path in child.rglob("*") if not path.is_dir())
            for path in files[:len(files) // 2]:
                path.unlink()
            reached()
            shutil.rmtree(child)
        else:
            child.unlink()
    reached()
    mark(workdir, versions, BUILDING)


# What a rehearsal makes in its workdir: a dir holding only these (and no marker: a wipe by an
# older toolkit that deleted the marker first) is a rehearsal's, to wipe rather than refuse.
_MADE = frozenset({"scratch", "index", "docsite", "web", "mail", "html", "dist", "cache",
                   "github-state.pickle", "release.toml", "hand-edits.patch", "rehearsal.log",
                   "rehearsal-report.md", "rehearsal-report.html", "rehearsal-verdict.json"})


def _looks_like_a_rehearsal(workdir: Path) -> bool:
    return all(child.name in _MADE or child.name.startswith(f".{MARKER}.")
               for child in workdir.iterdir())


@contextmanager
def hold(workdir: Path) -> Iterator[Path]:
    """Create `workdir` if needed and hold an exclusive lock on it while the rehearsal runs, so
    two rehearsals never share one; the system drops the lock when the process ends, even by
    SIGKILL, so a killed rehearsal never blocks its rerun."""
    if workdir.exists() and not workdir.is_dir():
        raise UsageError(f"{workdir} is not a directory", hint="pass a new or empty --workdir")
    workdir.mkdir(parents=True, exist_ok=True)
    handle = os.open(workdir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"another rehearsal is running in {workdir}",
                             hint="wait for it to end, or pass another --workdir") from None
        yield workdir
    finally:
        os.close(handle)


def _cannot_resume(marker: dict[str, object], versions: Sequence[str]) -> str | None:
    """Why the rehearsal a marker describes is not one to resume; None when it is."""
    if marker.get("state") in (WIPING, "unmarked"):
        return "it was being emptied when an earlier rehearsal stopped"
    held = marker.get("versions")
    if held != list(versions):
        if not isinstance(held, list):
            return "its marker names no versions"
        return f"the rehearsal there was of {', '.join(map(str, held))}"
    if marker.get("state") == FINISHED:
        return "the rehearsal there finished"
    if marker.get("state") != READY:
        return "the rehearsal there was not set up completely"
    return None


def mark(workdir: Path, versions: Sequence[str], state: str) -> None:
    write_json(workdir / MARKER, {"versions": list(versions), "state": state})


def marked(workdir: Path) -> str | None:
    """The state in the workdir's marker (building, ready, finished), None without one."""
    marker = _marker(workdir)
    return None if marker is None else str(marker.get("state"))


@dataclass(frozen=True)
class Entry:
    number: int
    title: str
    code: int
    ok: bool
    branch: str
    output: str = ""  # kept for an advisory stage's finding only
    seconds: float = 0.0  # what the stage cost, for the report's forecast of a resumed run
    # REST requests, GraphQL requests, points, REST requests answered 304 (free), artifact zips
    github: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    findings: tuple[CheckResult, ...] = ()

    @classmethod
    def load(cls, row: Mapping[str, Any]) -> Entry:
        kept = [int(n) for n in row.get("github", ())]  # older journals have fewer figures
        rest, graphql, points, free, downloads = (kept + [0] * 5)[:5]
        return cls(int(row["number"]), str(row["title"]), int(row["code"]), bool(row["ok"]),
                   str(row["branch"]), str(row.get("output", "")), float(row.get("seconds", 0.0)),
                   (rest, graphql, points, free, downloads),
                   tuple(CheckResult(**{**item, "status": Status(item["status"])})
                         for item in row.get("findings", ())))

    def dump(self) -> dict[str, Any]:
        return {**vars(self), "github": list(self.github),
                "findings": [{**vars(result), "status": result.status.value}
                             for result in self.findings]}

    def outcome(self, stage: Stage, code: int, output: str) -> Outcome:
        """The stage as the earlier run ended it, with what it cost and found then."""
        return Outcome(stage, code, output, self.seconds, Tally(*self.github), resumed=True,
                       findings=self.findings)


@dataclass(frozen=True)
class Places:
    """What the re-checks look at: the scratch repo and its config, the stand-ins' addresses."""

    repo: Path
    config: Config
    config_file: Path
    env: Mapping[str, str]
    index_url: str
    doc_repo: Path
    website_repo: Path
    mails: Callable[[], int]
    git: GitService  # the scratch repo's, as the Context hands it out


@dataclass
class Resume:
    """The rehearsal's `resume` callback and the observer that keeps its journal."""

    places: Places
    say: Callable[[str], None]
    entries: dict[int, Entry] = field(default_factory=dict)
    _skipped: Entry | None = None

    def __post_init__(self) -> None:
        self.git = self.places.git
        for path in sorted(self._journal_dir().glob("rehearsal-*.json")):
            try:
                rows = json.loads(path.read_text(encoding="utf-8"))["stages"]
                for row in rows:
                    entry = Entry.load(row)
                    self.entries[entry.number] = entry
            except (OSError, ValueError, KeyError, TypeError):
                continue

    def done(self, plan: Sequence[Stage]) -> int:
        """How many of the plan's stages the journal says are done."""
        return sum(1 for number, stage in enumerate(plan, 1) if self._done(number, stage))

    def _done(self, number: int, stage: Stage) -> Entry | None:
        """The journal's entry when the stage ended well, or (an advisory stage) with a finding:
        run again out of order, a finding would describe a later state than the walkthrough's."""
        entry = self.entries.get(number)
        if entry is None or entry.title != stage.title:
            return None
        return entry if entry.ok or stage.advisory else None

    # -- the resume callback ------------------------------------------------------------------

    def __call__(self, number: int, stage: Stage) -> Outcome | None:
        entry = self._done(number, stage)
        if entry is not None and not entry.ok:
            self._skipped = entry
            return entry.outcome(stage, entry.code, entry.output)
        if entry is not None:
            missing = self._missing(stage)
            if missing is None:
                self._skipped = entry
                return entry.outcome(stage, stage.expect, "done in an earlier run")
            self.say(f"the rehearsal journal says stage {number} ended well, but {missing}; "
                     "running it again")
        self._restore_branch()
        return None

    def _restore_branch(self) -> None:
        """Check out what the last skipped stage left checked out, once, before a stage runs."""
        entry, self._skipped = self._skipped, None
        if entry is None or not entry.branch:
            return
        current = self.git.current_branch() or self.git.head()
        if current != entry.branch:
            self.git.run(["checkout", "--quiet", entry.branch])

    # -- the journal, as an observer ----------------------------------------------------------

    def started(self, number: int, total: int, stage: Stage) -> None:
        pass

    def finished(self, number: int, total: int, outcome: Outcome) -> None:
        if outcome.resumed:
            return
        branch = self.git.current_branch() or self.git.head()
        github = outcome.github
        entry = Entry(number, outcome.stage.title, outcome.code, outcome.ok, branch,
                      "" if outcome.ok else outcome.output, outcome.seconds,
                      github.as_tuple(), outcome.findings)
        self.entries[number] = entry
        version = _title_version(outcome.stage.title)
        rows = [item.dump() for _, item in sorted(self.entries.items())
                if _title_version(item.title) == version]
        write_json(self._journal_dir() / f"rehearsal-{version}.json", {"stages": rows})

    def _journal_dir(self) -> Path:
        """`<scratch repo's git dir>/release`, beside the release journal."""
        relative = self.git.run(["rev-parse", "--git-path", "release"]).strip()
        return (self.git.root / relative).resolve()

    # -- re-checks: the `Rechecks` a step's descriptor is given -------------------------------

    @property
    def config(self) -> Config:
        return self.places.config

    def mails(self) -> int:
        return self.places.mails()

    def _missing(self, stage: Stage) -> str | None:
        """None when the stage's result is present (or it has nothing to re-check), else what
        is missing."""
        argv = stage.argv
        if not argv or stage.expect != 0 or "--dry-run" in argv or argv[0] not in declared():
            return None
        check = step(argv[0]).resume
        if check is None:
            return None
        try:
            return check(self, argv)
        except ReleaseError as exc:
            return f"its result could not be looked at ({exc.message})"

    def status(self, name: str, version: str) -> str | None:
        """`name`'s status look on the stand-ins: None when done (or skipped), else its detail."""
        from release.status import State
        from release.status.on_github import OnGitHub

        look = step(name).status
        assert look is not None, f"{name} has no status look"
        p = self.places
        loaded = load_config(p.repo, p.config_file)
        options = {"version": version, "index_url": p.index_url, "doc_repo": p.doc_repo,
                   "website_repo": p.website_repo}
        ctx = Context(repo=p.repo.resolve(), config=loaded.config, config_source=loaded.source,
                      options=options, env=p.env, out=io.StringIO(), err=io.StringIO())
        parsed = ReleaseVersion.parse(version)
        found = look.find(ctx, parsed, OnGitHub(ctx, parsed))
        if found.state in (State.DONE, State.SKIPPED):
            return None
        return f"status: {found.detail}"


def _title_version(title: str) -> str:
    """Stages are titled `[VERSION] what`; the version names the journal file."""
    return title[1:title.index("]")] if title.startswith("[") else "all"
