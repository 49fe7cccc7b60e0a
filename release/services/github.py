"""GitHub: PyGithub for REST, batched GraphQL over the same token for pull-request metadata.

Steps see frozen dataclasses, never PyGithub objects. Other GitHub modules (releases, actions, GraphQL)
build on `GitHubService.repository()` (a PyGithub `Repository`), `GitHubService.call(action,
func)`, which runs PyGithub code and turns any failure into a one-line `ServiceError`, and, for
what PyGithub lacks, `GitHubService.request(method, url, action)` over `session` (a
`requests.Session` carrying the auth headers) with the same waits and translation.

The token lives only in memory: it is never printed, logged, cached or put in an exception.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

import github
import requests
from github.GithubException import GithubException, UnknownObjectException
from github.GithubObject import GithubObject
from github.Repository import Repository
from urllib3.util.retry import Retry

from release.errors import ServiceError
from release.services.github_cache import PullRequestCache, PullRequestInfo, default_cache_dir
from release.services.github_errors import (
    Transient,
    describe_failure,
    github_message,
    is_secondary,
    missing_token,
    response_message,
    secondary_gave_up,
    service_error,
    unreachable,
    unreadable,
    wait_out_secondary,
)
from release.services.github_graphql import MAX_BATCH, Budget, GraphQLClient
from release.services.github_usage import ARTIFACT_ZIP, GitHubUsage, graphql_cost, uploads_root

__all__ = ["Budget", "GitHubService", "IssueRef", "PullRequestInfo", "PullRequestRef"]

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_GRAPHQL_URL = "https://api.github.com/graphql"
USER_AGENT = "numpy-release-toolkit"
T = TypeVar("T")


@dataclass(frozen=True)
class PullRequestRef:
    """An open or created pull request, as the steps that open PRs need it."""

    number: int
    title: str
    url: str
    state: str
    head: str
    base: str


@dataclass(frozen=True)
class IssueRef:
    number: int
    title: str
    url: str
    state: str


class SayingRetry(Retry):
    """urllib3's retries for PyGithub, saying on stderr what they wait for and where (PyGithub
    itself waits in silence)."""

    progress: TextIO | None = None

    def new(self, **kw: Any) -> SayingRetry:
        fresh = super().new(**kw)
        fresh.progress = self.progress
        return fresh

    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None,
                  _stacktrace: Any = None) -> SayingRetry:
        fresh = super().increment(method, url, response, error, _pool, _stacktrace)
        root = f"{_pool.scheme}://{_pool.host}:{_pool.port}" if _pool is not None else ""
        what = (f"answered {response.status}" if response is not None
                else f"gave no answer ({type(error).__name__})")
        wait = fresh.get_backoff_time()
        if self.progress is not None:
            print(f"GitHub: {method} {root}{(url or '').split('?')[0]} {what}; retrying in "
                  f"{wait:g} s ({fresh.total} retries left)", file=self.progress)
        return fresh


class GitHubService:
    """One repository on one GitHub (api.github.com, an Enterprise server, or the local fake)."""

    def __init__(
        self,
        repo: str,
        *,
        token: str | None,
        api_url: str = DEFAULT_API_URL,
        graphql_url: str = DEFAULT_GRAPHQL_URL,
        cache_dir: Path | None = None,
        progress: TextIO | None = None,
        sleep: Callable[[float], None] = time.sleep,
        batch_size: int = 100,
        max_attempts: int = 6,
        rest_retries: int = 3,
        rest_backoff: float = 0.5,
        timeout: float = 30.0,
        usage: GitHubUsage | None = None,
    ) -> None:
        """`usage` adds up every request this service sends (the run's, when the Context hands
        the same one to each service it makes)."""
        if repo.count("/") != 1 or not all(repo.split("/")):
            raise ServiceError(f"{repo!r} is not a GitHub repository name",
                               hint="write it as owner/name, e.g. numpy/numpy")
        self.repo_name = repo
        self.api_url = api_url.rstrip("/")
        self.graphql_url = graphql_url
        self.cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
        self.progress = progress if progress is not None else sys.stderr
        self.sleep = sleep
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.timeout = timeout
        self._token = token or None
        self.usage = usage if usage is not None else GitHubUsage()
        self._rest_roots = (f"{self.api_url}/", uploads_root(self.api_url) + "/")
        self._rest_retry = SayingRetry(total=min(rest_retries, max(0, max_attempts - 1)),
                                       backoff_factor=rest_backoff,
                                       status_forcelist=(500, 502, 503, 504),
                                       allowed_methods=frozenset({"GET", "HEAD"}),
                                       raise_on_status=False)
        self._rest_retry.progress = self.progress
        self._client: github.Github | None = None
        self._repository: Repository | None = None
        self._reads: Repository | None = None
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/vnd.github+json",
                                     "X-GitHub-Api-Version": "2022-11-28"})
        if self._token:
            self.session.headers["Authorization"] = f"bearer {self._token}"
        self.session.hooks["response"].append(self._count)
        self.graphql = GraphQLClient(self.request, graphql_url, repo, sleep=sleep, progress=self.progress,
                                     max_attempts=max_attempts, timeout=timeout)

    @classmethod
    def from_env(cls, env: Mapping[str, str], repo: str, **options: Any) -> GitHubService:
        """Token from GITHUB_TOKEN then GH_TOKEN; roots from GITHUB_API_URL / GITHUB_GRAPHQL_URL
        (which, unset, follows GITHUB_API_URL: the token must never go to another server)."""
        name = "GITHUB_TOKEN" if env.get("GITHUB_TOKEN") else "GH_TOKEN"
        token = env.get(name) or None
        if token is not None:
            check_token(name, token)
        options.setdefault("cache_dir", default_cache_dir(env))
        api_url = check_url("GITHUB_API_URL", env.get("GITHUB_API_URL") or DEFAULT_API_URL)
        graphql_url = check_url("GITHUB_GRAPHQL_URL",
                                env.get("GITHUB_GRAPHQL_URL") or graphql_url_for(api_url))
        return cls(repo, token=token, api_url=api_url, graphql_url=graphql_url, **options)

    def __repr__(self) -> str:
        token = "set" if self._token else "unset"
        return f"GitHubService({self.repo_name!r}, api_url={self.api_url!r}, token {token})"

    @property
    def has_token(self) -> bool:
        return self._token is not None

    def require_token(self, action: str, offline_hint: bool = False) -> None:
        if self._token is None:
            raise missing_token(action, offline_hint)

    # --- the seam for other GitHub modules ---------------------------------------------------

    def client(self) -> github.Github:
        """PyGithub on `api_url`, retrying idempotent requests on 5xx; paced only on github.com,
        whose secondary limits the pacing is for."""
        if self._client is None:
            paced = self.api_url == DEFAULT_API_URL
            self._client = github.Github(
                base_url=self.api_url,
                auth=CountedToken(self._token, self.usage) if self._token else CountedAnonymous(self.usage),
                user_agent=USER_AGENT, per_page=100, retry=self._rest_retry,
                timeout=max(1, round(self.timeout)),
                seconds_between_requests=0.25 if paced else None,
                seconds_between_writes=1.0 if paced else None)
        return self._client

    def _count(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        """Each answer on `session` (a redirect's hops apart): GraphQL, REST, or a download link
        away from the API, which costs nothing."""
        if response.url.startswith(self.graphql_url):
            self.usage.add_graphql(graphql_cost(response))
        elif response.url.startswith(self._rest_roots):
            path = response.url.split("?", 1)[0]
            self.usage.add_rest(response.status_code, download=bool(ARTIFACT_ZIP.search(path)))

    def repository(self) -> Repository:
        """The PyGithub `Repository` (fetched once); failures become `ServiceError`."""
        if self._repository is None:
            self._repository = self.call(f"look up {self.repo_name}",
                                         lambda: self.client().get_repo(self.repo_name))
        return self._repository

    def repository_for_reads(self) -> Repository:
        """The PyGithub `Repository` made without asking GitHub, for reads: a list or a file needs
        only the repository's URL, and looking it up first costs a request for nothing. A
        repository GitHub does not have is answered 404 by the read itself ("found nothing").
        Nothing may read its attributes (that would fetch it after all)."""
        if self._repository is not None:
            return self._repository
        if self._reads is None:
            self._reads = Repository(self.client().requester, url=f"/repos/{self.repo_name}",
                                     completed=False)
        return self._reads

    def call(self, action: str, func: Callable[[], T], *, needs: str | None = None,
             hints: Mapping[int, str] | None = None) -> T:
        """Run PyGithub code; a GitHub refusal or an unreachable server becomes a ServiceError
        that says what was being attempted (`action`, e.g. "create the release v2.4.0").

        A secondary rate limit means the request was not carried out, so `func` is run again
        after the Retry-After wait GitHub asks for (a bounded number of times). `needs` is the
        permission a changing call takes ("contents: write"), named when GitHub refuses it.
        """
        for _ in range(self.max_attempts):
            try:
                return func()
            except GithubException as exc:
                message = github_message(exc.data)
                if not is_secondary(exc.status, exc.headers or {}, message):
                    problem = service_error(exc, action, self.repo_name, self.api_url, needs,
                                            write=needs is not None)
                    problem.hint = (hints or {}).get(exc.status, problem.hint)
                    raise problem from None
                wait_out_secondary(exc.headers or {}, self.sleep, self.progress, self.api_url)
            except requests.RequestException as exc:
                raise unreachable(self.api_url, action, exc) from None
            except (ValueError, TypeError, AttributeError, KeyError) as exc:
                if not _raised_in_pygithub(exc):
                    raise
                raise unreadable(self.api_url, action, exc) from None
        raise secondary_gave_up(action)

    def request(self, method: str, url: str, action: str, *, allow: tuple[int, ...] = (),
                hints: Mapping[int, str] | None = None, transient: bool = False,
                needs: str | None = None, **kwargs: Any) -> requests.Response:
        """One call through `session` for what PyGithub lacks (Actions, GraphQL): waits out
        secondary limits like `call`, and turns any other status >= 400 not in `allow` into a
        ServiceError (whose hint is `hints[status]` when the caller knows better what to check).
        With `transient`, a 5xx or no answer raises `Transient` for the caller to retry."""
        kwargs.setdefault("timeout", self.timeout)
        for _ in range(self.max_attempts):
            try:
                response = self.session.request(method, url, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if transient:
                    raise Transient("no response") from None
                raise unreachable(self.api_url, action, exc) from None
            except requests.RequestException as exc:
                raise unreachable(self.api_url, action, exc) from None
            status = response.status_code
            if transient and status in (500, 502, 503, 504):
                raise Transient(str(status))
            if status < 400 or status in allow:
                return response
            message = response_message(response)
            if not is_secondary(status, response.headers, message):
                problem = describe_failure(status, response.headers, message, action, self.repo_name,
                                           self.api_url, needs, write=method not in ("GET", "HEAD"))
                problem.hint = (hints or {}).get(status, problem.hint)
                raise problem
            wait_out_secondary(response.headers, self.sleep, self.progress, url)
        raise secondary_gave_up(action)

    # --- pull-request metadata (GraphQL) -----------------------------------------------------

    def pull_requests(self, numbers: Iterable[int], *, refresh: bool = False) -> dict[int, PullRequestInfo]:
        """Title and author of each PR number; numbers that are not PRs are left out.

        Cached on disk per API root and repository, so a rerun asks nothing (`refresh` refetches).
        Before fetching it says what it will cost and refuses if the budget is short.
        """
        wanted = sorted(set(numbers))
        cache = PullRequestCache(self.cache_dir, self.api_url, self.repo_name)
        known = cache.load()
        todo = wanted if refresh else [n for n in wanted if n not in known]
        if todo:
            self.require_token("fetch pull-request titles and authors", offline_hint=True)
            self._check_budget(len(todo), len(wanted) - len(todo))

            def keep(batch: dict[int, PullRequestInfo | None]) -> None:
                known.update(batch)
                cache.save(known)

            last = self.graphql.pull_requests(todo, self.batch_size, keep)
            if last is not None:
                self._say(f"GitHub: done; {last.remaining}/{last.limit} GraphQL points left")
        return {n: info for n in wanted if (info := known.get(n)) is not None}

    def _check_budget(self, count: int, cached: int) -> None:
        queries = math.ceil(count / min(self.batch_size, MAX_BATCH))
        budget = self.graphql.budget()
        self._say(f"GitHub: {count} pull requests to fetch ({cached} cached): {queries} GraphQL "
                  f"{'query' if queries == 1 else 'queries'}, about {queries} points; budget "
                  f"{budget.remaining}/{budget.limit} points, resets {budget.reset_at}")
        if budget.remaining < queries:
            raise ServiceError(f"GitHub's GraphQL budget is too low: {queries} points needed, "
                               f"{budget.remaining} left",
                               hint=f"wait until {budget.reset_at} and rerun, or pass --offline")

    def _say(self, message: str) -> None:
        print(message, file=self.progress)

    # --- small REST helpers ------------------------------------------------------------------

    def find_open_pull(self, head: str, base: str) -> PullRequestRef | None:
        """The open PR from `head` ("branch" or "owner:branch") into `base`, if there is one."""
        label = head if ":" in head else f"{self.repo_name.split('/')[0]}:{head}"

        def first() -> PullRequestRef | None:
            for pull in self.repository_for_reads().get_pulls(state="open", head=label, base=base):
                return _pull_ref(pull)
            return None

        return self.call(f"list open pull requests from {label} into {base}", first)

    def create_pull(self, title: str, body: str, head: str, base: str) -> PullRequestRef:
        self.require_token("open a pull request")
        owner, _, branch = head.rpartition(":")
        where = f"{owner or self.repo_name.split('/')[0]}'s fork" if owner else self.repo_name
        return self.call(f"open a pull request from {head} into {base}", lambda: _pull_ref(
            self.repository().create_pull(title=title, body=body, head=head, base=base)),
            needs="pull requests: write",
            hints={422: f"GitHub opens a pull request only from a branch it has: push {branch} to "
                        f"{where} first (the fork must exist; check --fork-owner / fork_owner), "
                        f"with commits {base} lacks, and no open pull request for it"})

    def find_open_issue(self, title: str) -> IssueRef | None:
        """The open issue (not pull request) titled exactly `title`, if there is one."""

        def first() -> IssueRef | None:
            for issue in self.repository_for_reads().get_issues(state="open"):
                raw = payload(issue)  # a plain issue has no `pull_request` key: no hidden GET
                if raw.get("pull_request") is None and raw.get("title") == title:
                    return IssueRef(int(raw["number"]), title, str(raw["html_url"]), str(raw["state"]))
            return None

        return self.call(f"look for an open issue titled {title!r}", first)

    def create_issue(self, title: str, body: str) -> IssueRef:
        self.require_token("open an issue")
        issue = self.call(f"open the issue {title!r}",
                          lambda: self.repository().create_issue(title=title, body=body),
                          needs="issues: write")
        return IssueRef(issue.number, issue.title, issue.html_url, issue.state)

    def file_text(self, path: str, ref: str) -> str | None:
        """A file's text on a branch, tag or commit of the repository; None when the ref or the
        file is not there (GitHub answers both with 404)."""

        def read() -> str | None:
            try:
                content = self.repository_for_reads().get_contents(path, ref=ref)
            except GithubException as exc:
                if exc.status == 404:  # "Not Found", or "No commit found for the ref ..."
                    return None
                raise
            if isinstance(content, list):
                return None
            return content.decoded_content.decode("utf-8")

        return self.call(f"read {path} on {ref} of {self.repo_name}", read)

    def token_login(self) -> str:
        """The login of the user the token belongs to (whose fork a release manager pushes to)."""
        self.require_token("look up the token's login")
        return str(self.call("look up the token's login", lambda: self.client().get_user().login))

    def user_name(self, login: str) -> str | None:
        """The display name of a GitHub user, None if unset or the login does not exist."""

        def name() -> str | None:
            try:
                return self.client().get_user(login).name
            except UnknownObjectException:
                return None

        return self.call(f"look up the user {login}", name)


class CountedToken(github.Auth.Token):
    """The token as PyGithub sends it, counting each request it is sent with (PyGithub asks its
    auth once per request, and has no other per-request hook)."""

    def __init__(self, token: str, usage: GitHubUsage) -> None:
        super().__init__(token)
        self.usage = usage

    def authentication(self, headers: dict[str, str]) -> None:
        super().authentication(headers)
        self.usage.add_rest()


class CountedAnonymous(github.Auth.Auth):
    """No token: nothing is added to the request, which is counted all the same."""

    def __init__(self, usage: GitHubUsage) -> None:
        self.usage = usage

    @property
    def token_type(self) -> str:
        return ""

    @property
    def token(self) -> str:
        return ""

    def authentication(self, headers: dict[str, str]) -> None:
        self.usage.add_rest()

    def mask_authentication(self, headers: dict[str, str]) -> None:
        """Nothing to mask: no Authorization header is sent."""


def payload(obj: GithubObject) -> dict[str, Any]:
    """The fields GitHub's answer carried for `obj` (a list's element, a create's result), read
    without PyGithub completing it: `raw_data`, `.complete()` or a field the answer lacked would
    each cost a hidden GET of the object's own URL."""
    return dict(obj._rawData or {})


def _raised_in_pygithub(exc: BaseException) -> bool:
    """A JSON or shape error PyGithub hit reading an answer (not one of ours)."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    return (bool(frames) and f"{os.sep}github{os.sep}" in frames[-1].filename) or isinstance(
        exc, json.JSONDecodeError)


def graphql_url_for(api_url: str) -> str:
    """GitHub's GraphQL endpoint beside a REST root: api.github.com -> .../graphql; an Enterprise
    server's `https://HOST/api/v3` -> `https://HOST/api/graphql`."""
    root = api_url.rstrip("/")
    if root.endswith("/api/v3"):
        return root.removesuffix("/v3") + "/graphql"
    return root + "/graphql"


def check_token(name: str, token: str) -> None:
    """A token HTTP cannot carry is named before anything is sent (never shown)."""
    if token != token.strip():
        end = "a newline" if token.endswith(("\n", "\r")) else "whitespace"
        raise ServiceError(f"{name} ends or starts with {end}, which no GitHub token has",
                           hint=f"set it without it, e.g. export {name}=$(gh auth token)")
    odd = next((i for i, char in enumerate(token) if not (char.isascii() and char.isprintable())),
               None)
    if odd is not None:
        raise ServiceError(f"{name} has a character no GitHub token has (a non-ASCII or control "
                           f"character at position {odd + 1} of {len(token)})",
                           hint=f"copy the token again; e.g. export {name}=$(gh auth token)")


def check_url(name: str, url: str) -> str:
    """An http(s) URL with a host, or a one-line error naming the variable."""
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ServiceError(f"{name} is not an http(s) URL with a host: {url!r}",
                           hint=f"set {name} to a URL such as https://api.github.com, or unset it")
    return url


def _pull_ref(pull: github.PullRequest.PullRequest) -> PullRequestRef:
    return PullRequestRef(pull.number, pull.title, pull.html_url, pull.state, pull.head.label,
                          pull.base.ref)
