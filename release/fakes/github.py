"""A stateful fake GitHub on 127.0.0.1 speaking the REST and GraphQL subset the toolkit uses.

Real PyGithub and `requests` talk to it over HTTP, so tests and the rehearsal exercise the same
code as a real release. URLs follow GitHub Enterprise's layout (`/api/v3`, `/api/graphql`,
`/api/uploads`), which PyGithub derives from one `base_url`. Besides state, it counts requests per
endpoint (all of them, and apart the ones GitHub does not count against the primary limit: a 304
to an authorized conditional GET, which every GET with an ETag answers when nothing changed),
charges GraphQL points, and can be told to be slow or to fail (5xx storms, secondary and primary
rate limits, bad or read-only tokens). Tokens are kept only as SHA-256 digests.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import threading
import time
import urllib.parse
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import release.fakes.github_rest_contents
import release.fakes.github_rest_triage  # noqa: F401  (registers routes)
from release.atomic_file import replace_file
from release.fakes import github_graphql
from release.fakes.github_downloads import PREFIX, SignedLinks
from release.fakes.github_http import Request, Response, error, json_response, not_found, not_modified
from release.fakes.github_rest import find_route
from release.fakes.github_rest_actions import artifact_bytes
from release.fakes.github_rest_releases import asset_bytes
from release.fakes.github_state import (
    Issue,
    Milestone,
    Pull,
    Repo,
    Run,
    Shapes,
    Workflow,
    World,
    fake_sha,
)
from release.fakes.github_tokens import NO_ACCESS, Token, needed
from release.fakes.github_transcript import TRANSCRIPT_VAR, Transcript
from release.fakes.github_workflows import NUMPY_RELEASE_WORKFLOW

SECONDARY_MESSAGE = ("You have exceeded a secondary rate limit. Please wait a few minutes before you try "
                     "again. If you reach out to GitHub Support for help, please include the request ID "
                     "F00D:1234:5678.")
PRIMARY_MESSAGE = ("API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, "
                   "please include the request ID F00D:1234:5678.")
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
RESET_AT = "2026-01-01T01:00:00Z"
ARTIFACT_ZIP = "GET /repos/{owner}/{repo}/actions/artifacts/{artifact}/zip"


@dataclass(frozen=True)
class Fault:
    """One injected failure: a plain status, a secondary limit (with Retry-After) or a primary one."""

    status: int
    kind: str = "error"
    retry_after: int | None = None
    scope: str = "any"
    when: bytes = b""

    def applies(self, is_graphql: bool, body: bytes) -> bool:
        in_scope = self.scope == "any" or self.scope == ("graphql" if is_graphql else "rest")
        return in_scope and self.when in body


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FakeGitHub:
    """`with FakeGitHub() as gh:` serves on a random port; `gh.api_url` is PyGithub's `base_url`."""

    def __init__(
        self,
        *,
        tokens: Mapping[str, str | Token] | None = None,
        login: str = "release-manager",
        run_polls: int = 2,
        graphql_limit: int = 5000,
        rest_limit: int = 5000,
        latency: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
        state_file: Path | None = None,
        before_asset: Callable[[int], None] | None = None,
        enterprise: bool = False,
        graphql_limit_type: str = "RATE_LIMITED",
        clock: Callable[[], float] = time.time,
        transcript: Path | None = None,
    ) -> None:
        """`tokens` maps each valid token to "write", "read" or a `Token` with its permissions;
        None accepts any token for writing. `enterprise` answers like GitHub Enterprise Server
        3.17-3.19: a dispatch gets 204 only and its run is listed a few listings later.
        `graphql_limit_type` is how an exhausted GraphQL budget is spelled ("RATE_LIMITED", or
        "RATE_LIMIT" with code graphql_rate_limit). `clock` dates the signed download links.
        `transcript` (or the file named by RELEASE_GITHUB_TRANSCRIPT) gets every exchange the
        fake serves, one JSON line each (`release.fakes.github_transcript`).
        `latency` seconds pass (through `sleep`) before each request is answered. With
        `state_file`, the world is loaded from it when it exists and saved to it (atomically)
        after every request that may change it, so a restarted fake carries on where a killed
        one stopped. `before_asset(n)` is called as the n-th release asset upload arrives,
        before it is stored."""
        self.state_file = state_file
        self.before_asset = before_asset
        self.asset_uploads = 0
        self.world = self._load(state_file) if state_file and state_file.is_file() else World(run_polls)
        self.login = login
        self.latency = latency
        self._sleep = sleep
        self.graphql_budget = github_graphql.Budget(graphql_limit, graphql_limit, RESET_AT)
        self.rest_limit = rest_limit
        self.rest_remaining = rest_limit
        self.reset_epoch = int(time.time()) + 3600
        self.primary_exhausted: int | None = None
        self.rest_calls: Counter[str] = Counter()  # every REST request, by endpoint
        self.free_calls: Counter[str] = Counter()  # the 304s GitHub does not count, by endpoint
        self.graphql_calls = 0
        self.graphql_points = 0
        self.graphql_queries: list[str] = []
        self.authorized_requests = 0
        self.anonymous_requests = 0
        self._tokens = None if tokens is None else {_digest(t): Token.of(right)
                                                    for t, right in tokens.items()}
        self.world.listing_delay = 3 if enterprise else 0
        self.graphql_limit_type = graphql_limit_type
        self.clock = clock
        self.links = SignedLinks("", clock)
        where = transcript or os.environ.get(TRANSCRIPT_VAR)
        self.transcript = Transcript(Path(where)) if where else None
        self._faults: deque[Fault] = deque()
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.root = ""
        self.world.user(login)

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.root = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.links.root = self.root
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-github",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        return f"{self.root}/api/v3"

    @property
    def graphql_url(self) -> str:
        return f"{self.root}/api/graphql"

    # --- persistence -------------------------------------------------------------------------

    @staticmethod
    def _load(state_file: Path) -> World:
        with state_file.open("rb") as stream:
            world = pickle.load(stream)  # our own file, written by save()
        if not isinstance(world, World):
            raise TypeError(f"{state_file} does not hold a fake GitHub's state")
        return world

    def save(self) -> None:
        """Write the world to `state_file` (temp file, then os.replace); nothing without one."""
        if self.state_file is None:
            return
        with self._lock:
            data = pickle.dumps(self.world, protocol=pickle.HIGHEST_PROTOCOL)
        replace_file(self.state_file, data)

    # --- seeding -----------------------------------------------------------------------------

    def add_user(self, login: str, name: str | None = None) -> None:
        with self._lock:
            self.world.user(login).name = name

    def add_repo(self, full_name: str, default_branch: str = "main", *, immutable: bool = True,
                 refs: Mapping[str, str] | None = None, fork_of: str | None = None,
                 git_dir: Path | None = None) -> Repo:
        """A repository; `fork_of` makes it a fork of another ("owner/name"); with `git_dir` (a
        bare repository) its branches and tags are the ones pushed there, and no default branch
        is made up."""
        owner, _, name = full_name.partition("/")
        with self._lock:
            repo = Repo(self.world.new_id(), owner, name, default_branch, immutable,
                        fork_of=fork_of, git_dir=None if git_dir is None else str(git_dir))
            if git_dir is None:
                repo.refs[f"heads/{default_branch}"] = fake_sha(f"{full_name}:{default_branch}")
            repo.refs.update({ref.removeprefix("refs/"): sha for ref, sha in (refs or {}).items()})
            self.world.repos[full_name.lower()] = repo
            self.world.user(owner)
            return repo

    def add_fork(self, upstream: str, owner: str, git_dir: Path | None = None) -> Repo:
        """`owner`'s fork of `upstream`, named the same; with `git_dir` (the bare repository a
        fork remote pushes to) its branches are exactly the pushed ones."""
        name = upstream.partition("/")[2]
        return self.add_repo(f"{owner}/{name}", self.repo(upstream).default_branch,
                             fork_of=self.repo(upstream).full_name, git_dir=git_dir)

    def repo(self, full_name: str) -> Repo:
        owner, _, name = full_name.partition("/")
        repo = self.world.repo(owner, name)
        if repo is None:
            raise KeyError(full_name)
        return repo

    def add_ref(self, full_name: str, ref: str, sha: str) -> None:
        with self._lock:
            self.repo(full_name).refs[ref.removeprefix("refs/")] = sha

    def add_file(self, full_name: str, ref: str, path: str, data: bytes | str) -> None:
        """A file on a branch (made if missing, from the default branch's files) of the repository."""
        with self._lock:
            repo = self.repo(full_name)
            branch = repo.files.setdefault(ref, dict(repo.files.get(repo.default_branch, {})))
            branch[path.strip("/")] = data.encode() if isinstance(data, str) else bytes(data)
            repo.refs.setdefault(f"heads/{ref}", fake_sha(f"{full_name}:{ref}"))

    def add_pull(self, full_name: str, number: int, title: str, user: str, *, state: str = "closed",
                 merged: bool = True, head: str = "feature", base: str = "main", body: str = "",
                 merge_commit: str | None = None, labels: tuple[str, ...] = (),
                 milestone: str | None = None) -> None:
        with self._lock:
            self.world.user(user)
            pull = Pull(number, title, user, state, merged, head, base, body, self.world.new_id(),
                        merge_commit if merged else None, tuple(labels), milestone)
            repo = self.repo(full_name)
            repo.pulls[number] = pull
            if milestone is not None and repo.milestone_named(milestone) is None:
                key = max(repo.milestones, default=0) + 1
                repo.milestones[key] = Milestone(key, milestone, "open", self.world.new_id())

    def add_issue(self, full_name: str, number: int, title: str, user: str, *, body: str = "",
                  state: str = "open", milestone: str | None = None) -> None:
        with self._lock:
            self.world.user(user)
            issue = Issue(number, title, user, body, state, (), self.world.new_id(), milestone)
            self.repo(full_name).issues[number] = issue

    def add_milestone(self, full_name: str, number: int, title: str, *, state: str = "open",
                      items: Iterable[int] = ()) -> None:
        """A milestone, with the issues and pull requests numbered `items` put on it (an item
        is on a milestone by its title, as GraphQL shows it)."""
        with self._lock:
            repo = self.repo(full_name)
            repo.milestones[number] = Milestone(number, title, state, self.world.new_id())
            for item in items:
                found = repo.issues.get(item) or repo.pulls.get(item)
                if found is None:
                    raise KeyError(f"{full_name} has no issue or pull request #{item}")
                found.milestone = title

    def add_workflow(self, full_name: str, file: str, name: str | None = None, *,
                     artifacts: Mapping[str, Mapping[str, bytes | str]] | None = None,
                     conclusion: str = "success", approval_environments: tuple[str, ...] = (),
                     source: str = NUMPY_RELEASE_WORKFLOW) -> int:
        """A workflow whose dispatched runs finish with `conclusion` and these artifacts
        (artifact name -> file name -> contents; text is stored as UTF-8); a run whose
        `environment` input is one of `approval_environments` waits until approved. `source` is
        the workflow file (default: numpy-release's triggers, a required `environment` choice of
        none/testpypi/pypi): a dispatch must fit its workflow_dispatch inputs."""
        files = {name: {filename: data.encode() if isinstance(data, str) else bytes(data)
                        for filename, data in contents.items()}
                 for name, contents in (artifacts or {}).items()}
        with self._lock:
            workflow = Workflow(self.world.new_id(), file, name or file.rsplit(".", 1)[0], files,
                                conclusion, tuple(approval_environments), source)
            self.repo(full_name).workflows[workflow.id] = workflow
            return workflow.id

    def seed(self, data: Mapping[str, Any]) -> None:
        """Seed from plain data: {"users": [{login, name}], "repos": [{full_name, default_branch,
        immutable, refs: {ref: sha}, pulls: [{number, title, user, ...}], issues: [...],
        workflows: [{file, name, artifacts: {name: {filename: bytes}}, conclusion,
        approval_environments}]}]}."""
        for user in data.get("users", ()):
            self.add_user(user["login"], user.get("name"))
        for repo in data.get("repos", ()):
            full_name = repo["full_name"]
            self.add_repo(full_name, repo.get("default_branch", "main"),
                          immutable=repo.get("immutable", True), refs=repo.get("refs"),
                          fork_of=repo.get("fork_of"))
            for pull in repo.get("pulls", ()):
                self.add_pull(full_name, **pull)
            for issue in repo.get("issues", ()):
                self.add_issue(full_name, **issue)
            for workflow in repo.get("workflows", ()):
                self.add_workflow(full_name, **workflow)

    # --- failure injection -------------------------------------------------------------------

    def fail_next(self, count: int, status: int = 502, *, scope: str = "any", when: str = "") -> None:
        """The next `count` requests in `scope` (any, rest, graphql) whose body contains `when`
        answer `status`."""
        with self._lock:
            self._faults.extend(Fault(status, scope=scope, when=when.encode()) for _ in range(count))

    def secondary_limit_next(self, count: int = 1, *, retry_after: int = 60, scope: str = "any",
                             when: str = "") -> None:
        """The next `count` matching requests hit the secondary rate limit (403, Retry-After)."""
        with self._lock:
            self._faults.extend(Fault(403, "secondary", retry_after, scope, when.encode())
                                for _ in range(count))

    def exhaust_rate_limit(self, status: int = 403) -> None:
        """Every request answers like GitHub's primary limit (remaining 0, a reset time)."""
        with self._lock:
            self.primary_exhausted = status
            self.rest_remaining = 0

    def expire_artifacts(self, full_name: str) -> None:
        """Every artifact of the repository's runs is past its retention (downloads answer 410)."""
        with self._lock:
            for run in self.repo(full_name).runs.values():
                for artifact in run.artifacts:
                    artifact.expired = True

    def drop_digests(self, full_name: str) -> None:
        """The repository's release assets were uploaded before GitHub kept digests: null."""
        with self._lock:
            for release in self.repo(full_name).releases.values():
                for asset in release.assets.values():
                    asset.legacy = True

    def start_run(self, full_name: str, file: str, ref: str, actor: str,
                  inputs: Mapping[str, Any] | None = None) -> int:
        """A workflow_dispatch run someone else started (it shows in the runs list at once)."""
        with self._lock:
            repo = self.repo(full_name)
            workflow = repo.workflow(file)
            assert workflow is not None, file
            number = 1 + sum(1 for r in repo.runs.values() if r.workflow is workflow)
            run = Run(self.world.new_id(), workflow, ref, repo.sha_for(ref), dict(inputs or {}),
                      "workflow_dispatch", number, actor)
            repo.runs[run.id] = run
            return run.id

    def set_graphql_budget(self, remaining: int, limit: int | None = None) -> None:
        with self._lock:
            self.graphql_budget.remaining = remaining
            self.graphql_budget.limit = limit if limit is not None else self.graphql_budget.limit

    # --- instrumentation ---------------------------------------------------------------------

    @property
    def total_requests(self) -> int:
        return sum(self.rest_calls.values()) + self.graphql_calls

    @property
    def counted_rest(self) -> int:
        """REST requests as GitHub's primary limit counts them: 304s to authorized conditional
        requests are free."""
        return sum(self.rest_calls.values()) - sum(self.free_calls.values())

    @property
    def artifact_downloads(self) -> int:
        """Artifact zips asked for (each a counted request, answered with a signed link)."""
        return self.rest_calls[ARTIFACT_ZIP]

    def reset_counts(self) -> None:
        with self._lock:
            self.rest_calls.clear()
            self.free_calls.clear()
            self.graphql_calls = 0
            self.graphql_points = 0
            self.graphql_queries.clear()
            self.authorized_requests = self.anonymous_requests = 0

    def dispatches(self, full_name: str) -> list[tuple[str, str, dict[str, Any]]]:
        """(workflow file, ref, inputs) of every workflow_dispatch run, oldest first."""
        runs = sorted(self.repo(full_name).runs.values(), key=lambda run: run.id)
        return [(run.workflow.file, run.ref, dict(run.inputs)) for run in runs]

    # --- request handling --------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Response:
        if self.latency:
            self._sleep(self.latency)
        parsed = urllib.parse.urlsplit(target)
        path = parsed.path.rstrip("/") or "/"
        query = dict(urllib.parse.parse_qsl(parsed.query))
        response = self._answer(method, path, query, headers, body)
        if self.transcript is not None:
            self.transcript.record(method, path, response)
        return response

    def _answer(self, method: str, path: str, query: dict[str, str], headers: Mapping[str, str],
                body: bytes) -> Response:
        with self._lock:
            if path.startswith(PREFIX):
                return self._object(path, query)
            is_graphql = path == "/api/graphql"
            found = None if is_graphql else find_route(method, path)
            self._count(method, path, is_graphql, found[0] if found else None, body)
            right = self._authorize(headers.get("authorization"))
            refusal = self._refusal(method, path, is_graphql, right, body)
            if refusal is not None:
                return self._with_limits(refusal, is_graphql)
            token = right if isinstance(right, Token) else None
            user = self.login if token else "ghost"
            kept = {key: value for key, value in headers.items() if key != "authorization"}
            request = Request(method, path, query, kept, body, user, token)
            if is_graphql:
                return self._with_limits(self._graphql(request), True)
            if path == "/api/v3/rate_limit":
                return self._with_limits(json_response(200, self._rate_limit_json()))
            if found is None:
                self.rest_remaining = max(0, self.rest_remaining - 1)
                return self._with_limits(not_found())
            endpoint, handler, params = found
            if method == "POST" and path.startswith("/api/uploads/"):
                self.asset_uploads += 1
                if self.before_asset is not None:
                    self.before_asset(self.asset_uploads)
            response = handler(self.world, Shapes(self.root, self.world, self.links), request, params)
            if method in WRITE_METHODS or "/actions/" in path:  # looking at a run advances it
                self.save()
            response = not_modified(method, headers.get("if-none-match"), response)
            if response.status == 304 and token is not None:
                self.free_calls[endpoint] += 1  # GitHub: free when made with authorization
            else:
                self.rest_remaining = max(0, self.rest_remaining - 1)
            return self._with_limits(response)

    def _count(self, method: str, path: str, is_graphql: bool, endpoint: str | None, body: bytes) -> None:
        if is_graphql:
            self.graphql_calls += 1
            try:
                self.graphql_queries.append(str(json.loads(body or b"{}").get("query", "")))
            except (ValueError, AttributeError):
                self.graphql_queries.append("")
        else:
            self.rest_calls[endpoint or f"{method} {path.removeprefix('/api/v3')}"] += 1

    def _object(self, path: str, query: dict[str, str]) -> Response:
        """The storage behind the signed download links (the link is the key; no rate limit)."""
        refusal = self.links.refusal(path, query)
        if refusal is not None:
            return refusal
        owner, name, kind, number = path.removeprefix(PREFIX).split("/")
        find = artifact_bytes if kind == "artifacts" else asset_bytes
        data = find(self.world, f"{owner}/{name}", int(number))
        if data is None:
            return Response(404, b"", {"Content-Type": "application/xml"})
        kind_type = "application/zip" if kind == "artifacts" else "application/octet-stream"
        return Response(200, data, {"Content-Type": kind_type})

    def _authorize(self, header: str | None) -> Token | str | None:
        """The token's `Token`, None for anonymous, or "bad"; the token itself is not kept."""
        if not header:
            self.anonymous_requests += 1
            return None
        self.authorized_requests += 1
        token = header.partition(" ")[2].strip()
        if self._tokens is None:
            return Token.of("write") if token else "bad"
        return self._tokens.get(_digest(token), "bad")

    def _refusal(self, method: str, path: str, is_graphql: bool, right: Token | str | None,
                 body: bytes) -> Response | None:
        for index, fault in enumerate(self._faults):
            if fault.applies(is_graphql, body):
                del self._faults[index]
                return self._fault_response(fault)
        if right == "bad":
            return error(401, "Bad credentials")
        if right is None and (is_graphql or method in WRITE_METHODS):
            return error(401, "Requires authentication")
        if self.primary_exhausted is not None and path != "/api/v3/rate_limit":
            return error(self.primary_exhausted, PRIMARY_MESSAGE)
        need = None if is_graphql else needed(method, path)
        if isinstance(right, Token) and need is not None and need[1] == "write" \
                and not right.allows(*need):
            return self._no_permission(right, *need)
        return None

    @staticmethod
    def _no_permission(token: Token, permission: str, level: str) -> Response:
        """A fine-grained token is told (403, X-Accepted-GitHub-Permissions); a classic one
        without the scope gets 404, as if the repository were not there."""
        if token.kind == "classic":
            response = not_found()
            response.headers["X-OAuth-Scopes"] = token.scopes()
            response.headers["X-Accepted-OAuth-Scopes"] = "repo"
            return response
        response = error(403, NO_ACCESS)
        response.headers["X-Accepted-GitHub-Permissions"] = f"{permission}={level}"
        return response

    def _fault_response(self, fault: Fault) -> Response:
        if fault.kind == "secondary":
            response = error(fault.status, SECONDARY_MESSAGE)
            response.headers["Retry-After"] = str(fault.retry_after)
            return response
        return Response(fault.status, b"<html><body>Server Error</body></html>",
                        {"Content-Type": "text/html"})

    def _graphql(self, request: Request) -> Response:
        query = str(request.json().get("query", ""))
        if not query:
            return json_response(200, {"errors": [{"message": "A query attribute must be specified"}]})
        problems = github_graphql.check(query)
        if problems:
            return json_response(200, {"errors": problems})
        result, cost = github_graphql.execute(self.world, self.graphql_budget, query, self.root)
        if not result:
            return json_response(200, {"errors": [self._graphql_limit_error()]})
        self.graphql_points += cost
        return json_response(200, result)

    def _graphql_limit_error(self) -> dict[str, Any]:
        message = "API rate limit already exceeded for user ID 1."
        if self.graphql_limit_type == "RATE_LIMIT":
            return {"type": "RATE_LIMIT", "code": "graphql_rate_limit", "message": message}
        return {"type": "RATE_LIMITED", "message": message}

    def _rate_limit_json(self) -> dict[str, Any]:
        core = {"limit": self.rest_limit, "remaining": self.rest_remaining, "reset": self.reset_epoch,
                "used": self.rest_limit - self.rest_remaining, "resource": "core"}
        budget = self.graphql_budget
        graphql = {"limit": budget.limit, "remaining": budget.remaining, "reset": self.reset_epoch,
                   "used": budget.used, "resource": "graphql"}
        search = {"limit": 30, "remaining": 30, "reset": self.reset_epoch, "used": 0, "resource": "search"}
        return {"resources": {"core": core, "graphql": graphql, "search": search}, "rate": core}

    def _with_limits(self, response: Response, is_graphql: bool = False) -> Response:
        """GitHub's rate-limit headers: the REST (core) budget, or GraphQL's points."""
        if is_graphql:
            budget = self.graphql_budget
            limit, remaining, resource = budget.limit, budget.remaining, "graphql"
        else:
            limit, remaining, resource = self.rest_limit, self.rest_remaining, "core"
        response.headers.setdefault("X-RateLimit-Limit", str(limit))
        response.headers.setdefault("X-RateLimit-Remaining", str(remaining))
        response.headers.setdefault("X-RateLimit-Reset", str(self.reset_epoch))
        response.headers.setdefault("X-RateLimit-Used", str(limit - remaining))
        response.headers.setdefault("X-RateLimit-Resource", resource)
        response.headers.setdefault("X-GitHub-Request-Id", "F00D:1234:5678")
        return response


class _Handler(BaseHTTPRequestHandler):
    """Reads one HTTP request, hands it to the FakeGitHub, writes the response."""

    fake: FakeGitHub
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed ACK

    def _serve(self) -> None:
        body = self._body()
        headers = {key.lower(): value for key, value in self.headers.items()}
        response = self.fake.handle(self.command, self.path, headers, body)
        self.send_response(response.status)
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines could carry query strings nobody asked to see on stderr."""
