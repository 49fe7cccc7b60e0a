"""The failures seen by a careful user, each now all or nothing, or exactly as the message says:
a refused push, a failing update.py, a second run at the same time, SIGTERM, a run killed
outright, a record that does not parse."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from helpers import Cli, git, snapshot

from release.fakes.example import ExampleProject, commit_release_files
from release.fakes.numpy_doc import build_html, build_numpy_doc

CHANGELOG = "doc/changelog/1.2.0-changelog.rst"


def _states(project: ExampleProject) -> tuple[str, str, str]:
    return snapshot(project.repo), snapshot(project.upstream), snapshot(project.fork)


def _refuse_pushes(bare: Path) -> None:
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected: pushes are refused' >&2\nexit 1\n")
    hook.chmod(0o755)


def test_a_refused_push_leaves_no_local_tag(example: ExampleProject, cli: Cli) -> None:
    commit_release_files(example, "1.2.0", {CHANGELOG: "\nContributors\n============\n"})
    _refuse_pushes(example.upstream)
    before = _states(example)
    result = cli("tag", "1.2.0", "--repo", str(example.repo), "--push")
    assert result.code == 1
    lines = result.err.strip().splitlines()[-2:]
    assert lines[0].startswith("error: git push upstream failed") and lines[1].startswith("hint: ")
    assert lines[0].endswith("; nothing was changed (the 1 action done was put back)"), result.err
    assert _states(example) == before  # no v1.2.0 here to be pushed later unsigned or stale
    assert git(example.repo, "tag", "-l", "v1.2.0") == ""


def test_a_failing_update_py_leaves_the_doc_repository_as_it_was(tmp_path: Path, cli: Cli) -> None:
    doc = build_numpy_doc(tmp_path / "site")
    script = doc.repo / "update.py"
    script.write_text("import sys\nsys.exit('update.py: cannot read the version table')\n")
    git(doc.repo, "commit", "-qam", "a broken update.py")
    built = build_html(tmp_path / "html", version="2.5.0")
    project = tmp_path / "numpy"
    project.mkdir()
    before = snapshot(doc.repo)
    result = cli("docs", "2.5.0", "--repo", str(project), "--doc-repo", str(doc.repo), "--built",
                 str(built))
    assert result.code == 1
    assert "update.py failed" in result.err and "nothing was changed (the 4 actions" in result.err
    assert snapshot(doc.repo) == before  # not half merged: no 2.5/, index and switcher as they were
    assert git(doc.repo, "status", "--porcelain", "--ignored") == ""


def _hold_lock(repo: Path) -> subprocess.Popen[str]:
    """Another process in the middle of `prepare` on `repo`: it holds the repository's lock."""
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from release.repo.lock import repository_lock
        with repository_lock(Path({str(repo / '.git')!r}), "python -m release prepare 1.2.0"):
            print("held", flush=True)
            time.sleep(60)
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_two_runs_at_once_the_second_says_who_holds_the_repository(example: ExampleProject,
                                                                    cli: Cli) -> None:
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    holder = _hold_lock(example.repo)
    try:
        before = _states(example)
        result = cli("prepare", "1.2.0", "--offline", "--repo", str(example.repo))
        assert result.code == 1
        assert result.err.startswith("error: another run is changing this repository: "
                                     f"`python -m release prepare 1.2.0` (pid {holder.pid}, since ")
        assert "this one changed nothing" in result.err
        assert "hint: wait for it to end" in result.err
        assert _states(example) == before
    finally:
        holder.kill()
        holder.wait()
    result = cli("prepare", "1.2.0", "--offline", "--repo", str(example.repo))
    assert result.code == 0, result.err  # the lock went with its process


def test_sigterm_puts_back_and_says_how_to_resume(example: ExampleProject, cli: Cli) -> None:
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    before = _states(example)
    env = {**os.environ, "RELEASE_FAULT": "term:3"}
    result = cli("prepare", "1.2.0", "--offline", "--repo", str(example.repo), env=env)
    assert result.code == 130
    assert ("error: interrupted (SIGTERM); nothing was changed (the 2 actions done were put back)"
            in result.err)
    assert (f"hint: rerun `python -m release prepare 1.2.0 --offline --repo {example.repo}`"
            in result.err)
    assert _states(example) == before


