"""The fake GitHub's GraphQL subset: `rateLimit` and aliased `repository { pullRequest(number:) }`.

Queries are read with regular expressions, which is enough for the shapes the toolkit sends. Cost
follows GitHub's published rule: the number of requests needed to fill every connection (`first` /
`last`, nested multiplicatively), divided by 100, rounded, at least 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from release.fakes.github_state import Pull, Repo, World

_REPOSITORY = re.compile(r'repository\s*\(\s*owner\s*:\s*"([^"]+)"\s*,\s*name\s*:\s*"([^"]+)"\s*\)\s*\{')
_PULL = re.compile(r"(?:(\w+)\s*:\s*)?pullRequest\s*\(\s*number\s*:\s*(\d+)\s*\)\s*\{")
_CONNECTION = re.compile(r"\(([^()]*\b(?:first|last)\s*:\s*(\d+)[^()]*)\)\s*\{")


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


def block(text: str, start: int) -> str:
    """The text inside the braces whose `{` is at or after `start`."""
    open_at = text.index("{", start)
    depth = 0
    for index in range(open_at, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[open_at + 1:index]
    return text[open_at + 1:]


def execute(world: World, budget: Budget, query: str, root: str) -> tuple[dict[str, Any], int]:
    """Run a query; returns GitHub's response body and the points it cost."""
    cost = query_cost(query)
    if budget.remaining < cost:
        return {"errors": [{"type": "RATE_LIMITED",
                            "message": "API rate limit already exceeded for user ID 1."}]}, 0
    budget.remaining -= cost
    budget.used += cost
    data: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    limit_match = re.search(r"(?:(\w+)\s*:\s*)?rateLimit\b(?:\s*\([^)]*\))?\s*\{", query)
    if limit_match:
        data[limit_match.group(1) or "rateLimit"] = {
            "cost": cost, "remaining": budget.remaining, "limit": budget.limit,
            "resetAt": budget.reset_at, "used": budget.used, "nodeCount": 0}
    for repo_match in _REPOSITORY.finditer(query):
        owner, name = repo_match.group(1), repo_match.group(2)
        repo = world.repo(owner, name)
        if repo is None:
            data["repository"] = None
            errors.append({"type": "NOT_FOUND", "path": ["repository"],
                           "message": f"Could not resolve to a Repository with the name '{owner}/{name}'."})
            continue
        data["repository"] = _repository(world, repo, block(query, repo_match.start()), errors, root)
    return ({"data": data, "errors": errors} if errors else {"data": data}), cost


def _repository(
    world: World, repo: Repo, body: str, errors: list[dict[str, Any]], root: str
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for match in _PULL.finditer(body):
        alias, number = match.group(1) or "pullRequest", int(match.group(2))
        pull = repo.pulls.get(number)
        if pull is None:
            result[alias] = None
            errors.append({"type": "NOT_FOUND", "path": ["repository", alias],
                           "locations": [{"line": 1, "column": match.start() + 1}],
                           "message": f"Could not resolve to a PullRequest with the number of {number}."})
            continue
        result[alias] = _pull_fields(world, repo, pull, block(body, match.start()), root)
    for key in ("nameWithOwner", "name"):
        if re.search(rf"(?<![\w(]){key}\b", re.sub(r"\{[^{}]*\}", "", body)):
            result[key] = repo.full_name if key == "nameWithOwner" else repo.name
    return result


def _pull_fields(world: World, repo: Repo, pull: Pull, selection: str, root: str) -> dict[str, Any]:
    user = world.user(pull.user)
    values: dict[str, Any] = {
        "number": pull.number,
        "title": pull.title,
        "body": pull.body,
        "state": "MERGED" if pull.merged else pull.state.upper(),
        "merged": pull.merged,
        "url": f"{root}/{repo.full_name}/pull/{pull.number}",
        "baseRefName": pull.base,
        "headRefName": pull.head.rpartition(":")[2],
        "author": {"login": user.login, "name": user.name} if user.login != "ghost" else None,
        "mergeCommit": {"oid": pull.merge_commit} if pull.merge_commit else None,
        "labels": {"nodes": [{"name": label} for label in pull.labels]},
        "milestone": {"title": pull.milestone} if pull.milestone else None,
    }
    top = re.sub(r"\{[^{}]*\}", "{}", selection)
    shaped = {key: value for key, value in values.items() if re.search(rf"\b{key}\b", top)}
    if shaped.get("author"):
        author_fields = block(selection, selection.index("author"))
        shaped["author"] = {key: value for key, value in shaped["author"].items()
                            if re.search(rf"\b{key}\b", author_fields)}
    return shaped
