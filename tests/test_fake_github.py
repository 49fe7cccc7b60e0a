"""The fake GitHub speaks real HTTP to real PyGithub and keeps GitHub's rules."""

from __future__ import annotations

import io
import zipfile

import github
import pytest
import requests
from conftest import GITHUB_CANARY
from github import Auth

from release.fakes.github import FakeGitHub
from release.fakes.github_graphql import query_cost

REPO = "example/tinynum"


def client(gh: FakeGitHub, token: str = GITHUB_CANARY) -> github.Github:
    return github.Github(base_url=gh.api_url, auth=Auth.Token(token), retry=None,
                         seconds_between_requests=None, seconds_between_writes=None)


def graphql(gh: FakeGitHub, query: str, token: str = GITHUB_CANARY) -> requests.Response:
    return requests.post(gh.graphql_url, json={"query": query},
                         headers={"Authorization": f"bearer {token}"}, timeout=10)


def test_repository_users_and_refs(fake_github: FakeGitHub) -> None:
    fake_github.add_user("alice", "Alice Anders")
    fake_github.add_ref(REPO, "tags/v1.2.0", "c" * 40)
    repo = client(fake_github).get_repo(REPO)
    assert (repo.full_name, repo.default_branch) == (REPO, "main")
    assert client(fake_github).get_user("alice").name == "Alice Anders"
    assert repo.get_git_ref("tags/v1.2.0").object.sha == "c" * 40
    assert [ref.ref for ref in repo.get_git_matching_refs("tags/")] == ["refs/tags/v1.2.0"]
    with pytest.raises(github.UnknownObjectException):
        repo.get_git_ref("tags/v9.9.9")
    with pytest.raises(github.UnknownObjectException):
        client(fake_github).get_user("nobody")


def test_pull_requests_and_issues(fake_github: FakeGitHub) -> None:
    fake_github.add_ref(REPO, "heads/prep-1.2.0", "d" * 40)
    fake_github.add_pull(REPO, 5, "ENH: add tinynum.mean", "bob", body="Adds mean.")
    repo = client(fake_github).get_repo(REPO)
    seeded = repo.get_pull(5)
    assert (seeded.title, seeded.user.login, seeded.merged, seeded.state) == (
        "ENH: add tinynum.mean", "bob", True, "closed")

    created = repo.create_pull(title="REL: prepare 1.2.0", body="notes", head="prep-1.2.0", base="main")
    assert created.number == 6 and created.head.sha == "d" * 40
    listed = repo.get_pulls(state="open", head="example:prep-1.2.0", base="main")
    assert [p.number for p in listed] == [6]
    assert list(repo.get_pulls(state="open", head="example:other")) == []
    with pytest.raises(github.GithubException) as duplicate:
        repo.create_pull(title="again", body="", head="prep-1.2.0", base="main")
    assert duplicate.value.status == 422 and "already exists" in str(duplicate.value.data)

    issue = repo.create_issue(title="Update .mailmap", body="names")
    assert issue.number == 7 and repo.get_issue(7).title == "Update .mailmap"
    assert {i.number for i in repo.get_issues(state="all")} == {5, 6, 7}


def test_pagination_follows_link_headers(fake_github: FakeGitHub) -> None:
    for number in range(1, 251):
        fake_github.add_pull(REPO, number, f"PR {number}", "bob")
    g = github.Github(base_url=fake_github.api_url, auth=Auth.Token(GITHUB_CANARY), per_page=100,
                      seconds_between_requests=None, seconds_between_writes=None)
    numbers = [p.number for p in g.get_repo(REPO).get_pulls(state="closed")]
    assert numbers == list(range(250, 0, -1))
    assert fake_github.rest_calls["GET /repos/{owner}/{repo}/pulls"] == 3


