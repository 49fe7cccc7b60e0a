"""GitHubService against the fake GitHub: batching, caching, budgets, retries, errors, secrecy."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GITHUB_CANARY

from release.errors import ServiceError
from release.fakes.github import FakeGitHub
from release.services.github import GitHubService, PullRequestInfo, PullRequestRef

REPO = "example/tinynum"


class Sleeps:
    """Stands in for time.sleep and remembers every wait asked for."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def service(tmp_path: Path, **options: object) -> GitHubService:
    options.setdefault("cache_dir", tmp_path / "cache")
    options.setdefault("progress", io.StringIO())
    options.setdefault("sleep", Sleeps())
    options.setdefault("rest_backoff", 0.0)
    return GitHubService.from_env(os.environ, REPO, **options)


def seed_pulls(gh: FakeGitHub, count: int) -> None:
    for number in range(1, count + 1):
        gh.add_pull(REPO, number, f"ENH: change {number}", f"user{number % 7}")


def aliases_per_query(gh: FakeGitHub) -> list[int]:
    return [query.count("pullRequest(") for query in gh.graphql_queries if "pullRequest(" in query]


def test_environment_decides_roots_and_token(fake_github: FakeGitHub, tmp_path: Path) -> None:
    github = service(tmp_path)
    assert (github.api_url, github.graphql_url) == (fake_github.api_url, fake_github.graphql_url)
    assert github.has_token and GITHUB_CANARY not in repr(github)
    gh_only = GitHubService.from_env({"GH_TOKEN": "x"}, REPO)
    assert gh_only.has_token and gh_only.api_url == "https://api.github.com"
    assert gh_only.graphql_url == "https://api.github.com/graphql"


def test_missing_token_says_how_to_set_it(tmp_path: Path) -> None:
    github = GitHubService.from_env({}, REPO, cache_dir=tmp_path)
    with pytest.raises(ServiceError) as missing:
        github.pull_requests([1, 2])
    assert "GITHUB_TOKEN" in (missing.value.hint or "") and "--offline" in (missing.value.hint or "")
    with pytest.raises(ServiceError, match="token is needed to open an issue"):
        github.create_issue("t", "b")


def test_250_pull_requests_in_3_queries_then_from_cache(fake_github: FakeGitHub, tmp_path: Path) -> None:
    seed_pulls(fake_github, 250)
    progress = io.StringIO()
    github = service(tmp_path, progress=progress)
    pulls = github.pull_requests(range(1, 251))
    assert len(pulls) == 250
    assert pulls[7] == PullRequestInfo(7, "ENH: change 7", "user0")
    assert aliases_per_query(fake_github) == [100, 100, 50]
    assert fake_github.graphql_calls == 4  # the budget query, then three batches
    assert fake_github.graphql_points == 4
    said = progress.getvalue()
    assert "250 pull requests to fetch (0 cached): 3 GraphQL queries, about 3 points" in said
    assert "budget 4999/5000 points" in said

    fake_github.reset_counts()
    again = service(tmp_path).pull_requests(range(1, 251))
    assert again == pulls and fake_github.total_requests == 0

    fake_github.add_pull(REPO, 3, "ENH: retitled", "user3")
    fresh = service(tmp_path).pull_requests([3, 4], refresh=True)
    assert fresh[3].title == "ENH: retitled" and aliases_per_query(fake_github) == [2]


def test_numbers_that_are_not_pull_requests_are_left_out_and_cached(
        fake_github: FakeGitHub, tmp_path: Path) -> None:
    seed_pulls(fake_github, 3)
    assert set(service(tmp_path).pull_requests([1, 2, 3, 40])) == {1, 2, 3}
    fake_github.reset_counts()
    assert set(service(tmp_path).pull_requests([1, 40])) == {1}
    assert fake_github.total_requests == 0


