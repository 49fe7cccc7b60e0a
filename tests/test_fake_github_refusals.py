"""What GitHub refuses, the fake refuses too, with GitHub's status and message shape (asked over
HTTP, as the toolkit asks). The messages are GitHub's own, as seen in public reports of them and
in PyGithub's recordings."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests

from release.fakes.github import FakeGitHub
from release.fakes.github_tokens import Token

REPO = "example/tinynum"
WORKFLOW = "wheels.yml"
AUTH = {"Authorization": "bearer writer"}
DISPATCH_DOCS = "https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event"


@pytest.fixture
def gh() -> Any:
    tokens: dict[str, str | Token] = {
        "writer": "write", "reader": "read",
        "no-pulls": Token({"contents": "write", "issues": "write", "actions": "write"}),
        "classic-read": Token({"contents": "read", "pull_requests": "read"}, kind="classic")}
    with FakeGitHub(tokens=tokens, run_polls=1) as fake:
        fake.add_repo(REPO)
        fake.add_ref(REPO, "heads/maintenance/1.2.x", "e" * 40)
        fake.add_workflow(REPO, WORKFLOW, artifacts={"sdist": {"tinynum-1.2.0.tar.gz": b"sdist"}})
        yield fake


def dispatch(gh: FakeGitHub, inputs: Any, ref: str = "maintenance/1.2.x",
             workflow: str = WORKFLOW) -> requests.Response:
    return requests.post(f"{gh.api_url}/repos/{REPO}/actions/workflows/{workflow}/dispatches",
                         json={"ref": ref, "inputs": inputs}, headers=AUTH, timeout=10)


def top_level(response: requests.Response, status: int, message: str, docs: str) -> None:
    """GitHub's plain refusal: the message at the top level, no `errors`, the status as text."""
    assert response.status_code == status
    assert response.json() == {"message": message, "documentation_url": docs, "status": str(status)}


@pytest.mark.parametrize(("inputs", "message"), [
    ({"environment": "none", "target": "x"}, 'Unexpected inputs provided: ["target"]'),
    ({}, "Required input 'environment' not provided"),
    ({"environment": "staging"},
     "Provided value 'staging' for input 'environment' not in the list of allowed values"),
    ({f"i{n}": "x" for n in range(26)},
     "Invalid request.\n\nNo more than 25 properties are allowed; 26 were supplied."),
])
def test_dispatch_inputs_must_fit_the_workflow_file(gh: FakeGitHub, inputs: dict[str, str],
                                                    message: str) -> None:
    top_level(dispatch(gh, inputs), 422, message, DISPATCH_DOCS)
    assert gh.dispatches(REPO) == []  # nothing started


def test_dispatch_needs_the_trigger_and_the_ref(gh: FakeGitHub) -> None:
    gh.add_workflow(REPO, "ci.yml", source="on:\n  push:\n    branches: [main]\n")
    top_level(dispatch(gh, {}, workflow="ci.yml"), 422,
              "Workflow does not have 'workflow_dispatch' trigger", DISPATCH_DOCS)
    top_level(dispatch(gh, {"environment": "none"}, ref="maintenance/9.9.x"), 422,
              "No ref found for: maintenance/9.9.x", DISPATCH_DOCS)
    fine = dispatch(gh, {"environment": "none"})
    assert fine.status_code == 204 and gh.dispatches(REPO) == [
        (WORKFLOW, "maintenance/1.2.x", {"environment": "none"})]


def test_a_declared_default_fills_a_left_out_input(gh: FakeGitHub) -> None:
    gh.add_workflow(REPO, "docs.yml", source=(
        "on:\n  workflow_dispatch:\n    inputs:\n      target:\n        required: true\n"
        "        default: html\n"))
    assert dispatch(gh, {}, workflow="docs.yml").status_code == 204
    assert gh.dispatches(REPO)[-1] == ("docs.yml", "maintenance/1.2.x", {"target": "html"})


def pull(gh: FakeGitHub, head: str, base: str = "main", token: str = "writer") -> requests.Response:
    return requests.post(f"{gh.api_url}/repos/{REPO}/pulls", timeout=10,
                         headers={"Authorization": f"bearer {token}"},
                         json={"title": "REL: 1.2.0", "head": head, "base": base})


def validation_failed(response: requests.Response, error: dict[str, str]) -> None:
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Validation Failed" and body["errors"] == [error]
    assert body["documentation_url"] == "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"


