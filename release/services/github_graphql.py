"""GraphQL: bounded retries on 5xx, GraphQL's own errors, and batched pull-request lookups.

A NumPy feature release names about a thousand pull requests; asking for them one REST call each
takes minutes and a fifth of the hourly budget. One GraphQL query can name up to 100 of them by
alias (`pr123: pullRequest(number: 123)`) and costs one point, so the whole changelog needs about
a dozen queries.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import requests

from release.errors import ServiceError
from release.services.github_cache import PullRequestInfo
from release.services.github_errors import Transient, lookup, reset_text

# How GitHub spells an exhausted GraphQL budget in `errors[]`: the older `type`, and the newer
# `type` / `code` pair.
LIMIT_TYPES = frozenset({"RATE_LIMITED", "RATE_LIMIT"})
LIMIT_CODES = frozenset({"graphql_rate_limit"})

MAX_BATCH = 100
BUDGET_QUERY = "query { rateLimit { cost remaining limit resetAt } }"
OUTAGE_HINT = ("GitHub may be having trouble (https://www.githubstatus.com); rerun later, "
               "fetched data is cached")


@dataclass(frozen=True)
class Budget:
    """GraphQL points: what the last query cost and what is left until `reset_at`."""

    limit: int
    remaining: int
    reset_at: str
    cost: int


class GraphQLClient:
    """Queries POSTed through `send` (`GitHubService.request`, which waits out secondary limits
    and translates refusals); 5xx and dropped connections are retried here, with backoff."""

    def __init__(self, send: Callable[..., requests.Response], url: str, repo: str, *,
                 sleep: Callable[[float], None], progress: TextIO, max_attempts: int = 6,
                 timeout: float = 30.0, limit_wait: float = 900.0,
                 clock: Callable[[], float] = time.time) -> None:
        """An exhausted budget is waited out when it resets within `limit_wait` seconds."""
        self.limit_wait = limit_wait
        self.clock = clock
        self.send = send
        self.url = url
        self.repo = repo
        self.sleep = sleep
        self.progress = progress
        self.max_attempts = max_attempts
        self.timeout = timeout

    def backoff(self, failures: int) -> float:
        """1, 2, 4, 8, 16 … seconds, at most 30."""
        return float(min(30, 2 ** (failures - 1)))

    def post_once(self, query: str, action: str) -> dict[str, Any]:
        """One query; a 5xx or no answer raises `Transient`. An exhausted budget (either
        spelling) is waited out once when it resets soon, else a one-line error says when."""
        for waited in (False, True):
            response = self.send("POST", self.url, action, transient=True, json={"query": query},
                                 timeout=self.timeout)
            body = _body(response, action, self.url)
            if not _rate_limited(body):
                return _checked(body, action, self.url)
            self._wait_for_reset(response.headers, action, waited)
        raise AssertionError("unreachable")

    def _wait_for_reset(self, headers: Mapping[str, Any], action: str, waited: bool) -> None:
        try:
            wait = int(str(lookup(headers, "x-ratelimit-reset"))) - self.clock()
        except ValueError:
            wait = -1.0
        when = reset_text(headers)
        if waited or not 0 <= wait <= self.limit_wait:
            raise ServiceError(f"GitHub's GraphQL rate limit is used up; could not {action}",
                               hint=f"it resets {when}; rerun then (fetched data is cached), "
                                    "or pass --offline")
        print(f"GitHub's GraphQL rate limit is used up: waiting until it resets {when}",
              file=self.progress)
        self.sleep(wait + 1)

    def pause(self, problem: Transient, failures: int, action: str) -> None:
        """After the `failures`-th transient failure in a row: back off, or give up at the bound."""
        if failures >= self.max_attempts:
            raise kept_failing(problem.status, failures, action, self.url) from None
        wait = self.backoff(failures)
        said = f"answered {problem.status}" if problem.status.isdigit() else f"gave {problem.status}"
        print(f"GitHub: {self.url} {said}; retrying in {wait:g} s "
              f"(attempt {failures + 1} of {self.max_attempts})", file=self.progress)
        self.sleep(wait)

    def post(self, query: str, action: str) -> dict[str, Any]:
        """`post_once` with exponential backoff on 5xx, then a one-line error."""
        failures = 0
        while True:
            try:
                return self.post_once(query, action)
            except Transient as problem:
                failures += 1
                self.pause(problem, failures, action)

    def budget(self) -> Budget:
        data = self.post(BUDGET_QUERY, "read the rate limit")
        return _budget(data)

    def pull_requests(self, numbers: Sequence[int], batch_size: int,
                      on_batch: Callable[[dict[int, PullRequestInfo | None]], None]) -> Budget | None:
        """Fetch in batches, halving the batch after repeated 5xx; `on_batch` gets each result."""
        owner, _, name = self.repo.partition("/")
        size, failures, done, last = min(batch_size, MAX_BATCH), 0, 0, None
        while done < len(numbers):
            chunk = numbers[done:done + size]
            try:
                data = self.post_once(pull_query(owner, name, chunk), "fetch pull requests")
            except Transient as problem:
                failures += 1
                self.pause(problem, failures, "fetch pull requests")
                if failures >= 2 and size > 1:
                    size = max(1, size // 2)
                    print(f"GitHub keeps failing ({problem.status}): asking for {size} pull requests "
                          "at a time", file=self.progress)
                continue
            failures = 0
            on_batch(_pulls(data, chunk, self.repo))
            last = _budget(data)
            done += len(chunk)
        return last


def kept_failing(status: str, attempts: int, action: str, url: str) -> ServiceError:
    return ServiceError(f"GitHub kept failing ({status}) after {attempts} attempts to {action}",
                        hint=outage_hint(url))


def outage_hint(url: str) -> str:
    """githubstatus.com only speaks for github.com; a local or Enterprise URL is checked first."""
    if urllib.parse.urlsplit(url).hostname == "api.github.com":
        return OUTAGE_HINT
    return (f"check that {url} is GitHub's API (GITHUB_API_URL / GITHUB_GRAPHQL_URL) and that "
            "its server is up; rerun later, fetched data is cached")


def pull_query(owner: str, name: str, numbers: Sequence[int]) -> str:
    fields = "number title author { login } mergeCommit { oid }"
    aliases = " ".join(f"pr{n}: pullRequest(number: {n}) {{ {fields} }}" for n in numbers)
    return (f'query {{ rateLimit {{ cost remaining limit resetAt }} '
            f'repository(owner: "{owner}", name: "{name}") {{ {aliases} }} }}')


def _body(response: requests.Response, action: str, url: str) -> dict[str, Any]:
    """The answer as JSON, or a one-line error saying what came instead."""
    try:
        body = response.json()
    except ValueError:
        kind = response.headers.get("Content-Type") or "no content type"
        raise ServiceError(f"{url} answered {response.status_code} with something that "
                           f"is not JSON ({kind}) while trying to {action}",
                           hint=outage_hint(url)) from None
    if not isinstance(body, dict):
        raise ServiceError(f"{url} sent an answer that is not a GraphQL response "
                           f"({type(body).__name__}) while trying to {action}",
                           hint=outage_hint(url))
    return body


def _rate_limited(body: dict[str, Any]) -> bool:
    for problem in body.get("errors") or ():
        if isinstance(problem, dict) and (problem.get("type") in LIMIT_TYPES
                                          or problem.get("code") in LIMIT_CODES):
            return True
    return False


def _checked(body: dict[str, Any], action: str, url: str) -> dict[str, Any]:
    """The `data` of a GraphQL answer; NOT_FOUND errors are left for the caller to read as nulls."""
    for problem in body.get("errors") or ():
        kind = problem.get("type") if isinstance(problem, dict) else None
        if kind != "NOT_FOUND":
            text = problem.get("message") if isinstance(problem, dict) else problem
            raise ServiceError(f"GitHub's GraphQL API refused to {action}: {text}",
                               hint="this is a bug in the query or a GitHub change; please report it")
    data = body.get("data")
    return data if isinstance(data, dict) else {}


def _budget(data: dict[str, Any]) -> Budget:
    limit: Any = data.get("rateLimit")
    try:
        return Budget(int(limit["limit"]), int(limit["remaining"]), str(limit["resetAt"]),
                      int(limit["cost"]))
    except (TypeError, KeyError, ValueError):
        raise ServiceError(f"GitHub's answer has no usable rateLimit ({limit!r:.80})",
                           hint="check GITHUB_GRAPHQL_URL: it must be GitHub's GraphQL "
                                "endpoint") from None


def _pulls(data: dict[str, Any], numbers: Sequence[int], repo: str) -> dict[int, PullRequestInfo | None]:
    repository = data.get("repository")
    if not isinstance(repository, dict):
        raise ServiceError(f"GitHub has no repository {repo} (or the token cannot see it)",
                           hint="check github_repo in [tool.release] and the token's access")
    found: dict[int, PullRequestInfo | None] = {}
    for number in numbers:
        node = repository.get(f"pr{number}")
        if node is None:
            found[number] = None
            continue
        try:
            author = node.get("author") or {}
            merge = node.get("mergeCommit") or {}
            found[number] = PullRequestInfo(int(node["number"]), str(node["title"]),
                                            author.get("login"), merge.get("oid"))
        except (AttributeError, TypeError, KeyError, ValueError):
            raise ServiceError(f"GitHub's answer for pull request {number} is not one it "
                               f"gives ({node!r:.80})",
                               hint="check GITHUB_GRAPHQL_URL") from None
    return found
