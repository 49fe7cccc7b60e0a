"""The fake GitHub's GraphQL subset: `rateLimit`, aliased `repository { pullRequest(number:) }`,
a repository's `pullRequests` by head branch, a `release(tagName:)` with its assets, and files as
`object(expression: "REF:PATH") { ... on Blob { text } }`.

Queries are parsed, validated and executed by graphql-core against `SCHEMA`, a slice of GitHub's
own schema (same type and field names; the test suite checks each against GitHub's published
schema), so a syntax error or an unknown field gets GitHub's `errors` answer and no data. Cost
follows GitHub's published rule: the number of requests needed to fill every connection (`first` /
`last`, nested multiplicatively), divided by 100, rounded, at least 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, build_schema, execute_sync, parse, validate

from release.fakes.github_rest_contents import blob_sha, has_ref, ref_name
from release.fakes.github_state import Pull, Repo, World

SCHEMA_SDL = """
scalar DateTime
scalar GitObjectID
scalar URI

type Query {
  rateLimit(dryRun: Boolean = false): RateLimit
  repository(followRenames: Boolean = true, name: String!, owner: String!): Repository
}

type RateLimit {
  cost: Int!
  limit: Int!
  nodeCount: Int!
  remaining: Int!
  resetAt: DateTime!
  used: Int!
}

type Repository {
  name: String!
  nameWithOwner: String!
  pullRequest(number: Int!): PullRequest
  pullRequests(after: String, baseRefName: String, before: String, first: Int, headRefName: String,
               labels: [String!], last: Int, orderBy: IssueOrder,
               states: [PullRequestState!]): PullRequestConnection!
  object(expression: String, oid: GitObjectID): GitObject
  release(tagName: String!): Release
}

interface GitObject {
  abbreviatedOid: String!
  oid: GitObjectID!
}

type Blob implements GitObject {
  abbreviatedOid: String!
  byteSize: Int!
  isBinary: Boolean
  isTruncated: Boolean!
  oid: GitObjectID!
  text: String
}

type PullRequestConnection {
  nodes: [PullRequest]
  totalCount: Int!
}

input IssueOrder {
  direction: OrderDirection!
  field: IssueOrderField!
}

enum IssueOrderField {
  COMMENTS
  CREATED_AT
  UPDATED_AT
}

type Release {
  isDraft: Boolean!
  isPrerelease: Boolean!
  name: String
  releaseAssets(after: String, before: String, first: Int, last: Int, name: String): ReleaseAssetConnection!
  tagName: String!
  url: URI!
}

type ReleaseAssetConnection {
  nodes: [ReleaseAsset]
  totalCount: Int!
}

type ReleaseAsset {
  name: String!
  size: Int!
}

enum PullRequestState {
  CLOSED
  MERGED
  OPEN
}

type Commit {
  oid: GitObjectID!
}

type Label {
  name: String!
}

type LabelConnection {
  nodes: [Label]
}

input LabelOrder {
  direction: OrderDirection!
  field: LabelOrderField!
}

enum LabelOrderField {
  CREATED_AT
  NAME
}

type Milestone {
  title: String!
}

enum OrderDirection {
  ASC
  DESC
}

interface Actor {
  login: String!
  url: URI!
}

type User implements Actor {
  login: String!
  name: String
  url: URI!
}

type PullRequest {
  author: Actor
  baseRefName: String!
  body: String!
  headRefName: String!
  labels(after: String, before: String, first: Int, last: Int, orderBy: LabelOrder): LabelConnection
  mergeCommit: Commit
  milestone: Milestone
  merged: Boolean!
  number: Int!
  state: PullRequestState!
  title: String!
  url: URI!
}
"""


@dataclass
class Budget:
    limit: int
    remaining: int
    reset_at: str
    used: int = 0


def query_cost(query: str) -> int:
    """GitHub's cost: requests to fill each connection (parents multiply), / 100, at least 1."""
    requests = 0
    multipliers = [1]
    pending: int | None = None
    position = 0
    for match in re.finditer(r"[{}]|\((?:[^()]*)\)", query):
        if match.start() < position:
            continue
        token = match.group(0)
        if token.startswith("("):
            size = re.search(r"\b(?:first|last)\s*:\s*(\d+)", token)
            pending = int(size.group(1)) if size else None
        elif token == "{":
            if pending is not None:
                requests += multipliers[-1]
                multipliers.append(multipliers[-1] * pending)
            else:
                multipliers.append(multipliers[-1])
            pending = None
        else:
            if len(multipliers) > 1:
                multipliers.pop()
            pending = None
        position = match.end()
    return max(1, round(requests / 100))