def test_release_draft_assets_publish_and_immutability(fake_github: FakeGitHub) -> None:
    repo = client(fake_github).get_repo(REPO)
    draft = repo.create_git_release("v1.2.0", "v1.2.0 (2025-03-30)", "Notes", draft=True)
    with pytest.raises(github.UnknownObjectException):
        repo.get_release("v1.2.0")  # drafts are not found by tag, as on GitHub
    asset = draft.upload_asset_from_memory(io.BytesIO(b"sdist bytes"), 11, "tinynum-1.2.0.tar.gz")
    assert asset.size == 11
    assert asset.digest == "sha256:" + __import__("hashlib").sha256(b"sdist bytes").hexdigest()
    spare = draft.upload_asset_from_memory(io.BytesIO(b"x"), 1, "spare.txt")
    spare.delete_asset()  # fine while a draft
    assert [a.name for a in repo.get_release(draft.id).get_assets()] == ["tinynum-1.2.0.tar.gz"]

    published = draft.update_release("v1.2.0 (2025-03-30)", "Notes", draft=False)
    assert not published.draft and repo.get_release("v1.2.0").id == draft.id
    assert repo.get_git_ref("tags/v1.2.0")  # publishing creates the tag when it is missing

    for attempt in (lambda: published.upload_asset_from_memory(io.BytesIO(b"y"), 1, "late.txt"),
                    lambda: published.get_assets()[0].delete_asset(),
                    lambda: published.get_assets()[0].update_asset("renamed.tar.gz"),
                    lambda: repo.create_git_release("v1.2.0", "again", "", draft=False)):
        with pytest.raises(github.GithubException) as refused:
            attempt()
        assert refused.value.status == 422
    published.delete_release()
    with pytest.raises(github.GithubException) as burned:
        repo.create_git_release("v1.2.0", "again", "", draft=False)
    assert "tag_name was used by an immutable release" in str(burned.value.data)


def test_asset_download_both_ways(fake_github: FakeGitHub) -> None:
    repo = client(fake_github).get_repo(REPO)
    release = repo.create_git_release("v1.1.0", "v1.1.0", "", draft=True)
    release.upload_asset_from_memory(io.BytesIO(b"changelog"), 9, "1.1.0-changelog.rst")
    release = release.update_release("v1.1.0", "", draft=False)
    asset = release.get_assets()[0]
    _, _, chunks = asset.download_asset()
    assert b"".join(chunks) == b"changelog"
    assert requests.get(asset.browser_download_url, timeout=10).content == b"changelog"


def test_mutable_repository_allows_changes_after_publishing(fake_github: FakeGitHub) -> None:
    fake_github.add_repo("example/mutable", immutable=False)
    repo = client(fake_github).get_repo("example/mutable")
    release = repo.create_git_release("v1.0.0", "v1.0.0", "", draft=False)
    release.upload_asset_from_memory(io.BytesIO(b"z"), 1, "late.txt").delete_asset()


def test_workflow_dispatch_runs_progress_and_artifacts(fake_github: FakeGitHub) -> None:
    fake_github.add_ref(REPO, "heads/maintenance/1.2.x", "e" * 40)
    fake_github.add_workflow(REPO, "wheels.yml", "Wheel builder", artifacts={
        "cp312-manylinux_x86_64-": {"tinynum-1.2.0-cp312-cp312-manylinux_x86_64.whl": b"wheel"},
        "sdist": {"tinynum-1.2.0.tar.gz": b"sdist"}})
    repo = client(fake_github).get_repo(REPO)
    workflow = repo.get_workflow("wheels.yml")
    assert workflow.create_dispatch("maintenance/1.2.x", {"environment": "none"}, throw=True)
    assert fake_github.dispatches(REPO) == [("wheels.yml", "maintenance/1.2.x", {"environment": "none"})]
    run = repo.get_workflow_runs(event="workflow_dispatch", branch="maintenance/1.2.x")[0]  # type: ignore[arg-type]  # PyGithub sends a name as it is
    assert (run.status, run.head_sha) == ("queued", "e" * 40)
    assert repo.get_workflow_run(run.id).status == "in_progress"
    finished = repo.get_workflow_run(run.id)
    assert (finished.status, finished.conclusion) == ("completed", "success")
    artifacts = {a.name: a for a in finished.get_artifacts()}
    assert set(artifacts) == {"cp312-manylinux_x86_64-", "sdist"}
    response = requests.get(artifacts["sdist"].archive_download_url, timeout=10,
                            headers={"Authorization": f"bearer {GITHUB_CANARY}"})
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.read("tinynum-1.2.0.tar.gz") == b"sdist"
    with pytest.raises(github.GithubException) as bad_ref:
        workflow.create_dispatch("no-such-branch", {}, throw=True)
    assert bad_ref.value.status == 422


