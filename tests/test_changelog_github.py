"""The changelog with titles from GitHub: NumPy's published files byte for byte, the cache, the
one-line errors (no token, rate limit, outage) and the example project, against the fake GitHub."""

from __future__ import annotations

import logging
import re
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import tomlkit
from conftest import GITHUB_CANARY, NUMPY_FIXTURE
from helpers import Cli, Result, git, snapshot

from release.changelog.format import sanitize_title
from release.changelog.pulls import pulls_in_range
from release.fakes.example import ExampleProject
from release.fakes.github import FakeGitHub
from release.fakes.github_seed import example_seed
from release.services.git import GitService

PUBLISHED = NUMPY_FIXTURE / "changelogs"
CASES = {  # version: (range NumPy used, separator after a code span in that series)
    "2.2.0": ("v2.2.0.dev0^..v2.2.0", " "),
    "2.4.1": ("v2.4.0..v2.4.1", "\\ "),
    "2.5.2": ("v2.5.1..v2.5.2", "\\ "),
}


@pytest.fixture(scope="module")
def numpy_repo(numpy_bundle_clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("numpy-github") / "numpy"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(numpy_bundle_clone), str(dest)],
                   check=True)
    return dest


def published(version: str) -> str:
    return (PUBLISHED / f"{version}-changelog.rst").read_text(encoding="utf-8")


def published_titles(version: str) -> dict[int, str]:
    found = re.findall(r"^\* `#(\d+) <[^>]+>`__: (.*)$", published(version), re.MULTILINE)
    return {int(number): title for number, title in found}


def github_title(shown: str, from_git: str | None, separator: str) -> str:
    """A title GitHub could hold for a published line: git's own when NumPy's sanitiser turns it
    into that line (it may be longer than the truncated line), else the line with the
    sanitiser's escapes taken out."""
    if from_git is not None and sanitize_title(from_git, separator) == shown:
        return from_git
    title = shown.replace("\\*", "*")
    return title.replace("``" + separator, "``") if separator != " " else title


def seed_published(gh: FakeGitHub, repo: Path, version: str) -> int:
    start, _, end = CASES[version][0].partition("..")
    from_git = {pull.number: pull.title for pull in pulls_in_range(GitService(repo), start, end)}
    titles = published_titles(version)
    for number, shown in titles.items():
        title = github_title(shown, from_git.get(number), CASES[version][1])
        assert sanitize_title(title, CASES[version][1]) == shown
        gh.add_pull("numpy/numpy", number, title, "someone")
    return len(titles)


def run_numpy(cli: Cli, repo: Path, version: str, tmp_path: Path, *extra: str) -> Result:
    git(repo, "checkout", "--quiet", "--detach", f"v{version}")
    config = tmp_path / "numpy.toml"
    config.write_text(f'[tool.release]\nchangelog_code_separator = "{CASES[version][1]}"\n'
                      .replace("\\", "\\\\"))
    return cli("changelog", CASES[version][0], "--output", "-", "--repo", str(repo),
               "--config", str(config), *extra)


@pytest.mark.parametrize("version", sorted(CASES))
def test_whole_file_matches_published(
    version: str, numpy_repo: Path, fake_github: FakeGitHub, cli: Cli, tmp_path: Path
) -> None:
    count = seed_published(fake_github, numpy_repo, version)
    result = run_numpy(cli, numpy_repo, version, tmp_path)
    assert result.code == 0, result.err
    expected = published(version)
    if version == "2.2.0":
        # The published 2.2.0 file ends with one extra empty line that the tool does not print.
        assert expected.endswith("\n\n")
        expected = expected[:-1]
    assert result.out == expected
    # one rateLimit look-up before fetching, then one query per 100 pull requests
    assert fake_github.graphql_calls == 1 + (count + 99) // 100
    assert sum(fake_github.rest_calls.values()) == 0


def test_second_run_asks_nothing_and_refresh_asks_again(
    numpy_repo: Path, fake_github: FakeGitHub, cli: Cli, tmp_path: Path
) -> None:
    seed_published(fake_github, numpy_repo, "2.5.2")
    first = run_numpy(cli, numpy_repo, "2.5.2", tmp_path)
    assert first.code == 0, first.err
    fake_github.reset_counts()
    again = run_numpy(cli, numpy_repo, "2.5.2", tmp_path)
    assert again.code == 0 and again.out == first.out
    assert fake_github.total_requests == 0
    fake_github.add_pull("numpy/numpy", 31889, "TYP: retitled on GitHub", "someone")
    assert run_numpy(cli, numpy_repo, "2.5.2", tmp_path).out == first.out
    refreshed = run_numpy(cli, numpy_repo, "2.5.2", tmp_path, "--refresh")
    assert refreshed.code == 0, refreshed.err
    assert "__: TYP: retitled on GitHub\n" in refreshed.out
    assert fake_github.graphql_calls == 2