def test_a_killed_run_is_put_back_by_the_next(example: ExampleProject, cli: Cli) -> None:
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    head = git(example.repo, "rev-parse", "HEAD")
    env = {**os.environ, "RELEASE_FAULT": "kill:5"}
    argv = ["prepare", "1.2.0", "--offline", "--repo", str(example.repo)]
    killed = subprocess.run([sys.executable, "-m", "release", *argv], env=env, capture_output=True,
                            text=True, check=False)
    assert killed.returncode == -9
    half = git(example.repo, "status", "--porcelain")
    assert half != ""  # half done, as a kill leaves it
    status = cli("status", "1.2.0", "--repo", str(example.repo), "--offline")
    assert "Traceback" not in status.err
    assert git(example.repo, "status", "--porcelain") == half  # status only looks
    dry = cli(*argv, "--dry-run")
    assert "was stopped part way and its changes are still here; the next real run puts them " \
           "back first" in dry.err
    assert git(example.repo, "status", "--porcelain") == half  # a dry run changes nothing
    result = cli(*argv)
    assert result.code == 0, result.err
    assert ("note: put back what an earlier run (`python -m release prepare 1.2.0 --offline "
            f"--repo {example.repo}`) that was stopped part way had changed (4 actions: 1. run git "
            "checkout --quiet -b prepare-1.2.0") in result.err
    assert git(example.repo, "rev-parse", "HEAD^") == head


def test_a_record_that_does_not_parse_stops_the_next_run(example: ExampleProject, cli: Cli) -> None:
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    record = example.repo / ".git" / "release" / "undo" / "record.json"
    record.parent.mkdir(parents=True)
    record.write_text('{"command": "python -m release prepare')
    before = snapshot(example.repo)
    result = cli("prepare", "1.2.0", "--offline", "--repo", str(example.repo))
    assert result.code == 1
    assert f"error: {record} does not parse" in result.err
    assert "put back by hand what needs it, then remove" in result.err
    assert snapshot(example.repo) == before


def test_killed_while_a_push_was_on_its_way_nothing_is_put_back(example: ExampleProject,
                                                                 cli: Cli) -> None:
    """The push may have arrived (here it does: git finishes it after its parent died), so the
    next run keeps the commit the remote may hold, says so, and finishes the work."""
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    go = example.repo.parent / "let-the-push-through"
    hook = example.upstream / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\nwhile [ ! -e '{go}' ]; do sleep 0.1; done\n")
    hook.chmod(0o755)
    commit_release_files(example, "1.2.0", {CHANGELOG: "\nContributors\n============\n"})
    argv = ["tag", "1.2.0", "--push", "--repo", str(example.repo)]
    running = subprocess.Popen([sys.executable, "-m", "release", *argv])
    record = example.repo / ".git" / "release" / "undo" / "record.json"
    for _ in range(600):  # until the push is noted as on its way (the hook holds it there)
        if record.is_file() and "it may have happened" in record.read_text():
            break
        time.sleep(0.1)
    running.kill()
    running.wait()
    go.touch()
    for _ in range(600):  # git's push, orphaned, still delivers the tag
        if git(example.upstream, "tag", "-l", "v1.2.0"):
            break
        time.sleep(0.1)
    result = cli(*argv)
    assert result.code == 0, result.err
    assert "note: an earlier run (`python -m release tag 1.2.0 --push --repo" in result.err
    assert "2. run git push upstream refs/tags/v1.2.0:refs/tags/v1.2.0" in result.err
    assert "(stopped while it ran; it may have happened)" in result.err
    assert git(example.upstream, "rev-parse", "refs/tags/v1.2.0") == git(
        example.repo, "rev-parse", "refs/tags/v1.2.0")  # the tag the remote got is the one kept
