from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import git, snapshot

from release.fakes.example import ExampleProject
from release.plan import ApplyExecutor, DeleteFile, DryRunExecutor, Plan, RunCommand, WriteFile
from release.services.git import GitService


def _plan(repo: Path) -> Plan:
    service = GitService(repo)
    plan = Plan("demo")
    plan.add(WriteFile(repo, "README.md", "# tinynum\n\nChanged.\n"))
    plan.add(WriteFile(repo, "NEW.txt", "new file\n"))
    plan.add(DeleteFile(repo, ".gitignore"))
    plan.add(RunCommand(("git", "add", "--all"), runner=lambda argv: service.run(argv[1:])))
    plan.add(RunCommand(("git", "commit", "-q", "-m", "it's \"quoted\""),
                        runner=lambda argv: service.run(argv[1:])))
    return plan


def test_dry_run_changes_nothing_and_shows_everything(example: ExampleProject) -> None:
    before = snapshot(example.repo)
    out = io.StringIO()
    DryRunExecutor(out).execute(_plan(example.repo))
    assert snapshot(example.repo) == before
    text = out.getvalue()
    assert "1. modify README.md" in text
    assert "-A tiny NumPy-shaped project.\n+Changed." in text
    assert "+++ b/NEW.txt" in text and "--- /dev/null" in text
    assert "3. delete .gitignore" in text
    assert "run git commit -q -m 'it'\"'\"'s \"quoted\"'" in text


def test_apply_does_what_the_dry_run_said(example: ExampleProject) -> None:
    ApplyExecutor(io.StringIO()).execute(_plan(example.repo))
    assert (example.repo / "README.md").read_text() == "# tinynum\n\nChanged.\n"
    assert not (example.repo / ".gitignore").exists()
    assert git(example.repo, "log", "-1", "--format=%s").strip() == "it's \"quoted\""
    assert git(example.repo, "status", "--porcelain") == ""


def test_unchanged_file_is_kept(example: ExampleProject) -> None:
    readme = (example.repo / "README.md").read_text()
    action = WriteFile(example.repo, "README.md", readme)
    assert action.is_noop()
    assert action.describe().startswith("keep README.md")


def test_checks_run_after_apply_and_fail_loudly(tmp_path: Path) -> None:
    calls: list[str] = []
    plan = Plan("checks").add(WriteFile(tmp_path, "a.txt", "a\n"))
    plan.verify("a.txt exists", lambda: calls.append("checked"))
    progress = io.StringIO()
    ApplyExecutor(progress).execute(plan)
    assert calls == ["checked"]
    assert "verified: a.txt exists" in progress.getvalue()


def test_a_request_stopped_while_it_ran_is_listed_as_maybe_done(tmp_path: Path) -> None:
    """Ctrl-C while a push or a request is on its way: it may have arrived, so the undo record
    lists it (and nothing is put back) rather than calling the run unchanged."""
    from release.plan import Call
    from release.repo.undo import UndoRecord

    def interrupted() -> None:
        raise KeyboardInterrupt

    record = UndoRecord(tmp_path / "undo", "python -m release upload 1.2.0 --upload", GitService)
    plan = Plan("upload", [Call("upload a.whl", lambda: None), Call("upload b.whl", interrupted)])
    with pytest.raises(KeyboardInterrupt):
        ApplyExecutor(io.StringIO(), record).execute(plan)
    assert [(d.number, d.line) for d in record.left_machine] == [
        (1, "upload a.whl"), (2, "upload b.whl (stopped while it ran; it may have happened)")]