def test_graphql_aliases_cost_and_not_found(fake_github: FakeGitHub) -> None:
    fake_github.add_pull(REPO, 5, "ENH: mean", "bob")
    fake_github.add_pull(REPO, 6, "DOC: rules", "dana")
    query = ('query { rateLimit { cost remaining limit resetAt } repository(owner: "example", '
             'name: "tinynum") { pr5: pullRequest(number: 5) { number title author { login } } '
             'pr6: pullRequest(number: 6) { number title author { login } } '
             'pr99: pullRequest(number: 99) { number title } } }')
    body = graphql(fake_github, query).json()
    pulls = body["data"]["repository"]
    assert pulls["pr5"] == {"number": 5, "title": "ENH: mean", "author": {"login": "bob"}}
    assert pulls["pr6"]["author"] == {"login": "dana"} and pulls["pr99"] is None
    assert body["errors"][0]["type"] == "NOT_FOUND" and body["errors"][0]["path"] == ["repository", "pr99"]
    assert body["data"]["rateLimit"] == {"cost": 1, "remaining": 4999, "limit": 5000,
                                         "resetAt": "2026-01-01T01:00:00Z"}  # what was asked
    assert (fake_github.graphql_calls, fake_github.graphql_points) == (1, 1)


def test_graphql_cost_follows_githubs_rule() -> None:
    assert query_cost("query { viewer { login } }") == 1
    # 1 request for the issues connection + 50 for the labels of each issue = 51 -> 1 point
    assert query_cost("{ repository(owner:\"a\", name:\"b\") { issues(first: 50) "
                      "{ nodes { labels(first: 60) { nodes { name } } } } } }") == 1
    # 1 + 100 + 100*100 = 10,101 requests -> 101 points
    assert query_cost("{ search(first: 100, query: \"x\") { nodes { ... on Issue { comments(first: 100) "
                      "{ nodes { reactions(first: 100) { totalCount } } } } } } }") == 101


def test_graphql_budget_runs_out(fake_github: FakeGitHub) -> None:
    fake_github.set_graphql_budget(0)
    body = graphql(fake_github, "query { rateLimit { remaining } }").json()
    assert body["errors"][0]["type"] == "RATE_LIMITED"


def test_tokens_rights_and_failure_injection() -> None:
    with FakeGitHub(tokens={"writer": "write", "reader": "read"}) as gh:
        gh.add_repo(REPO)
        with pytest.raises(github.BadCredentialsException):
            client(gh, "wrong").get_repo(REPO)
        reader = client(gh, "reader").get_repo(REPO)
        with pytest.raises(github.GithubException) as no_rights:
            reader.create_issue(title="t")
        assert no_rights.value.status == 403
        assert client(gh, "writer").get_repo(REPO).create_issue(title="t").number == 1
        assert graphql(gh, "query { rateLimit { cost } }", token="wrong").status_code == 401
        assert gh.authorized_requests == 6 and gh.anonymous_requests == 0

        gh.fail_next(2, 503, scope="graphql")
        statuses = [graphql(gh, "{ rateLimit { cost } }", "writer").status_code for _ in range(3)]
        assert statuses == [503, 503, 200]
        gh.secondary_limit_next(retry_after=7)
        limited = requests.get(f"{gh.api_url}/repos/{REPO}", timeout=10)
        assert limited.status_code == 403 and limited.headers["Retry-After"] == "7"
        assert "secondary rate limit" in limited.json()["message"]
        gh.exhaust_rate_limit(429)
        exhausted = requests.get(f"{gh.api_url}/repos/{REPO}", timeout=10)
        assert exhausted.status_code == 429 and exhausted.headers["X-RateLimit-Remaining"] == "0"
        assert int(exhausted.headers["X-RateLimit-Reset"]) > 0


def test_rate_limit_endpoint_counts_what_was_used() -> None:
    """`GET /rate_limit` (free, as on GitHub) reports REST calls made and GraphQL points spent."""
    with FakeGitHub(tokens={"reader": "read"}, rest_limit=100, graphql_limit=50) as gh:
        gh.add_repo(REPO)
        g = client(gh, "reader")
        g.get_repo(REPO)
        graphql(gh, "{ rateLimit { cost } }", token="reader")
        overview = g.get_rate_limit()
        assert (overview.resources.core.limit, overview.resources.core.remaining) == (100, 99)
        assert (overview.resources.graphql.limit, overview.resources.graphql.remaining) == (50, 49)
        assert g.get_rate_limit().resources.core.remaining == 99
        assert gh.rest_calls == {"GET /repos/{owner}/{repo}": 1, "GET /rate_limit": 2}
        assert (gh.graphql_calls, gh.graphql_points, gh.total_requests) == (1, 1, 4)


def test_latency_is_spent_on_every_request() -> None:
    waits: list[float] = []
    with FakeGitHub(tokens={"reader": "read"}, latency=0.05, sleep=waits.append) as gh:
        gh.add_repo(REPO)
        client(gh, "reader").get_repo(REPO)
        graphql(gh, "{ rateLimit { cost } }", token="reader")
        requests.get(f"{gh.api_url}/repos/{REPO}/pulls/1", timeout=10)
    assert waits == [0.05, 0.05, 0.05]


