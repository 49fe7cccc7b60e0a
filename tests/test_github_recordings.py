"""The fake's answers against real GitHub answers to the same operations (PyGithub's recordings in
tests/data/pygithub): every field the toolkit reads that GitHub sent, the fake sends too, with
the same JSON type; the other fields GitHub sent that the fake leaves out are counted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from conftest import DATA
from contracts.github_operations import READS

from release.fakes.github import FakeGitHub

RECORDINGS = DATA / "pygithub"
REPO = "example/tinynum"
AUTH = {"Authorization": "bearer t"}


def recorded(name: str, method: str, path_end: str) -> Any:
    """The JSON body of the first exchange in a recording with `method` and a path ending so."""
    lines = (RECORDINGS / name).read_text(encoding="utf-8").split("\n")
    for start in range(len(lines) - 9):
        if lines[start] in ("http", "https") and lines[start + 1] == method \
                and lines[start + 4].split("?")[0].endswith(path_end):
            return json.loads(lines[start + 9])
    raise AssertionError(f"{name} has no {method} ...{path_end}")


def kind(value: Any) -> str:
    return {bool: "boolean", int: "number", float: "number", str: "string", dict: "object",
            list: "array", type(None): "null"}[type(value)]


def read_fields(operation: str) -> Iterator[tuple[str, ...]]:
    for field in READS[operation]:
        yield tuple(field.split("/"))


def lookup(value: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict) or part not in value:
            return KeyError
        value = value[part]
    return value


@pytest.fixture(scope="module")
def fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeGitHub]:
    """One of each thing the recordings show, made through the API as the toolkit makes them."""
    with FakeGitHub(run_polls=1) as gh:
        gh.add_repo(REPO)
        gh.add_ref(REPO, "heads/prepare", "f" * 40)
        gh.add_workflow(REPO, "wheels.yml", artifacts={"sdist": {"a.tar.gz": b"a"}})
        api = f"{gh.api_url}/repos/{REPO}"
        requests.post(f"{api}/pulls", json={"title": "t", "head": "prepare", "base": "main"},
                      headers=AUTH, timeout=10)
        release = requests.post(f"{api}/releases", json={"tag_name": "v1.0", "draft": True},
                                headers=AUTH, timeout=10).json()
        requests.post(release["upload_url"].split("{")[0], params={"name": "a.txt"}, data=b"a",
                      headers={**AUTH, "Content-Type": "text/plain"}, timeout=10)
        requests.patch(release["url"], json={"draft": False}, headers=AUTH, timeout=10)
        requests.post(f"{api}/actions/workflows/wheels.yml/dispatches", headers=AUTH, timeout=10,
                      json={"ref": "main", "inputs": {"environment": "none"}})
        yield gh


def answer(gh: FakeGitHub, path: str) -> Any:
    return requests.get(f"{gh.api_url}/repos/{REPO}{path}", headers=AUTH, timeout=10).json()


CASES = [
    # (recording, method, recorded path end, the fake's path, OpenAPI operation)
    ("Repository.testCreatePull.txt", "POST", "/pulls", "/pulls/1", "/repos/{owner}/{repo}/pulls"),
    ("GitRelease.testGetRelease.txt", "GET", "/releases/tags/v1.0", "/releases/tags/v1.0",
     "/repos/{owner}/{repo}/releases/tags/{tag}"),
    ("GitReleaseAsset.setUp.txt", "GET", "/releases/197548596", "/releases/tags/v1.0",
     "/repos/{owner}/{repo}/releases/{release_id}"),
    ("Repository.testGetWorkflowId.txt", "GET", "/actions/workflows/1122712",
     "/actions/workflows/wheels.yml", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}"),
    ("Repository.testGetWorkflowRuns.txt", "GET", "/actions/runs", "/actions/runs",
     "/repos/{owner}/{repo}/actions/runs"),
    ("Artifact.testGetSingleArtifactFromRepo.txt", "GET", "/actions/artifacts/719509139",
     "/actions/artifacts/{artifact}", "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}"),
]


@pytest.mark.parametrize(("recording", "method", "end", "path", "operation"), CASES,
                         ids=[case[0].removesuffix(".txt") for case in CASES])
def test_fields_the_toolkit_reads_are_there_as_on_github(
        fake: FakeGitHub, recording: str, method: str, end: str, path: str, operation: str) -> None:
    real = recorded(recording, method, end)
    if "{artifact}" in path:
        for _ in range(2):  # a run shows its artifacts once it has completed
            [run] = answer(fake, "/actions/runs")["workflow_runs"]
        path = path.format(artifact=answer(fake, f"/actions/runs/{run['id']}/artifacts")
                           ["artifacts"][0]["id"])
    ours = answer(fake, path)
    for field in read_fields(operation):
        there = lookup(real, field)
        if there is KeyError:
            continue  # GitHub did not send it in this recording
        here = lookup(ours, field)
        assert here is not KeyError, f"{'/'.join(field)} is missing from the fake's answer"
        if there is not None and here is not None:
            assert kind(here) == kind(there), f"{'/'.join(field)}: {kind(here)} vs {kind(there)}"
    theirs, mine = fields(real), fields(ours)
    missing = sorted(theirs - mine)
    print(f"{recording}: the fake leaves out {len(missing)} of GitHub's {len(theirs)} fields "
          f"(two levels deep): {', '.join(missing)}")


def fields(value: Any, prefix: str = "", depth: int = 2) -> set[str]:
    """Field paths two objects deep (a list stands for its first item)."""
    if isinstance(value, list):
        return fields(value[0], prefix, depth) if value else set()
    if not isinstance(value, dict) or depth == 0:
        return set()
    found = set()
    for key, item in value.items():
        found.add(prefix + key)
        found |= fields(item, f"{prefix}{key}/", depth - 1)
    return found


def test_the_recordings_are_real_github_answers() -> None:
    """The recordings are GitHub's (api.github.com, with its headers), not something of ours."""
    text = (RECORDINGS / "Repository.testCreatePull.txt").read_text(encoding="utf-8")
    assert "\napi.github.com\n" in text and "x-ratelimit-remaining" in text.lower()
