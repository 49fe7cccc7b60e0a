"""The fake and the toolkit against GitHub's own contracts (vendored under tests/contracts from
@octokit/openapi and @octokit/graphql-schema): every GraphQL document the toolkit sends is valid
for GitHub's schema, the fake's schema is a true slice of it, every REST endpoint of the fake
stands for one of GitHub's operations, and the answer checker catches what it is there to catch."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from contracts.github_operations import OPERATIONS, READS
from contracts.openapi_check import check, spec
from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    parse,
    validate,
)

import release.fakes.github  # noqa: F401  (registers every route)
from release.fakes import github_graphql as fake_graphql
from release.fakes.github_rest import ROUTES
from release.services import github_graphql
from release.services.github_files import files_query
from release.services.github_triage import triage_query
from release.services.github_version import version_query

CONTRACTS = Path(__file__).resolve().parent / "contracts"
NOT_GITHUB_API = {  # the fake's endpoints that are not in GitHub's REST description, and why
    "GET /repos/{owner}/{repo}/git/refs(?:/{prefix})?": "PyGithub's older way to read refs",
    "GET /{owner}/{repo}/releases/download/{tag}/{name}": "a browser download, not the API",
}


@pytest.fixture(scope="module")
def github_schema() -> GraphQLSchema:
    return build_schema((CONTRACTS / "github-schema.graphql").read_text(encoding="utf-8"))


def test_the_vendored_contracts_say_where_they_came_from() -> None:
    sources = (CONTRACTS / "SOURCES.md").read_text(encoding="utf-8")
    assert re.search(r"`@octokit/openapi` \d+\.\d+\.\d+", sources)
    assert re.search(r"`@octokit/graphql-schema` \d+\.\d+\.\d+", sources)
    assert spec()["info"]["x-github-plan"] == "api.github.com"


@pytest.mark.parametrize("document", [
    github_graphql.BUDGET_QUERY,
    github_graphql.pull_query("numpy", "numpy", [1]),
    github_graphql.pull_query("scipy", "scipy", list(range(1, 101))),
    triage_query("numpy", "numpy", [1, 2, 3]),
    version_query("numpy", "numpy", "v2.4.0", ["prepare-2.4.0", "begin-2.4.1", "post-2.4.0-release-update"]),
    files_query("numpy", "numpy-release", [("maintenance/2.4.x", ".github/workflows/wheels.yml"),
                                            ("v2.4.0", "openblas_requirements.txt")]),
], ids=["budget", "one pull request", "a batch of 100", "labels and milestones", "a version for status",
        "files on branches"])
def test_every_document_the_toolkit_sends_is_valid_for_github(github_schema: GraphQLSchema,
                                                             document: str) -> None:
    assert validate(github_schema, parse(document)) == []


def test_a_document_github_would_refuse_is_caught(github_schema: GraphQLSchema) -> None:
    wrong = 'query { repository(owner: "a", name: "b") { pullRequest(number: 1) { author { name } } } }'
    [problem] = validate(github_schema, parse(wrong))
    assert "Cannot query field 'name' on type 'Actor'" in problem.message


def test_the_fakes_schema_is_a_slice_of_githubs(github_schema: GraphQLSchema) -> None:
    fake = build_schema(fake_graphql.SCHEMA_SDL)
    compared = 0
    for name, kind in fake.type_map.items():
        if name.startswith("__") or not isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
            continue
        real = github_schema.type_map[name]
        assert isinstance(real, type(kind)), name
        for field_name, field in kind.fields.items():
            assert field_name in real.fields, f"GitHub has no {name}.{field_name}"
            theirs = real.fields[field_name]
            assert str(field.type) == str(theirs.type), f"{name}.{field_name}"
            assert {a: str(v.type) for a, v in field.args.items()} == \
                {a: str(v.type) for a, v in theirs.args.items()}, f"{name}.{field_name} arguments"
            compared += 1
    assert compared >= 20


def test_every_rest_endpoint_of_the_fake_is_one_of_githubs_operations() -> None:
    names = {name for _, _, name, _ in ROUTES}
    unmapped = names - set(OPERATIONS) - set(NOT_GITHUB_API)
    assert unmapped == set(), "map them in tests/contracts/github_operations.py"
    for endpoint, path in OPERATIONS.items():
        method = endpoint.split(" ", 1)[0].lower()
        assert method in spec()["paths"][path], endpoint
    assert set(READS) <= set(OPERATIONS.values())


def _exchange(endpoint: str, status: int, body: object) -> dict[str, object]:
    return {"endpoint": endpoint, "status": status, "headers": {"Content-Type": "application/json"},
            "body": json.dumps(body)}


def test_the_checker_tells_breaks_from_deviations() -> None:
    asset = {"id": 1, "node_id": "x", "name": "a.txt", "label": "", "state": "uploaded",
             "content_type": "text/plain", "size": 3, "digest": None, "download_count": 0,
             "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
             "uploader": None, "url": "http://x/a", "browser_download_url": "http://x/b"}
    endpoint = "GET /repos/{owner}/{repo}/releases/assets/{asset}"
    fine = check([_exchange(endpoint, 200, asset)])
    assert (fine.checked, fine.bodies, sum(fine.breaks.values())) == (1, 1, 0)
    mistyped = check([_exchange(endpoint, 200, {**asset, "size": "3 bytes"})])
    assert list(mistyped.breaks) == [f"{endpoint} 200: size: '3 bytes' is not of type 'integer'"]
    unread = check([_exchange(endpoint, 200, {**asset, "download_count": "many"})])
    assert not unread.breaks and sum(unread.deviations.values()) == 1
    wrong_status = check([_exchange(endpoint, 201, asset)])
    assert len(wrong_status.breaks) == 1 and "status 201" in next(iter(wrong_status.breaks))
    moved = check([{"endpoint": "GET /repos/{owner}/{repo}/actions/artifacts/{artifact}/zip",
                    "status": 302, "headers": {}, "body": None}])
    assert list(moved.breaks) == ["GET /repos/{owner}/{repo}/actions/artifacts/{artifact}/zip 302: "
                                  "header Location missing"]
    run = "GET /repos/{owner}/{repo}/actions/runs/{run}"
    unchanged = check([{"endpoint": run, "status": 304, "headers": {"ETag": 'W/"1"'}, "body": None}])
    assert not unchanged.breaks and sum(unchanged.deviations.values()) == 1
    with_body = check([{"endpoint": run, "status": 304, "headers": {}, "body": "{}"}])
    assert list(with_body.breaks) == [f"{run} 304: a 304 with a body"]