SCHEMA = build_schema(SCHEMA_SDL)
SCHEMA.type_map["Actor"].resolve_type = lambda value, info, kind: "User"  # type: ignore[attr-defined]


class _NotFound(GraphQLError):
    """GitHub's NOT_FOUND: the field is null and the error says so, with `type` at the top."""


def _repository(root: dict[str, Any], info: GraphQLResolveInfo[Any], owner: str, name: str,
                **_: Any) -> dict[str, Any]:
    world: World = info.context["world"]
    repo = world.repo(owner, name)
    if repo is None:
        raise _NotFound(f"Could not resolve to a Repository with the name '{owner}/{name}'.")
    return {"name": repo.name, "nameWithOwner": repo.full_name, "repo": repo}


def _pull_request(parent: dict[str, Any], info: GraphQLResolveInfo[Any], number: int) -> dict[str, Any]:
    repo: Repo = parent["repo"]
    pull = repo.pulls.get(number)
    if pull is None:
        raise _NotFound(f"Could not resolve to a PullRequest with the number of {number}.")
    return _pull_values(info.context["world"], repo, pull, info.context["root"])


def _pull_values(world: World, repo: Repo, pull: Pull, root: str) -> dict[str, Any]:
    user = world.user(pull.user)
    author = None if user.login == "ghost" else {
        "login": user.login, "name": user.name, "url": f"{root}/{user.login}"}
    return {
        "number": pull.number,
        "title": pull.title,
        "body": pull.body,
        "state": "MERGED" if pull.merged else pull.state.upper(),
        "merged": pull.merged,
        "url": f"{root}/{repo.full_name}/pull/{pull.number}",
        "baseRefName": pull.base,
        "headRefName": pull.head.rpartition(":")[2],
        "author": author,
        "mergeCommit": {"oid": pull.merge_commit} if pull.merge_commit else None,
        "labels": {"nodes": [{"name": label} for label in pull.labels]},
        "milestone": {"title": pull.milestone} if pull.milestone else None,
    }


def _pull_requests(parent: dict[str, Any], info: GraphQLResolveInfo[Any], *, headRefName: str | None = None,
                   baseRefName: str | None = None, states: list[str] | None = None,
                   first: int | None = None, last: int | None = None,
                   orderBy: dict[str, str] | None = None, **_: Any) -> dict[str, Any]:
    """Pull requests by their head branch (any fork's), base and state; newest first when asked
    for by CREATED_AT DESC (numbers grow with time, as creation order does)."""
    repo: Repo = parent["repo"]
    values = [_pull_values(info.context["world"], repo, pull, info.context["root"])
              for pull in repo.pulls.values()]
    found = [v for v in values if (headRefName is None or v["headRefName"] == headRefName)
             and (baseRefName is None or v["baseRefName"] == baseRefName)
             and (states is None or v["state"] in states)]
    newest_first = (orderBy or {}).get("direction") == "DESC"
    found.sort(key=lambda v: int(v["number"]), reverse=newest_first)
    return {"nodes": _window(found, first, last), "totalCount": len(found)}


def _window(items: list[Any], first: int | None, last: int | None) -> list[Any]:
    """A connection's page; GitHub refuses neither first nor last only past 100 and at once."""
    if first is not None:
        return items[:first]
    if last is not None:
        return items[-last:] if last else []
    return items


def _release(parent: dict[str, Any], info: GraphQLResolveInfo[Any], tagName: str) -> dict[str, Any] | None:
    """The release for a tag, a draft included (by its pending tag), as GitHub finds it."""
    repo: Repo = parent["repo"]
    found = [r for r in repo.releases.values() if r.tag_name == tagName]
    if not found:
        return None
    release = min(found, key=lambda r: r.id)
    root = info.context["root"]
    assets = [{"name": a.name, "size": len(a.data)} for a in release.assets.values()]
    return {
        "tagName": release.tag_name, "name": release.name or None, "isDraft": release.draft,
        "isPrerelease": release.prerelease,
        "url": f"{root}/{repo.full_name}/releases/tag/{release.tag_name}",
        "assets": assets,
    }


