"""A corpus of bad servers, against every step that asks GitHub or a package index: a 500, a 502
page from a proxy, HTML where JSON belongs, a JSON list, a 401 that repeats the token, a server
that never answers. Each is one line with a hint (or, in `status`, a row that says it could not
look), never a traceback, never the token, and the repository unchanged."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bad_servers import ANSWERS, BadServer
from helpers import Cli, git, snapshot

from release.config import load_config
from release.errors import ServiceError
from release.fakes.dists import write_dists
from release.fakes.example import ExampleProject
from release.services.github import GitHubService
from release.services.pypi import PackageIndex
from release.version import ReleaseVersion
from release.wheels.matrix import matrix_for

VERSION = "1.2.0"
CANARY = "ghp_canaryBadServer0000000000000000000001"
INDEX_CANARY = "pypi-canaryBadServerPassword01"


@pytest.fixture(scope="module")
def project(example_template: ExampleProject, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[Path, Path, list[Path]]]:
    """The example on its maintenance branch, retrying GitHub once (so a failing server is
    given up on quickly), and a dist dir with every file of 1.2.0."""
    from release.fakes.example import copy_example

    base = tmp_path_factory.mktemp("bad-answers")
    copy = copy_example(example_template, base / "example")
    repo = copy.repo
    git(repo, "checkout", "-q", "maintenance/1.2.x")
    with (repo / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[tool.release.github]\napi_attempts = 2\n")
    git(repo, "commit", "-q", "-am", "MAINT: give up on GitHub sooner")
    config = load_config(repo).config
    dist = base / "dist"
    write_dists(dist, matrix_for(config, ReleaseVersion.parse(VERSION)).filenames(VERSION),
                "tinynum")
    yield repo, dist, [repo, copy.upstream, copy.fork]


COMMANDS: dict[str, Callable[[str, Path], list[str]]] = {
    "changelog": lambda url, dist: ["changelog", VERSION, "--output", "-"],
    "mailmap": lambda url, dist: ["mailmap", VERSION],
    "status": lambda url, dist: ["status", VERSION, "--index-url", url],
    "wheels --index-url": lambda url, dist: ["wheels", VERSION, "--index-url", url],
    "upload": lambda url, dist: ["upload", VERSION, "--from-dir", str(dist), "--repository-url",
                                 url.replace("http://", f"http://__token__:{INDEX_CANARY}@")],
}


@pytest.mark.parametrize("mode", list(ANSWERS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_bad_server_is_one_line_with_a_hint(project: tuple[Path, Path, list[Path]], mode: str,
                                              command: str, cli: Cli) -> None:
    repo, dist, places = project
    before = [snapshot(place) for place in places]
    with BadServer(mode) as server:
        env = {**os.environ, "GITHUB_TOKEN": CANARY, "GITHUB_API_URL": server.url + "/api/v3",
               "TWINE_PASSWORD": INDEX_CANARY}
        result = cli(*COMMANDS[command](server.url, dist), "--repo", str(repo), env=env)
    everything = result.out + result.err
    assert "Traceback" not in everything and result.code != 70, everything
    assert CANARY not in everything and INDEX_CANARY not in everything
    assert [snapshot(place) for place in places] == before  # the repository and its remotes
    if command == "status":  # a report: the rows it could not fill say so (exit 3 or 4)
        assert result.code in (3, 4) and "could not look" in result.out, everything  # not done / not looked
        return
    if command == "upload" and mode == "html page":  # a simple-API page listing no files yet
        assert result.code == 0 and "60 of 60 files" in result.out, everything
        return
    lines = result.err.strip().splitlines()
    assert result.code == 1 and lines[-2].startswith("error: ") and lines[-1].startswith("hint: ")
    if mode.startswith(("500", "502")) and command in ("changelog", "mailmap"):
        assert "githubstatus.com" not in lines[-1]  # a local URL is not GitHub's outage
        assert f"GitHub: {server.url}/api/graphql answered {mode[:3]}; retrying in 1 s" in result.err


def test_an_echoed_token_is_masked(project: tuple[Path, Path, list[Path]],
                                   cli: Cli) -> None:
    repo, _, _ = project
    with BadServer("401 echoing the token") as server:
        env = {**os.environ, "GITHUB_TOKEN": CANARY, "GITHUB_API_URL": server.url + "/api/v3"}
        result = cli("changelog", VERSION, "--output", "-", "--repo", str(repo), env=env)
    assert "error: GitHub rejected the token while trying to read the rate limit (401: Bad " \
           "credentials: 'bearer ***' is not a token)" in result.err


def test_credentials_inside_urls_are_masked(project: tuple[Path, Path, list[Path]],
                                            cli: Cli) -> None:
    repo, _, _ = project
    with BadServer("500") as server:
        api = server.url.replace("http://", f"http://x-access-token:{CANARY}@") + "/api/v3"
        result = cli("changelog", VERSION, "--output", "-", "--repo", str(repo),
                     env={**os.environ, "GITHUB_API_URL": api, "GITHUB_TOKEN": CANARY})
    assert CANARY not in result.err and "x-access-token:***@127.0.0.1" in result.err


def test_a_github_that_never_answers_is_named(tmp_path: Path) -> None:
    with BadServer("hang") as server:
        progress = io.StringIO()
        github = GitHubService("example/tinynum", token=CANARY, api_url=server.url + "/api/v3",
                               graphql_url=server.url + "/api/graphql", cache_dir=tmp_path,
                               progress=progress, sleep=lambda seconds: None, max_attempts=2,
                               timeout=0.5)
        with pytest.raises(ServiceError) as rest:
            github.user_name("alice")
        with pytest.raises(ServiceError) as graphql:
            github.pull_requests([1])
    assert f"could not reach GitHub at {server.url}/api/v3" in rest.value.message
    assert "no answer" in rest.value.message
    assert f"GET {server.url}/api/v3/users/alice gave no answer" in progress.getvalue()
    assert "GitHub kept failing (no response) after 2 attempts" in graphql.value.message
    assert f"GitHub: {server.url}/api/graphql gave no response; retrying in 1 s" in progress.getvalue()
    assert "githubstatus" not in f"{rest.value.hint} {graphql.value.hint}"


def test_an_index_that_never_answers_is_named() -> None:
    with BadServer("hang") as server, pytest.raises(ServiceError) as caught:
        PackageIndex(server.url, timeout=0.5).files("tinynum")
    assert f"cannot reach the index at {server.url}/simple/tinynum/: timed out" in caught.value.message
