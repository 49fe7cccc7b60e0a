"""A rehearsal killed (SIGKILL) at every walkthrough step boundary, in the middle of a GitHub
asset upload and in the middle of a PyPI upload, rerun after each kill, ends in the same state
as one that was never interrupted."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import git

from release.fakes.github_state import Release, World
from release.fakes.smtp import load_mail
from release.rehearsal.resume import MARKER

# A whole rehearsal (or several): the quick loop leaves these out (-m "not slow").
pytestmark = pytest.mark.slow

TOOLKIT = Path(__file__).resolve().parents[1]
RESUMING = re.compile(r"resuming the rehearsal in (\S+): (\d+) of (\d+) stages done")
STAGE = re.compile(r"^== \[(\d+)/(\d+)\] (.*)$")
PINNED = "2026-01-01T00:00:00+00:00"
SECRETS = re.compile(rb"rehearsal-[0-9a-f]{16}|rehearsal-password")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def rehearse(workdir: Path, cache: Path, *extra: str, kill: str = "", orphan: bool = False) -> Run:
    """`python -m release rehearse` in its own session; its process group is killed afterwards,
    so a pypiserver left behind by a SIGKILL does not outlive the run (unless `orphan`)."""
    env = {**os.environ, "PYTHONPATH": str(TOOLKIT), "XDG_CACHE_HOME": str(cache),
           "GIT_AUTHOR_DATE": PINNED, "GIT_COMMITTER_DATE": PINNED}  # the same commit ids
    env.pop("RELEASE_REHEARSAL_KILL", None)
    if kill:
        env["RELEASE_REHEARSAL_KILL"] = kill
    where = ["--workdir", str(workdir)] if workdir.name else []
    process = subprocess.Popen([sys.executable, "-m", "release", "rehearse", *where, *extra],
                               env=env, cwd=TOOLKIT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=300)
    finally:
        if not orphan:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    return Run(process.returncode, out.decode(), err.decode())


def boundaries(log: str) -> tuple[list[int], dict[str, int]]:
    """Stage numbers where a new walkthrough step starts (the step named by the command, or the
    action's title), and the number of each stage by title."""
    starts, numbers, previous = [], {}, None
    lines = log.splitlines()
    for index, line in enumerate(lines):
        found = STAGE.match(line)
        if not found:
            continue
        number, title = int(found[1]), found[3]
        numbers[title] = number
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        step = following.split()[4] if following.startswith("$ python -m release") else title
        if step != previous:
            starts.append(number)
        previous = step
    return starts, numbers


def refs(bare: Path) -> list[str]:
    """Every ref by name and object id (with the dates pinned, equal content is an equal id),
    with its tree and subject to show what differs."""
    out = git(bare, "for-each-ref", "--format=%(refname) %(objectname) %(objecttype) %(tree) "
                                    "%(*tree) %(subject) | %(*subject)")
    return out.splitlines()


def load_world(workdir: Path) -> World:
    with (workdir / "github-state.pickle").open("rb") as stream:
        state = pickle.load(stream)
    assert isinstance(state, World)
    return state


def releases(workdir: Path) -> list[Release]:
    return [r for repo in load_world(workdir).repos.values() for r in repo.releases.values()]


def world(workdir: Path) -> dict[str, object]:
    state = load_world(workdir)
    found: dict[str, object] = {}
    for name, repo in sorted(state.repos.items()):
        found[f"{name} releases"] = sorted(
            (r.tag_name, r.name, r.draft, r.prerelease, r.body,
             sorted((a.name, len(a.data), hashlib.sha256(a.data).hexdigest())
                    for a in r.assets.values()))
            for r in repo.releases.values())
        found[f"{name} pulls"] = sorted((p.title, p.head, p.base, p.state, p.body)
                                        for p in repo.pulls.values())
        found[f"{name} issues"] = sorted((i.title, i.state, i.body) for i in repo.issues.values())
        found[f"{name} refs"] = sorted(ref for ref in repo.refs if not ref.startswith("heads/"))
    return found


def index(workdir: Path) -> list[tuple[str, str]]:
    packages = workdir / "index" / "packages"
    return sorted((p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in packages.iterdir())


def mails(workdir: Path) -> list[tuple[str, tuple[str, ...]]]:
    return [(str(m.message["Subject"]), m.rcpt_tos) for m in load_mail(workdir / "mail")]


def final_state(workdir: Path) -> dict[str, object]:
    scratch = workdir / "scratch"
    return {
        "upstream": refs(scratch / "upstream.git"),
        "fork": refs(scratch / "fork.git"),
        "doc": refs(workdir / "docsite" / "doc.git"),
        "website fork": refs(workdir / "web" / "numpy.org-fork.git"),
        "github": world(workdir),
        "index": index(workdir),
        "mail": mails(workdir),
    }


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    root = tmp_path_factory.mktemp("uninterrupted")
    run = rehearse(root / "work", root / "cache")
    assert run.code == 0, run.err[-3000:]
    return root / "work", run


@pytest.mark.slow(rehearsals=8)  # three dozen runs, each resuming and going one step further
def test_killed_at_every_step_and_mid_upload_ends_like_an_uninterrupted_run(
        uninterrupted: tuple[Path, Run], tmp_path: Path) -> None:
    baseline, first = uninterrupted
    starts, numbers = boundaries(first.err)
    total = max(numbers.values())
    assert len(starts) > 30 and starts[0] == 1
    github_release = numbers["[1.2.0rc1] GitHub release: draft, assets, verify, publish"]
    upload = numbers["[1.2.0] upload wheels, then the sdist"]
    chain: list[str] = []
    for number in sorted({*starts[1:], github_release, upload}):
        chain.append(f"before:{number}")
        if number == github_release:
            chain.append("asset:3")  # the third asset, after the two before it were stored
        if number == upload:
            chain.append("upload:31")

    workdir, cache = tmp_path / "work", tmp_path / "cache"
    done = 0
    for attempt, kill in enumerate(chain):
        run = rehearse(workdir, cache, kill=kill)
        assert run.code == -signal.SIGKILL, (kill, run.err[-2000:])
        resumed = RESUMING.search(run.err)
        if attempt == 0:
            assert resumed is None and "building the example project" in run.err
        else:
            assert resumed is not None, (kill, run.err[:2000])
            assert (Path(resumed[1]), int(resumed[3])) == (workdir, total)
            assert int(resumed[2]) >= done
            done = int(resumed[2])
        if kill == "asset:3":  # killed with the third asset in flight: two stored, on a draft
            [draft] = [r for r in releases(workdir) if r.tag_name == "v1.2.0rc1"]
            assert draft.draft and len(draft.assets) == 2
        if kill == "upload:31":  # killed with the 31st file in flight: 30 on the index
            assert len([name for name, _ in index(workdir) if "-1.2.0-" in name]) == 30
    last = rehearse(workdir, cache)
    assert last.code == 0, last.err[-3000:]
    assert RESUMING.search(last.err) is not None
    assert "FAIL" not in last.out

    assert final_state(workdir) == final_state(baseline)
    for path in workdir.rglob("*"):
        if path.is_file():
            assert not SECRETS.search(path.read_bytes()), path


def test_bad_kill_point_is_a_usage_error(tmp_path: Path) -> None:
    run = rehearse(tmp_path / "work", tmp_path / "cache", kill="during:3")
    assert run.code == 2
    lines = run.err.strip().splitlines()
    assert lines[0].startswith("error: RELEASE_REHEARSAL_KILL='during:3'") and len(lines) == 2
    assert lines[1].startswith("hint: ")
    assert not (tmp_path / "work").exists()


def test_a_finished_workdir_starts_over_and_fresh_always_does(uninterrupted: tuple[Path, Run],
                                                              tmp_path: Path) -> None:
    baseline, _ = uninterrupted
    again = rehearse(baseline, tmp_path / "cache", kill="before:2")  # finished: start over
    assert again.code == -signal.SIGKILL
    assert RESUMING.search(again.err) is None
    assert "building the example project" in again.err
    assert f"starting over in {baseline} (the rehearsal there finished)" in again.err
    resumed = rehearse(baseline, tmp_path / "cache", kill="before:3")  # interrupted: resume
    assert RESUMING.search(resumed.err) is not None
    fresh = rehearse(baseline, tmp_path / "cache", "--fresh", kill="before:2")
    assert RESUMING.search(fresh.err) is None and "building the example project" in fresh.err
    assert f"starting over in {baseline} (--fresh)" in fresh.err


def test_the_default_workdir_is_under_the_user_cache_dir(tmp_path: Path) -> None:
    run = rehearse(Path(), tmp_path / "cache", kill="before:2")
    assert run.code == -signal.SIGKILL
    workdir = tmp_path / "cache" / "numpy-release-toolkit" / "rehearsals" / "tinynum-1.2.0rc1-1.2.0"
    assert (workdir / ".release-rehearsal.json").is_file()
    assert (workdir / "scratch" / "tinynum" / ".git" / "release" / "rehearsal-1.2.0rc1.json").is_file()
    again = rehearse(Path(), tmp_path / "cache", kill="before:3")
    resumed = RESUMING.search(again.err)
    assert resumed is not None and (Path(resumed[1]), resumed[2]) == (workdir, "1")


def test_a_checkout_rehearsal_resumes_with_its_findings(numpy_bundle_clone: Path,
                                                        tmp_path: Path) -> None:
    """NumPy's history, killed after the findings and the tag: the rerun reports the same two
    findings (kept in the journal, not found again in a later state) and finishes."""
    argv = ("2.4.7", "--repo", str(numpy_bundle_clone))
    killed = rehearse(tmp_path / "work", tmp_path / "cache", *argv, kill="before:20")
    assert killed.code == -signal.SIGKILL, killed.err[-2000:]
    rerun = rehearse(tmp_path / "work", tmp_path / "cache", *argv)
    assert rerun.code == 0, rerun.err[-3000:]
    resumed = RESUMING.search(rerun.err)
    assert resumed is not None and int(resumed[2]) == 19
    warned = [line.split("[2.4.7] ")[1].split(":")[0] for line in rerun.out.splitlines()
              if line.startswith("amber ")]
    assert warned == ["contributor identities (.mailmap), with the issue text",
                      "every preflight check"]
    assert "already exists" not in rerun.out  # the tag made later is not a preflight finding


def test_a_stage_done_in_the_journal_whose_result_is_gone_runs_again(tmp_path: Path) -> None:
    workdir, cache = tmp_path / "work", tmp_path / "cache"
    assert rehearse(workdir, cache, kill="before:16").code == -signal.SIGKILL
    upstream = workdir / "scratch" / "upstream.git"
    git(upstream, "tag", "-d", "v1.2.0rc1")  # someone removed the pushed tag meanwhile
    rerun = rehearse(workdir, cache, kill="before:17")
    assert rerun.code == -signal.SIGKILL
    assert re.search(r"the rehearsal journal says stage 14 ended well, but status: v1\.2\.0rc1 "
                     r"is local only, not on upstream; running it again", rerun.err), rerun.err
    assert git(upstream, "cat-file", "-t", "v1.2.0rc1").strip() == "tag"


def serving(pid: int) -> bool:
    """The process is alive and not a zombie (a zombie's cmdline is empty)."""
    try:
        return bool(Path(f"/proc/{pid}/cmdline").read_bytes())
    except OSError:
        return False


def test_the_index_a_killed_rehearsal_left_is_stopped_by_the_next(tmp_path: Path) -> None:
    workdir, cache = tmp_path / "work", tmp_path / "cache"
    killed = rehearse(workdir, cache, kill="before:2", orphan=True)
    assert killed.code == -signal.SIGKILL
    left = int((workdir / "index" / "server.pid").read_text())
    try:
        assert serving(left)  # SIGKILL gave the rehearsal no chance to stop its pypiserver
        rerun = rehearse(workdir, cache, kill="before:3")
        assert rerun.code == -signal.SIGKILL
        for _ in range(100):
            if not serving(left):
                break
            time.sleep(0.05)
        assert not serving(left)
        assert int((workdir / "index" / "server.pid").read_text()) != left
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(left, signal.SIGKILL)


def wipe_points(workdir: Path) -> int:
    """How many points `resume.wipe` has in this workdir: one before each entry but the marker,
    one halfway through each directory, one at the end."""
    entries = [path for path in workdir.iterdir() if path.name != MARKER]
    return len(entries) + sum(1 for path in entries if path.is_dir()) + 1


@pytest.mark.slow(rehearsals=12)  # each half: a dozen whole rehearsals
@pytest.mark.parametrize("half", [0, 1], ids=["odd points", "even points"])
def test_a_fresh_wipe_killed_at_every_point_never_locks_the_workdir(tmp_path: Path, half: int) -> None:
    """`--fresh` on a finished rehearsal's workdir, SIGKILLed at every point of emptying it (the
    two halves together: every point; split so two workers share them); after each kill, the
    plain rerun recognises the half-emptied dir, starts over and is green."""
    workdir, cache = tmp_path / "work", tmp_path / "cache"
    assert rehearse(workdir, cache, "1.1.1").code == 0
    points = wipe_points(workdir)
    assert points > 15
    for point in range(1 + half, points + 1, 2):
        killed = rehearse(workdir, cache, "1.1.1", "--fresh", kill=f"wipe:{point}")
        assert killed.code == -signal.SIGKILL, (point, killed.err[-2000:])
        marker = json.loads((workdir / MARKER).read_text())
        assert marker["state"] == "wiping", point
        again = rehearse(workdir, cache, "1.1.1")
        assert again.code == 0, (point, again.err[-3000:])
        assert (f"starting over in {workdir} (it was being emptied when an earlier rehearsal "
                "stopped)") in again.err
        assert again.out.lstrip().startswith("verdict: GREEN (exit 0)"), (point, again.out)


def test_a_ctrl_c_says_how_to_resume_and_the_rerun_does(tmp_path: Path) -> None:
    """SIGINT to the rehearsal's process group (what Ctrl-C in a terminal sends) while the
    wheels are built: exit 130, the report and the output say where it stopped and how to go
    on; the same command again resumes there and is green."""
    workdir, cache = tmp_path / "work", tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(TOOLKIT), "XDG_CACHE_HOME": str(cache)}
    env.pop("RELEASE_REHEARSAL_KILL", None)
    process = subprocess.Popen([sys.executable, "-m", "release", "rehearse", "1.1.1", "--workdir",
                                str(workdir)], env=env, cwd=TOOLKIT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True, text=True)
    try:
        assert process.stderr is not None
        seen = ""
        while "test the wheel build" not in seen:
            line = process.stderr.readline()
            assert line, seen[-2000:]
            seen += line
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=300)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, (out, err[-2000:])
    stopped = re.search(r"^verdict: RED \(exit 130\): interrupted at stage (\d+) of (\d+)$", out,
                        re.MULTILINE)
    assert stopped is not None, out
    assert (f"to resume: run the same command again; it carries on at stage {stopped[1]} "
            f"({workdir} keeps what is done; --fresh starts over)") in out
    assert "FAILED" not in out
    assert json.loads((workdir / "rehearsal-verdict.json").read_text())["interrupted_at"] == int(stopped[1])
    rerun = rehearse(workdir, cache, "1.1.1")
    assert rerun.code == 0, rerun.err[-3000:]
    resumed = RESUMING.search(rerun.err)
    assert resumed is not None and int(resumed[2]) == int(stopped[1]) - 1
    assert rerun.out.lstrip().startswith("verdict: GREEN (exit 0)")
