"""The example seed matches the example project, and the fake serves from the command line."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from release.fakes.example import ExampleProject
from release.fakes.github_seed import EXAMPLE_PULLS, EXAMPLE_REPO
from release.services.github import GitHubService


def test_every_pull_request_in_the_example_history_is_seeded(example: ExampleProject) -> None:
    log = subprocess.run(["git", "log", "--all", "--format=%s"], cwd=example.repo, check=True,
                         capture_output=True, text=True).stdout
    mentioned = {int(n) for n in re.findall(r"#(\d+)", log)}
    assert mentioned and mentioned <= {number for number, *_ in EXAMPLE_PULLS}


def test_served_from_the_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "FAKE_TOKEN": "ghp_servedFakeToken"}
    server = subprocess.Popen(
        [sys.executable, "-m", "release.fakes.github_seed", "--example", "--token-env", "FAKE_TOKEN"],
        stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        lines = dict(server.stdout.readline().strip().split("=", 1) for _ in range(2))
        github = GitHubService(EXAMPLE_REPO, token="ghp_servedFakeToken", cache_dir=tmp_path,
                               api_url=lines["GITHUB_API_URL"], graphql_url=lines["GITHUB_GRAPHQL_URL"],
                               progress=io.StringIO())
        pulls = github.pull_requests([5, 13])
        assert (pulls[5].title, pulls[5].author_login) == ("ENH: add tinynum.mean", "bob-builder")
        assert github.user_name("dana-n") == "Dana Newcomer"
    finally:
        server.terminate()
        assert server.wait(timeout=10) == 0