def test_pull_request_heads_exist_only_when_pushed(gh: FakeGitHub, tmp_path: Path) -> None:
    invalid_head = {"resource": "PullRequest", "field": "head", "code": "invalid"}
    validation_failed(pull(gh, "alice:prepare-1.2.0"), invalid_head)  # no fork at all
    bare = tmp_path / "fork.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    gh.add_fork(REPO, "alice", git_dir=bare)
    validation_failed(pull(gh, "alice:prepare-1.2.0"), invalid_head)  # a fork, not pushed
    work = tmp_path / "work"
    subprocess.run(["git", "init", "--quiet", "-b", "prepare-1.2.0", str(work)], check=True)
    subprocess.run(["git", "-C", str(work), "-c", "user.name=A", "-c", "user.email=a@x",
                    "commit", "--quiet", "--allow-empty", "-m", "REL"], check=True)
    subprocess.run(["git", "-C", str(work), "push", "--quiet", str(bare), "prepare-1.2.0"],
                   check=True)
    made = pull(gh, "alice:prepare-1.2.0")
    assert made.status_code == 201 and made.headers["Location"] == made.json()["url"]
    assert made.json()["head"]["repo"]["full_name"] == "alice/tinynum"
    validation_failed(pull(gh, "alice:prepare-1.2.0"), {
        "resource": "PullRequest", "code": "custom",
        "message": "A pull request already exists for alice:prepare-1.2.0."})


def test_a_pull_request_needs_commits_the_base_lacks(gh: FakeGitHub) -> None:
    validation_failed(pull(gh, "main"), {"resource": "PullRequest", "code": "custom",
                                         "message": "No commits between main and main"})
    validation_failed(pull(gh, "maintenance/1.2.x", base="nowhere"),
                      {"resource": "PullRequest", "field": "base", "code": "invalid"})


def test_missing_permissions_get_githubs_answers(gh: FakeGitHub) -> None:
    gh.add_ref(REPO, "heads/prepare", "f" * 40)
    refused = pull(gh, "prepare", token="no-pulls")
    assert refused.status_code == 403
    assert refused.json()["message"] == "Resource not accessible by personal access token"
    assert refused.headers["X-Accepted-GitHub-Permissions"] == "pull_requests=write"
    hidden = pull(gh, "prepare", token="classic-read")  # a classic token: as if not there
    assert hidden.status_code == 404 and hidden.json()["message"] == "Not Found"
    assert hidden.headers["X-Accepted-OAuth-Scopes"] == "repo"
    assert pull(gh, "prepare").status_code == 201


def test_downloads_redirect_to_short_lived_links(gh: FakeGitHub) -> None:
    now = [1_900_000_000.0]
    gh.clock = gh.links.clock = lambda: now[0]
    assert dispatch(gh, {"environment": "none"}).status_code == 204
    run_id = next(iter(gh.repo(REPO).runs))
    base = f"{gh.api_url}/repos/{REPO}/actions"
    for _ in range(2):  # queued, then completed with its artifacts
        requests.get(f"{base}/runs/{run_id}", headers=AUTH, timeout=10)
    [artifact] = requests.get(f"{base}/runs/{run_id}/artifacts", headers=AUTH,
                              timeout=10).json()["artifacts"]
    url = artifact["archive_download_url"]
    assert requests.get(url, timeout=10).status_code == 401  # artifacts need a token
    found = requests.get(url, headers=AUTH, timeout=10, allow_redirects=False)
    assert found.status_code == 302 and found.content == b""
    link = found.headers["Location"]
    assert requests.get(link, timeout=10).content[:2] == b"PK"  # the link is the key
    now[0] += 61
    assert requests.get(link, timeout=10).status_code == 403  # a minute later: expired
    gh.expire_artifacts(REPO)
    gone = requests.get(url, headers=AUTH, timeout=10)
    assert gone.status_code == 410 and gone.json()["message"] == "Artifact has expired"