def _release_assets(parent: dict[str, Any], info: GraphQLResolveInfo[Any], *, first: int | None = None,
                    last: int | None = None, name: str | None = None, **_: Any) -> dict[str, Any]:
    found = [a for a in parent["assets"] if name is None or a["name"] == name]
    return {"nodes": _window(found, first, last), "totalCount": len(found)}


def _object(parent: dict[str, Any], info: GraphQLResolveInfo[Any], expression: str | None = None,
            **_: Any) -> dict[str, Any] | None:
    """A file at `REF:PATH`, as a Blob; null for a ref or path the repository does not have
    (GitHub answers null there, with no error)."""
    repo: Repo = parent["repo"]
    rev, colon, path = (expression or "").partition(":")
    name = ref_name(rev or repo.default_branch)
    if not colon or not has_ref(repo, name):
        return None
    data = repo.files.get(name, {}).get(path.strip("/"))
    if data is None:
        return None
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    oid = blob_sha(data)
    return {"oid": oid, "abbreviatedOid": oid[:7], "byteSize": len(data), "text": text,
            "isBinary": text is None, "isTruncated": False}


SCHEMA.type_map["GitObject"].resolve_type = lambda value, info, kind: "Blob"  # type: ignore[attr-defined]
SCHEMA.query_type.fields["repository"].resolve = _repository  # type: ignore[union-attr]
SCHEMA.type_map["Repository"].fields["object"].resolve = _object  # type: ignore[attr-defined]
SCHEMA.type_map["Repository"].fields["pullRequest"].resolve = _pull_request  # type: ignore[attr-defined]
SCHEMA.type_map["Repository"].fields["pullRequests"].resolve = _pull_requests  # type: ignore[attr-defined]
SCHEMA.type_map["Repository"].fields["release"].resolve = _release  # type: ignore[attr-defined]
SCHEMA.type_map["Release"].fields["releaseAssets"].resolve = _release_assets  # type: ignore[attr-defined]


def _github_error(problem: GraphQLError) -> dict[str, Any]:
    """graphql-core's error in GitHub's shape (graphql-ruby's messages and extensions)."""
    shaped: dict[str, Any] = {"message": problem.message}
    if problem.locations:
        shaped["locations"] = [{"line": loc.line, "column": loc.column} for loc in problem.locations]
    if problem.path:
        shaped["path"] = list(problem.path)
    if isinstance(problem.original_error, _NotFound) or isinstance(problem, _NotFound):
        shaped["type"] = "NOT_FOUND"
    unknown = re.match(r"Cannot query field '(\w+)' on type '(\w+)'", problem.message)
    if unknown:
        field, kind = unknown.groups()
        shaped["message"] = f"Field '{field}' doesn't exist on type '{kind}'"
        shaped["extensions"] = {"code": "undefinedField", "typeName": kind, "fieldName": field}
    return shaped


def check(query: str) -> list[dict[str, Any]]:
    """GitHub's `errors` for a query that does not parse or does not fit the schema; [] if fine."""
    try:
        document = parse(query)
    except GraphQLError as problem:
        where = problem.locations[0] if problem.locations else None
        at = f" at [{where.line}, {where.column}]" if where else ""
        shaped: dict[str, Any] = {
            "message": f"Parse error{at}: {problem.message.removeprefix('Syntax Error: ')}"}
        if where:
            shaped["locations"] = [{"line": where.line, "column": where.column}]
        return [shaped]
    return [_github_error(problem) for problem in validate(SCHEMA, document)]


def execute(world: World, budget: Budget, query: str, root: str) -> tuple[dict[str, Any], int]:
    """Run a query that passed `check`; returns GitHub's response body and the points it cost.
    An exhausted budget answers with no data and the caller's rate-limit error."""
    cost = query_cost(query)
    if budget.remaining < cost:
        return {}, 0
    budget.remaining -= cost
    budget.used += cost
    limit = {"cost": cost, "remaining": budget.remaining, "limit": budget.limit,
             "resetAt": budget.reset_at, "used": budget.used, "nodeCount": 0}
    result = execute_sync(SCHEMA, parse(query), root_value={"rateLimit": limit},
                          context_value={"world": world, "root": root})
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [_github_error(problem) for problem in result.errors]
    return body, cost