def test_token_never_shows(
    numpy_repo: Path, fake_github: FakeGitHub, cli: Cli, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The canary token is in no output, no log record (PyGithub's, urllib3's and requests'
    debug logging included) and no cached byte, on success and on every kind of failure."""
    caplog.set_level(logging.DEBUG)
    seed_published(fake_github, numpy_repo, "2.4.1")
    results = [run_numpy(cli, numpy_repo, "2.4.1", tmp_path)]
    assert results[0].code == 0, results[0].err
    fake_github.secondary_limit_next(retry_after=1)
    results.append(run_numpy(cli, numpy_repo, "2.4.1", tmp_path, "--refresh"))
    assert results[-1].code == 0 and "waiting 1 s" in results[-1].err, results[-1].err
    failures: tuple[Callable[[], object], ...] = (lambda: fake_github.fail_next(1, 401),
                                                  fake_github.exhaust_rate_limit)
    for failure in failures:
        failure()
        results.append(run_numpy(cli, numpy_repo, "2.4.1", tmp_path, "--refresh"))
        assert results[-1].code == 1 and results[-1].err.count("\n") >= 2, results[-1].err
    assert caplog.records
    for text in [caplog.text, *(r.out + r.err for r in results)]:
        assert GITHUB_CANARY not in text
    cache = Path.home() / ".cache"
    cached = [file.read_bytes() for file in cache.rglob("*") if file.is_file()]
    assert cached and not any(GITHUB_CANARY.encode() in data for data in cached)


# -- the example project --------------------------------------------------------------------------

def seed_tinynum(gh: FakeGitHub) -> None:
    gh.seed(example_seed())


def test_example_project_titles_from_github(
    example: ExampleProject, fake_github: FakeGitHub, cli: Cli
) -> None:
    seed_tinynum(fake_github)
    # retitled on GitHub after the merge, as real titles often are
    fake_github.add_pull("example/tinynum", 5, "ENH: add `tinynum.mean`", "bob-builder")
    fake_github.add_pull("example/tinynum", 9, "MAINT: speed up *total*", "bob-builder")
    result = cli("changelog", "1.2.0", "--repo", str(example.repo))
    assert result.code == 0, result.err
    text = (example.repo / "doc/changelog/1.2.0-changelog.rst").read_text(encoding="utf-8")
    assert "* `#5 <https://github.com/example/tinynum/pull/5>`__: ENH: add ``tinynum.mean``\n" in text
    assert "* `#9 <https://github.com/example/tinynum/pull/9>`__: MAINT: speed up \\*total\\*\n" in text
    assert "A total of 7 pull requests were merged for this release." in text
    assert fake_github.graphql_calls == 2


def test_numbers_github_does_not_know_are_left_out(
    example: ExampleProject, fake_github: FakeGitHub, cli: Cli
) -> None:
    """A `(#N)` that is not a pull request of the project (say, a fork's own PR) is not listed."""
    seed_tinynum(fake_github)
    del fake_github.repo("example/tinynum").pulls[9]
    result = cli("changelog", "1.2.0", "--output", "-", "--repo", str(example.repo))
    assert result.code == 0, result.err
    assert "#9" not in result.out and "A total of 6 pull requests" in result.out
    assert "left out #9 ('MAINT: speed up total()'): GitHub has no pull request #9 in " \
        "example/tinynum" in result.err


def expect_failure(cli: Cli, example: ExampleProject, words: str, *extra: str) -> str:
    before = snapshot(example.repo)
    result = cli("changelog", "1.2.0", "--repo", str(example.repo), *extra)
    assert result.code == 1, result.err
    lines = result.err.strip().splitlines()
    assert lines[-2].startswith("error: ") and words in lines[-2], result.err
    assert lines[-1].startswith("hint: "), result.err
    assert "Traceback" not in result.err
    assert snapshot(example.repo) == before
    assert not (example.repo / "doc/changelog/1.2.0-changelog.rst").exists()
    return lines[-1]


def test_no_token_says_how_to_give_one(
    example: ExampleProject, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    hint = expect_failure(cli, example, "token")
    assert "GITHUB_TOKEN" in hint and "--offline" in hint


def test_rate_limit_exhausted(example: ExampleProject, fake_github: FakeGitHub, cli: Cli) -> None:
    seed_tinynum(fake_github)
    fake_github.set_graphql_budget(0)
    expect_failure(cli, example, "rate limit is used up")


def test_budget_too_small_is_refused_before_fetching(
    numpy_repo: Path, fake_github: FakeGitHub, cli: Cli, tmp_path: Path
) -> None:
    """2.2.0 needs 4 queries; with 3 points left nothing is fetched and nothing printed."""
    seed_published(fake_github, numpy_repo, "2.2.0")
    fake_github.set_graphql_budget(3)
    result = run_numpy(cli, numpy_repo, "2.2.0", tmp_path)
    assert result.code == 1 and result.out == ""
    lines = result.err.strip().splitlines()
    assert lines[-2].startswith("error: ") and "budget is too low" in lines[-2], result.err
    assert fake_github.graphql_calls == 1


def test_primary_limit_refusal(example: ExampleProject, fake_github: FakeGitHub, cli: Cli) -> None:
    seed_tinynum(fake_github)
    fake_github.exhaust_rate_limit()
    expect_failure(cli, example, "rate limit")


def test_server_error_storm(
    example: ExampleProject, fake_github: FakeGitHub, cli: Cli, tmp_path: Path
) -> None:
    seed_tinynum(fake_github)
    fake_github.fail_next(50, 502)
    table = tomllib.loads((example.repo / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["release"]
    table.setdefault("github", {})["api_attempts"] = 2  # one retry, after 1 s
    config = tmp_path / "release.toml"
    config.write_text(tomlkit.dumps({"tool": {"release": table}}), encoding="utf-8")
    expect_failure(cli, example, "502", "--config", str(config))