def test_a_bad_page_number_is_a_422_not_a_dropped_connection() -> None:
    import requests

    from release.fakes.github import FakeGitHub

    with FakeGitHub() as gh:
        gh.add_repo("example/tinynum")
        response = requests.get(f"{gh.api_url}/repos/example/tinynum/pulls?page=two",
                                headers={"Authorization": "token t"}, timeout=10)
        assert response.status_code == 422
        assert response.json()["message"] == "Validation Failed"


# --- conditional requests -------------------------------------------------------------------


def test_a_matching_if_none_match_is_a_free_304_without_a_body() -> None:
    """GitHub: GETs carry an ETag; a conditional request that matches it is answered 304 with
    no body, the same ETag and the rate-limit headers, and costs nothing when authorized."""
    with FakeGitHub(tokens={"reader": "read"}, rest_limit=100) as gh:
        gh.add_repo(REPO)
        url = f"{gh.api_url}/repos/{REPO}"
        auth = {"Authorization": "token reader"}
        first = requests.get(url, headers=auth, timeout=10)
        tag = first.headers["ETag"]
        assert tag.startswith('W/"') and tag.endswith('"') and first.json()["full_name"] == REPO
        for condition in (tag, tag.removeprefix("W/"), f'"other", {tag}', "*"):
            again = requests.get(url, headers={**auth, "If-None-Match": condition}, timeout=10)
            assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", tag)
            assert again.headers["X-RateLimit-Remaining"] == "99"
            assert "Content-Type" not in again.headers
        assert gh.free_calls == {"GET /repos/{owner}/{repo}": 4}
        assert (sum(gh.rest_calls.values()), gh.counted_rest, gh.rest_remaining) == (5, 1, 99)
        stale = requests.get(url, headers={**auth, "If-None-Match": '"other"'}, timeout=10)
        assert stale.status_code == 200 and stale.headers["ETag"] == tag
        seen = requests.get(url, timeout=10).headers["ETag"]
        assert seen != tag  # anonymous, the answer has no `permissions`: another ETag
        anonymous = requests.get(url, headers={"If-None-Match": seen}, timeout=10)
        assert anonymous.status_code == 304  # answered alike, but counted: no Authorization
        assert (gh.counted_rest, gh.rest_remaining) == (4, 96)


def test_the_etag_changes_when_what_the_endpoint_returns_changes() -> None:
    """A poll never misses a change: a run's ETag moves with its status, an unchanged run's
    stays, and a kept ETag no longer matches once the run moved on."""
    with FakeGitHub(tokens={"t": "write"}, run_polls=3) as gh:
        gh.add_repo(REPO)
        gh.add_workflow(REPO, "wheels.yml")
        run_id = gh.start_run(REPO, "wheels.yml", "main", "release-manager")
        url = f"{gh.api_url}/repos/{REPO}/actions/runs/{run_id}"
        auth = {"Authorization": "token t"}
        looks = [requests.get(url, headers=auth, timeout=10) for _ in range(4)]
        statuses = [look.json()["status"] for look in looks]
        assert statuses == ["queued", "in_progress", "in_progress", "completed"]
        tags = [look.headers["ETag"] for look in looks]
        assert tags[1] == tags[2] and len({tags[0], tags[1], tags[3]}) == 3
        moved = requests.get(url, headers={**auth, "If-None-Match": tags[1]}, timeout=10)
        assert moved.status_code == 200 and moved.json()["conclusion"] == "success"
        assert moved.headers["ETag"] == tags[3]


def test_a_304_gives_back_the_json_the_poll_kept() -> None:
    from release.services.github import GitHubService
    from release.services.github_actions import GitHubActions, Poll

    with FakeGitHub(tokens={"t": "write"}, run_polls=4) as gh:
        gh.add_repo(REPO)
        gh.add_workflow(REPO, "wheels.yml")
        run_id = gh.start_run(REPO, "wheels.yml", "main", "release-manager")
        actions = GitHubActions(GitHubService(REPO, token="t", api_url=gh.api_url))
        poll = Poll()
        assert actions.run(run_id, poll).status == "queued"
        first = actions.run(run_id, poll)
        assert first.status == "in_progress" and poll.unchanged == 0
        assert actions.run(run_id, poll) == first and poll.unchanged == 1  # the 304's: no body
        assert gh.free_calls == {"GET /repos/{owner}/{repo}/actions/runs/{run}": 1}
        assert actions.run(run_id).status == "in_progress"  # outside a poll: unconditional
        assert actions.run(run_id, poll).status == "completed" and poll.unchanged == 1
