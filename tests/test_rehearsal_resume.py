"""The rehearsal's workdir: when a rerun resumes, when it starts over, what it never wipes; and
the fault injection's kill points."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import snapshot

from release.errors import UsageError
from release.rehearsal.faults import ENV, Faults
from release.rehearsal.resume import (
    BUILDING,
    FINISHED,
    MARKER,
    READY,
    WIPING,
    default_workdir,
    hold,
    mark,
    marked,
    open_workdir,
    wipe,
)

# A whole rehearsal (or several): the quick loop leaves these out (-m "not slow").
pytestmark = pytest.mark.slow

VERSIONS = ["1.2.0rc1", "1.2.0"]


def left_over(workdir: Path, state: str, versions: list[str] = VERSIONS) -> Path:
    """A workdir as an earlier rehearsal left it: its marker and a file of its own."""
    workdir.mkdir(parents=True, exist_ok=True)
    mark(workdir, versions, state)
    (workdir / "github-state.pickle").write_bytes(b"state")
    return workdir


def test_a_new_or_empty_dir_starts_a_rehearsal(tmp_path: Path) -> None:
    assert open_workdir(tmp_path / "new", VERSIONS, fresh=False) is None
    assert marked(tmp_path / "new") == BUILDING
    (tmp_path / "empty").mkdir()
    assert open_workdir(tmp_path / "empty", VERSIONS, fresh=False) is None
    assert json.loads((tmp_path / "empty" / MARKER).read_text()) == {
        "state": BUILDING, "versions": VERSIONS}


def test_an_interrupted_rehearsal_resumes(tmp_path: Path) -> None:
    workdir = left_over(tmp_path / "w", READY)
    assert open_workdir(workdir, VERSIONS, fresh=False) is None
    assert (workdir / "github-state.pickle").read_bytes() == b"state"
    assert marked(workdir) == READY


@pytest.mark.parametrize(("state", "versions", "fresh", "why"), [
    (FINISHED, VERSIONS, False, "the rehearsal there finished"),
    (BUILDING, VERSIONS, False, "the rehearsal there was not set up completely"),
    (READY, ["1.1.1"], False, "the rehearsal there was of 1.1.1"),
    (READY, VERSIONS, True, "--fresh"),
])
def test_a_rehearsal_dir_starts_over(tmp_path: Path, state: str, versions: list[str],
                                     fresh: bool, why: str) -> None:
    workdir = left_over(tmp_path / "w", state, versions)
    assert open_workdir(workdir, VERSIONS, fresh=fresh) == f"starting over in {workdir} ({why})"
    assert [p.name for p in workdir.iterdir()] == [MARKER]
    assert marked(workdir) == BUILDING


def test_a_wipe_keeps_the_marker_to_the_end(tmp_path: Path) -> None:
    """Every point of a wipe leaves the marker, saying `wiping` until the end: a wipe killed
    anywhere leaves a dir the next rehearsal wipes again instead of refusing."""
    workdir = left_over(tmp_path / "w", FINISHED)
    (workdir / "scratch" / "tinynum").mkdir(parents=True)
    for name in ("a", "b", "c", "d"):
        (workdir / "scratch" / "tinynum" / name).write_text(name)
    seen: list[tuple[int, str | None, list[str]]] = []

    def look(point: int) -> None:
        seen.append((point, marked(workdir), sorted(p.name for p in workdir.iterdir())))

    wipe(workdir, VERSIONS, look)
    assert [point for point, _, _ in seen] == [1, 2, 3, 4]  # the pickle, scratch, its half, the end
    assert {state for _, state, _ in seen} == {WIPING}
    assert all(MARKER in names for _, _, names in seen)
    assert seen[2][2] == [MARKER, "scratch"]  # halfway through scratch/
    assert len(list((workdir / "scratch").rglob("*"))) == 0 or not (workdir / "scratch").exists()
    assert marked(workdir) == BUILDING and [p.name for p in workdir.iterdir()] == [MARKER]
    mark(workdir, VERSIONS, WIPING)  # as a killed wipe leaves it
    (workdir / "index").mkdir()
    assert open_workdir(workdir, VERSIONS, fresh=False) == (
        f"starting over in {workdir} (it was being emptied when an earlier rehearsal stopped)")
    assert [p.name for p in workdir.iterdir()] == [MARKER]


def test_a_rehearsal_dir_that_lost_its_marker_is_wiped_not_refused(tmp_path: Path) -> None:
    """A wipe by an older toolkit deleted the marker first: what is left is only what a
    rehearsal makes, so it is recognised and wiped."""
    workdir = tmp_path / "w"
    (workdir / "scratch" / "upstream.git").mkdir(parents=True)
    (workdir / "github-state.pickle").write_bytes(b"state")
    assert open_workdir(workdir, VERSIONS, fresh=False) == (
        f"starting over in {workdir} (it was being emptied when an earlier rehearsal stopped)")
    assert [p.name for p in workdir.iterdir()] == [MARKER]
    assert marked(workdir) == BUILDING


@pytest.mark.parametrize("fresh", [False, True])
def test_a_dir_without_the_marker_is_never_wiped(tmp_path: Path, fresh: bool) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    before = snapshot(tmp_path)
    with pytest.raises(UsageError, match="is not empty") as refused:
        open_workdir(tmp_path, VERSIONS, fresh=fresh)
    assert str(refused.value.hint).endswith(f"delete it (rm -r {tmp_path}) and rerun")
    assert snapshot(tmp_path) == before
    (tmp_path / "notes.txt").unlink()
    (tmp_path / MARKER).write_text("not json")  # a marker that is not ours does not count
    with pytest.raises(UsageError, match="is not empty"):
        open_workdir(tmp_path, VERSIONS, fresh=fresh)
    assert (tmp_path / MARKER).read_text() == "not json"


def test_the_default_workdir_is_in_the_user_cache_dir(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    assert default_workdir(env, "tinynum-1.2.0rc1-1.2.0") == (
        tmp_path / "numpy-release-toolkit" / "rehearsals" / "tinynum-1.2.0rc1-1.2.0")


def test_kill_points() -> None:
    assert Faults.from_env({}) == Faults()
    assert Faults.from_env({ENV: "before:17"}) == Faults(before=17)
    assert Faults.from_env({ENV: "asset:3, upload:31"}) == Faults(asset=3, upload=31)
    assert Faults().at_asset() is None and Faults(upload=2).at_upload() is not None
    assert Faults.from_env({ENV: "wipe:4"}) == Faults(wipe=4) and Faults(wipe=4).at_wipe() is not None
    for bad in ("before", "before:0", "after:3", "asset:x", "upload:-1"):
        with pytest.raises(UsageError, match="is not a kill point"):
            Faults.from_env({ENV: bad})


def test_one_rehearsal_at_a_time_in_a_workdir(tmp_path: Path) -> None:
    workdir = tmp_path / "w"
    with hold(workdir):
        assert workdir.is_dir()
        with pytest.raises(UsageError, match="another rehearsal is running in"), hold(workdir):
            pass
    with hold(workdir):  # released at the end (and by the system when a process dies)
        pass
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="is not a directory"), hold(tmp_path / "file"):
        pass