def test_cache_is_per_api_root(fake_github: FakeGitHub, tmp_path: Path) -> None:
    seed_pulls(fake_github, 2)
    service(tmp_path).pull_requests([1, 2])
    with FakeGitHub(tokens={GITHUB_CANARY: "write"}) as other:
        other.add_repo(REPO)
        other.add_pull(REPO, 1, "elsewhere", "zed")
        elsewhere = GitHubService(REPO, token=GITHUB_CANARY, api_url=other.api_url,
                                  graphql_url=other.graphql_url, cache_dir=tmp_path / "cache",
                                  progress=io.StringIO())
        assert elsewhere.pull_requests([1])[1].title == "elsewhere"


def test_short_budget_refuses_before_fetching(fake_github: FakeGitHub, tmp_path: Path) -> None:
    seed_pulls(fake_github, 250)
    fake_github.set_graphql_budget(3)
    with pytest.raises(ServiceError) as refused:
        service(tmp_path).pull_requests(range(1, 251))
    assert "3 points needed, 2 left" in refused.value.message
    assert "2026-01-01T01:00:00Z" in (refused.value.hint or "")
    assert aliases_per_query(fake_github) == []


def test_502_storm_halves_the_batch_then_gives_up(fake_github: FakeGitHub, tmp_path: Path) -> None:
    seed_pulls(fake_github, 120)
    sleeps = Sleeps()
    github = service(tmp_path, sleep=sleeps)
    fake_github.fail_next(50, 502, when="pullRequest(")
    with pytest.raises(ServiceError) as failed:
        github.pull_requests(range(1, 121))
    assert failed.value.message == "GitHub kept failing (502) after 6 attempts to fetch pull requests"
    assert aliases_per_query(fake_github) == [100, 100, 50, 25, 12, 6]
    assert sleeps.waits == [1.0, 2.0, 4.0, 8.0, 16.0]


def test_brief_502s_shrink_the_batch_and_succeed(fake_github: FakeGitHub, tmp_path: Path) -> None:
    seed_pulls(fake_github, 120)
    github = service(tmp_path)
    fake_github.fail_next(2, 502, when="pullRequest(")
    assert len(github.pull_requests(range(1, 121))) == 120
    assert aliases_per_query(fake_github) == [100, 100, 50, 50, 20]


def test_secondary_limit_waits_as_told(fake_github: FakeGitHub, tmp_path: Path) -> None:
    seed_pulls(fake_github, 10)
    sleeps = Sleeps()
    progress = io.StringIO()
    github = service(tmp_path, sleep=sleeps, progress=progress)
    fake_github.secondary_limit_next(retry_after=42, scope="graphql")
    assert len(github.pull_requests(range(1, 11))) == 10
    assert sleeps.waits == [42.0]
    assert "waiting 42 s" in progress.getvalue()


