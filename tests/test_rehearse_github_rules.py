"""A stage that would fail on GitHub fails in the rehearsal too: a dispatch the workflow file does
not accept, a pull request from a branch GitHub's fork does not have, a push of a workflow change
with a token that may not write workflows."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

from helpers import Cli, git

from release.cli import main
from release.fakes.example import ExampleProject, build_example_project
from release.fakes.github_tokens import Token
from release.fakes.stand_ins import FORK_OWNER, StandIns
from release.rehearsal.runner import Outcome, Rehearsal
from release.steps.rehearse import stages
from release.version import ReleaseVersion

VERSION = "1.2.0rc1"
RELEASE_PR = f"release PR: commit on prepare-{VERSION}, push to the fork, open the PR"


def rehearse_until(project: ExampleProject, s: StandIns, title: str) -> tuple[bool, Outcome]:
    """Run the rehearsal's stages for VERSION up to the one whose title ends with `title`."""
    assert s.places is not None
    plan = stages(project, s, ReleaseVersion.parse(VERSION))
    last = next(n for n, stage in enumerate(plan) if stage.title.endswith(title))
    common = ("--repo", str(project.repo), "--config", str(s.places.config_file))
    rehearsal = Rehearsal(common, {**os.environ, **s.places.env}, io.StringIO(), main)
    passed = rehearsal.run(plan[:last + 1])
    return passed, rehearsal.outcomes[-1]


def test_a_dispatch_input_the_workflow_does_not_declare_fails_the_wheel_stage(cli: Cli,
                                                                              tmp_path: Path) -> None:
    workflow = tmp_path / "wheels.yml"
    workflow.write_text("on:\n  workflow_dispatch:\n    inputs:\n      target:\n"
                        "        required: true\n        type: choice\n"
                        "        options: [build, publish]\n", encoding="utf-8")
    result = cli("rehearse", VERSION, "--workdir", str(tmp_path / "w"), "--workflow-file",
                 str(workflow))
    assert result.code == 1
    failed = [line for line in result.out.splitlines() if "FAIL" in line]
    assert len(failed) == 1 and "test the wheel build (environment none)" in failed[0], result.out
    assert 'Unexpected inputs provided: ["environment"]' in result.err
    assert "declares: target (required choice: build, publish)" in result.err


def test_a_fork_branch_github_does_not_have_fails_the_release_pr_stage(tmp_path: Path) -> None:
    project = build_example_project(tmp_path / "scratch")
    mirror = tmp_path / "mirror.git"  # origin points somewhere that is not the fork on GitHub
    subprocess.run(["git", "init", "--quiet", "--bare", str(mirror)], check=True)
    git(project.repo, "remote", "set-url", "origin", str(mirror))
    with StandIns(project, tmp_path / "w", VERSION) as s:
        passed, outcome = rehearse_until(project, s, RELEASE_PR)
        assert s.github is not None
        pulls = s.github.repo(s.config().github_repo).pulls
        assert not [p for p in pulls.values() if p.state == "open"]
    assert not passed and outcome.stage.title.endswith(RELEASE_PR)
    assert "GitHub refused to open a pull request from alice-m:prepare-1.2.0rc1" in outcome.output
    assert f"push prepare-{VERSION} to {FORK_OWNER}'s fork first" in outcome.output
    assert git(mirror, "branch", "--list", f"prepare-{VERSION}").strip()  # it went elsewhere


def test_a_token_without_the_workflow_permission_fails_the_push(tmp_path: Path) -> None:
    project = build_example_project(tmp_path / "scratch")
    git(project.repo, "checkout", "--quiet", "maintenance/1.2.x")
    ci = project.repo / ".github" / "workflows" / "ci.yml"
    ci.parent.mkdir(parents=True)
    ci.write_text("on: [push]\njobs: {}\n", encoding="utf-8")
    git(project.repo, "add", ".github")
    git(project.repo, "commit", "--quiet", "-m", "CI: test on push")
    token = Token({"contents": "write", "pull_requests": "write", "issues": "write",
                   "actions": "write"})
    with StandIns(project, tmp_path / "w", VERSION, token=token) as s:
        passed, outcome = rehearse_until(project, s, RELEASE_PR)
        assert s.github is not None
        pulls = s.github.repo(s.config().github_repo).pulls
        assert not [p for p in pulls.values() if p.state == "open"]
    assert not passed and outcome.stage.title.endswith(RELEASE_PR)
    assert ("refusing to allow a Personal Access Token to create or update workflow "
            "`.github/workflows/ci.yml` without `workflow` scope") in outcome.output
    assert "Workflows: read and write" in outcome.output
    assert git(project.fork, "branch", "--list", f"prepare-{VERSION}").strip() == ""


def test_token_permissions_are_checked_before_anything(cli: Cli, tmp_path: Path) -> None:
    result = cli("rehearse", VERSION, "--workdir", str(tmp_path / "w"), "--token-permissions",
                 "contents=write,pulls=write")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert lines[-2] == "error: --token-permissions: 'pulls=write' is not PERMISSION=LEVEL"
    assert lines[-1].startswith("hint: permissions: contents, pull_requests, issues")
    assert not (tmp_path / "w").exists()