def test_assets_redirect_carry_location_and_may_lack_a_digest(gh: FakeGitHub) -> None:
    api = f"{gh.api_url}/repos/{REPO}"
    made = requests.post(f"{api}/releases", json={"tag_name": "v1.2.0", "draft": True},
                         headers=AUTH, timeout=10)
    assert made.status_code == 201 and made.headers["Location"] == made.json()["url"]
    upload = made.json()["upload_url"].split("{")[0]
    asset = requests.post(upload, params={"name": "a.txt"}, data=b"abc", timeout=10,
                          headers={**AUTH, "Content-Type": "text/plain"})
    assert asset.status_code == 201 and asset.headers["Location"] == asset.json()["url"]
    assert asset.json()["digest"].startswith("sha256:")
    raw = requests.get(asset.json()["url"], allow_redirects=False, timeout=10,
                       headers={**AUTH, "Accept": "application/octet-stream"})
    assert raw.status_code == 302 and requests.get(raw.headers["Location"], timeout=10).content == b"abc"
    gh.drop_digests(REPO)
    assert requests.get(asset.json()["url"], headers=AUTH, timeout=10).json()["digest"] is None
    requests.patch(made.json()["url"], json={"draft": False}, headers=AUTH, timeout=10)
    late = requests.post(upload, params={"name": "b.txt"}, data=b"b", timeout=10,
                         headers={**AUTH, "Content-Type": "text/plain"})
    assert late.status_code == 422  # GitHub's top-level message, no `errors`
    assert late.json()["message"] == "Cannot upload assets to an immutable release."
    assert "errors" not in late.json()


def test_drafts_are_listed_only_with_push_access(gh: FakeGitHub) -> None:
    api = f"{gh.api_url}/repos/{REPO}/releases"
    draft = requests.post(api, json={"tag_name": "v1.2.0", "draft": True}, headers=AUTH,
                          timeout=10).json()
    assert [r["id"] for r in requests.get(api, headers=AUTH, timeout=10).json()] == [draft["id"]]
    assert requests.get(api, headers={"Authorization": "bearer reader"}, timeout=10).json() == []
    assert requests.get(api, timeout=10).json() == []
    assert requests.get(draft["url"], timeout=10).status_code == 404


def graphql(gh: FakeGitHub, query: str) -> requests.Response:
    return requests.post(gh.graphql_url, json={"query": query}, headers=AUTH, timeout=10)


def test_graphql_refuses_bad_documents(gh: FakeGitHub) -> None:
    broken = graphql(gh, "query { rateLimit { cost }").json()
    assert "data" not in broken and broken["errors"][0]["message"].startswith("Parse error")
    assert broken["errors"][0]["locations"] == [{"line": 1, "column": 27}]
    unknown = graphql(gh, 'query { repository(owner: "example", name: "tinynum") { stars } }')
    assert unknown.status_code == 200 and "data" not in unknown.json()
    assert unknown.json()["errors"] == [{
        "message": "Field 'stars' doesn't exist on type 'Repository'",
        "locations": [{"line": 1, "column": 57}],
        "extensions": {"code": "undefinedField", "typeName": "Repository", "fieldName": "stars"}}]
    assert unknown.headers["X-RateLimit-Resource"] == "graphql"
    assert gh.graphql_points == 0  # refused documents cost nothing


@pytest.mark.parametrize("spelling", ["RATE_LIMITED", "RATE_LIMIT"])
def test_graphql_rate_limit_both_spellings(spelling: str) -> None:
    with FakeGitHub(graphql_limit_type=spelling) as gh:
        gh.set_graphql_budget(0)
        answer = requests.post(gh.graphql_url, json={"query": "{ rateLimit { cost } }"},
                               headers=AUTH, timeout=10)
    [problem] = answer.json()["errors"]
    assert problem["type"] == spelling and "rate limit" in problem["message"]
    assert problem.get("code") == ("graphql_rate_limit" if spelling == "RATE_LIMIT" else None)
    assert answer.headers["X-RateLimit-Resource"] == "graphql"
    assert answer.headers["X-RateLimit-Remaining"] == "0"


def test_enterprise_dispatch_answers_204_and_lists_the_run_later() -> None:
    with FakeGitHub(enterprise=True) as gh:
        gh.add_repo(REPO)
        gh.add_workflow(REPO, WORKFLOW)
        answer = requests.post(f"{gh.api_url}/repos/{REPO}/actions/workflows/{WORKFLOW}/dispatches",
                               json={"ref": "main", "inputs": {"environment": "none"},
                                     "return_run_details": True}, headers=AUTH, timeout=10)
        assert answer.status_code == 204 and answer.content == b""
        runs = f"{gh.api_url}/repos/{REPO}/actions/workflows/{WORKFLOW}/runs"
        counts = [requests.get(runs, headers=AUTH, timeout=10).json()["total_count"]
                  for _ in range(4)]
    assert counts == [0, 0, 0, 1]