def test_bad_token_is_a_clear_error(fake_github: FakeGitHub, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_wrong")
    github = service(tmp_path)
    with pytest.raises(ServiceError) as rejected:
        github.pull_requests([1])
    assert "rejected the token" in rejected.value.message and "401" in rejected.value.message
    with pytest.raises(ServiceError, match="rejected the token"):
        github.create_issue("t", "b")


def test_rest_helpers_return_dataclasses(fake_github: FakeGitHub, tmp_path: Path) -> None:
    fake_github.add_ref(REPO, "heads/prep-1.2.0", "a" * 40)
    fake_github.add_user("alice", "Alice Anders")
    github = service(tmp_path)
    assert github.find_open_pull("prep-1.2.0", "main") is None
    created = github.create_pull("REL: prepare 1.2.0", "body", "prep-1.2.0", "main")
    assert isinstance(created, PullRequestRef)
    assert (created.number, created.head, created.base, created.state) == (
        1, "example:prep-1.2.0", "main", "open")
    assert github.find_open_pull("prep-1.2.0", "main") == created
    assert github.find_open_pull("example:prep-1.2.0", "main") == created
    issue = github.create_issue("Update .mailmap", "names")
    assert (issue.number, issue.url) == (2, f"{fake_github.root}/{REPO}/issues/2")
    assert github.user_name("alice") == "Alice Anders"
    assert github.user_name("nobody") is None
    with pytest.raises(ServiceError) as duplicate:
        github.create_pull("again", "", "prep-1.2.0", "main")
    assert "422" in duplicate.value.message and "already exists" in duplicate.value.message


def test_rest_errors_name_their_cause(fake_github: FakeGitHub, tmp_path: Path) -> None:
    missing = GitHubService.from_env(os.environ, "example/nothing", cache_dir=tmp_path)
    with pytest.raises(ServiceError) as not_found:
        missing.create_issue("t", "b")
    assert "found nothing" in not_found.value.message and "github_repo" in (not_found.value.hint or "")

    github = service(tmp_path)
    github.repository()
    fake_github.fail_next(4, 503, scope="rest")  # the first try and three retries
    with pytest.raises(ServiceError, match=r"GitHub failed \(503\)"):
        github.user_name("alice")

    fake_github.exhaust_rate_limit()
    with pytest.raises(ServiceError) as limited:
        github.create_issue("t", "b")
    assert "rate limit is used up" in limited.value.message
    assert "UTC (in " in (limited.value.hint or "")


def test_read_only_token_cannot_write(tmp_path: Path) -> None:
    with FakeGitHub(tokens={"reader": "read"}) as gh:
        gh.add_repo(REPO)
        github = GitHubService(REPO, token="reader", api_url=gh.api_url, graphql_url=gh.graphql_url,
                               cache_dir=tmp_path)
        with pytest.raises(ServiceError) as refused:
            github.create_issue("t", "b")
        assert refused.value.message.endswith("this needs issues: write")
        assert "give the token issues: write" in (refused.value.hint or "")


def test_canary_token_never_leaks(fake_github: FakeGitHub, tmp_path: Path,
                                  caplog: pytest.LogCaptureFixture,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    seed_pulls(fake_github, 5)
    progress = io.StringIO()
    github = service(tmp_path, progress=progress)
    github.pull_requests(range(1, 6))
    github.create_issue("t", "b")
    texts = [progress.getvalue(), caplog.text, repr(github)]
    failures: tuple[Callable[[], object], ...] = (lambda: fake_github.fail_next(10, 502),
                                                  lambda: fake_github.exhaust_rate_limit())
    for failure in failures:
        failure()
        for attempt in (lambda: github.pull_requests([99]), lambda: github.create_issue("x", "y")):
            with pytest.raises(ServiceError) as problem:
                attempt()
            texts += [problem.value.message, problem.value.hint or "", str(problem.value)]
    captured = capsys.readouterr()
    texts += [captured.out, captured.err]
    assert caplog.records, "PyGithub's and urllib3's debug logs were captured"
    assert not any(GITHUB_CANARY in text for text in texts)
    cached = [path.read_bytes() for path in (tmp_path / "cache").rglob("*") if path.is_file()]
    assert cached and not any(GITHUB_CANARY.encode() in data for data in cached)
    assert fake_github.authorized_requests > 0


def test_rest_secondary_limit_waits_and_retries(fake_github: FakeGitHub, tmp_path: Path) -> None:
    sleeps = Sleeps()
    github = service(tmp_path, sleep=sleeps)
    github.repository()
    fake_github.secondary_limit_next(2, retry_after=5, scope="rest")
    assert github.create_issue("Update .mailmap", "names").number == 1
    assert sleeps.waits == [5.0, 5.0]
    assert len(fake_github.repo(REPO).issues) == 1


def test_graphql_primary_limit_names_the_reset(fake_github: FakeGitHub, tmp_path: Path) -> None:
    fake_github.exhaust_rate_limit()
    with pytest.raises(ServiceError) as limited:
        service(tmp_path).pull_requests([1])
    assert "rate limit is used up" in limited.value.message
    assert "UTC (in " in (limited.value.hint or "")


def test_context_builds_the_service_from_its_env(fake_github: FakeGitHub, tmp_path: Path) -> None:
    from release.config import Config
    from release.context import Context

    err = io.StringIO()
    ctx = Context(tmp_path, Config(github_repo=REPO), "test", {}, dict(os.environ), io.StringIO(), err)
    seed_pulls(fake_github, 2)
    github = ctx.github()
    assert github.repo_name == REPO and ctx.github("numpy/numpy").repo_name == "numpy/numpy"
    assert set(github.pull_requests([1, 2])) == {1, 2}
    assert "2 pull requests to fetch" in err.getvalue()
    assert (Path(os.environ["XDG_CACHE_HOME"]) / "numpy-release-toolkit" / "pull-requests").is_dir()


def test_deleted_author_and_unknown_repository(fake_github: FakeGitHub, tmp_path: Path) -> None:
    fake_github.add_pull(REPO, 1, "MAINT: from a deleted account", "ghost")
    assert service(tmp_path).pull_requests([1])[1].author_login is None
    elsewhere = GitHubService.from_env(os.environ, "example/missing", cache_dir=tmp_path,
                                       progress=io.StringIO())
    with pytest.raises(ServiceError, match="no repository example/missing"):
        elsewhere.pull_requests([1])


def test_raw_requests_share_the_waits_and_the_errors(fake_github: FakeGitHub, tmp_path: Path) -> None:
    sleeps = Sleeps()
    github = service(tmp_path, sleep=sleeps)
    url = f"{github.api_url}/repos/{REPO}/actions/workflows/wheels.yml"
    fake_github.secondary_limit_next(retry_after=3)
    assert github.request("GET", url, "look up wheels.yml", allow=(404,)).status_code == 404
    assert sleeps.waits == [3.0]
    with pytest.raises(ServiceError, match=r"found nothing while trying to look up wheels\.yml"):
        github.request("GET", url, "look up wheels.yml")
    fake_github.fail_next(1, 401)
    with pytest.raises(ServiceError, match="rejected the token"):
        github.request("GET", url, "look up wheels.yml")


def test_artifacts_follow_the_link_header_page_by_page(fake_github: FakeGitHub, tmp_path: Path) -> None:
    from release.services.github_actions import GitHubActions

    names = [f"wheels-{n:03}" for n in range(200)]
    fake_github.add_workflow(REPO, "wheels.yml", artifacts={name: {"a.txt": name} for name in names})
    actions = GitHubActions(service(tmp_path))
    run = actions.dispatch("wheels.yml", "main", {"environment": "none"})
    polls = 1
    while not actions.run(run.id).done and polls < 5:
        polls += 1
    fake_github.reset_counts()
    assert sorted(artifact.name for artifact in actions.artifacts(run.id)) == names
    # two full pages; the second carries no "next" link, so no third (empty) page is asked for
    assert fake_github.rest_calls == {"GET /repos/{owner}/{repo}/actions/runs/{run}/artifacts": 2}


def test_an_artifact_is_listed_with_its_digest_and_a_download_must_match_it(
        fake_github: FakeGitHub, tmp_path: Path) -> None:
    import dataclasses
    import hashlib

    from release.services.github_actions import GitHubActions

    fake_github.add_workflow(REPO, "wheels.yml", artifacts={"sdist": {"a.tar.gz": "a"}})
    actions = GitHubActions(service(tmp_path))
    run = actions.dispatch("wheels.yml", "main", {"environment": "none"})
    while not actions.run(run.id).done:
        pass
    [artifact] = actions.artifacts(run.id)
    zipped = fake_github.repo(REPO).runs[run.id].artifacts[0].archive()
    assert artifact.digest == "sha256:" + hashlib.sha256(zipped).hexdigest()
    assert actions.download(artifact) == {"a.tar.gz": b"a"}
    other = dataclasses.replace(artifact, digest="sha256:" + "0" * 64)
    with pytest.raises(ServiceError, match="downloaded is not the one GitHub lists"):
        actions.download(other)
    assert actions.download(dataclasses.replace(artifact, digest=None)) == {"a.tar.gz": b"a"}
