"""No tracebacks: what the world does to a step (files, consoles, tokens, URLs) is one line with a
hint; a real bug is one line saying so, its traceback in a file under the state dir, exit 70."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from helpers import Cli, Result, git, one_line_error, snapshot

from release.fakes.example import ExampleProject
from release.fakes.github import FakeGitHub
from release.fakes.github_seed import example_seed
from release.services.github import graphql_url_for
from release.steps import Declared, Step, declared

VERSION = "1.2.0"
CANARY = "ghp_canaryNoTraceback000000000000000000001"


@pytest.fixture
def branch(example: ExampleProject) -> ExampleProject:
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    return example


def _clean_failure(result: Result, words: str, code: int = 1) -> None:
    assert result.code == code, result.err
    assert "Traceback" not in result.err + result.out
    lines = [line for line in result.err.strip().splitlines() if line.startswith(("error", "hint"))]
    one_line_error("\n".join(lines), words)


# -- files and paths ----------------------------------------------------------------------------

def test_output_that_is_a_directory(branch: ExampleProject, tmp_path: Path,
                                    cli: Cli) -> None:
    before = snapshot(branch.repo)
    result = cli("changelog", VERSION, "--offline", "--output", str(tmp_path), "--repo",
                 str(branch.repo))
    _clean_failure(result, f"Is a directory: {tmp_path}")
    assert "not of a directory" in result.err and snapshot(branch.repo) == before


def test_a_repo_under_an_unknown_users_home(cli: Cli) -> None:
    result = cli("changelog", VERSION, "--repo", "~nosuchuser-xyz/numpy")
    _clean_failure(result, "~nosuchuser-xyz/numpy: no such user's home directory", code=2)


def test_a_cache_dir_that_is_a_file(branch: ExampleProject, fake_github: FakeGitHub,
                                    tmp_path: Path, cli: Cli) -> None:
    fake_github.seed(example_seed())
    blocker = tmp_path / "cache-file"
    blocker.write_text("not a directory\n", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(blocker)}
    result = cli("changelog", VERSION, "--output", "-", "--repo", str(branch.repo), env=env)
    _clean_failure(result, str(blocker))
    assert "a part of the path is a file" in result.err


# -- the console --------------------------------------------------------------------------------

def test_a_cp1252_console_gets_replacements_not_a_traceback(branch: ExampleProject) -> None:
    repo = branch.repo
    (repo / "tinynum" / "li.py").write_text("x = 1\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=李雷", "-c", "user.email=li@example.org", "commit", "-q", "-m",
        "MAINT: a small fix (#14)")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    done = subprocess.run([sys.executable, "-m", "release", "changelog", VERSION, "--offline",
                           "--output", "-", "--repo", str(repo)], capture_output=True, env=env)
    assert done.returncode == 0, done.stderr
    assert b"\\u674e\\u96f7" in done.stdout and b"Traceback" not in done.stderr


# -- tokens and URLs ----------------------------------------------------------------------------

@pytest.mark.parametrize(("token", "words"), [
    (CANARY + "\n", "GITHUB_TOKEN ends or starts with a newline"),
    (CANARY[:10] + "é" + CANARY[11:], "GITHUB_TOKEN has a character no GitHub token has"),
])
def test_a_token_http_cannot_carry_is_named_never_shown(branch: ExampleProject, token: str,
                                                        words: str, cli: Cli) -> None:
    env = {**os.environ, "GITHUB_TOKEN": token, "GITHUB_API_URL": "http://127.0.0.1:9/api/v3"}
    result = cli("changelog", VERSION, "--output", "-", "--repo", str(branch.repo), env=env)
    _clean_failure(result, words)
    assert CANARY[11:] not in result.err + result.out


def test_an_api_url_without_a_scheme(branch: ExampleProject, cli: Cli) -> None:
    env = {**os.environ, "GITHUB_TOKEN": CANARY, "GITHUB_API_URL": "127.0.0.1:9/api/v3"}
    result = cli("changelog", VERSION, "--output", "-", "--repo", str(branch.repo), env=env)
    _clean_failure(result, "GITHUB_API_URL is not an http(s) URL with a host")


def test_an_index_url_without_a_scheme(branch: ExampleProject, cli: Cli) -> None:
    result = cli("wheels", VERSION, "--index-url", "test.pypi.org/simple", "--repo",
                 str(branch.repo))
    _clean_failure(result, "'test.pypi.org/simple' is not an index URL")


@pytest.mark.parametrize(("api", "graphql"), [
    ("https://api.github.com", "https://api.github.com/graphql"),
    ("https://api.github.com/", "https://api.github.com/graphql"),
    ("https://ghe.example.com/api/v3", "https://ghe.example.com/api/graphql"),
    ("https://ghe.example.com/api/v3/", "https://ghe.example.com/api/graphql"),
    ("https://api.acme.ghe.com", "https://api.acme.ghe.com/graphql"),
])
def test_graphql_follows_the_rest_root(api: str, graphql: str) -> None:
    assert graphql_url_for(api) == graphql


def test_with_only_github_api_url_set_graphql_goes_there(
        branch: ExampleProject, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch,
        cli: Cli) -> None:
    """GitHub Enterprise or the fake: the queries, and the token with them, stay on that host."""
    fake_github.seed(example_seed())
    monkeypatch.delenv("GITHUB_GRAPHQL_URL")
    result = cli("changelog", VERSION, "--output", "-", "--repo", str(branch.repo))
    assert result.code == 0, result.err
    assert fake_github.graphql_url == graphql_url_for(fake_github.api_url)
    assert "ENH: add tinynum.mean" in result.out


# -- a bug ----------------------------------------------------------------------------------------

def test_a_bug_is_one_line_and_a_traceback_file(branch: ExampleProject, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                cli: Cli) -> None:
    """The last line of defence, exercised by a step that fails as no step should."""
    module = types.ModuleType("broken_step")

    def add_arguments(parser: object) -> None:
        pass

    def run(ctx: object) -> int:
        raise RuntimeError(f"the server said: bad credentials {ctx.env['GITHUB_TOKEN']}")  # type: ignore[attr-defined]

    module.add_arguments = add_arguments  # type: ignore[attr-defined]
    module.run = run  # type: ignore[attr-defined]
    module.STEP = Step(name="broken", summary="a step with a bug", order=99,  # type: ignore[attr-defined]
                       journaled=False, read_only=True, status=None, resume=None)
    monkeypatch.setitem(sys.modules, "broken_step", module)
    monkeypatch.setitem(declared(), "broken", Declared("broken", "a step with a bug", 99,
                                                       "broken_step"))
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "GITHUB_TOKEN": CANARY}
    result = cli("broken", "--repo", str(branch.repo), env=env)
    assert result.code == 70
    lines = result.err.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in result.err
    assert lines[0] == ("error: unexpected RuntimeError in `broken`: the server said: bad "
                        "credentials *** (a bug in the toolkit)")
    [written] = (tmp_path / "state" / "numpy-release-toolkit" / "tracebacks").iterdir()
    assert lines[1] == f"hint: the traceback is in {written}; please report it with that file"
    text = written.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: the server said: bad credentials ***" in text and CANARY not in text
