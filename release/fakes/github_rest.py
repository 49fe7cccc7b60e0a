"""The fake GitHub's REST subset: repos, pulls, issues, users, refs, releases, assets, actions."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from release.fakes.github_http import Request, Response, invalid, json_response, not_found
from release.fakes.github_state import Issue, Pull, Repo, Shapes, World

Handler = Callable[[World, Shapes, Request, dict[str, str]], Response]
ROUTES: list[tuple[str, re.Pattern[str], str, Handler]] = []
_REPO = r"/api/v3/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler; the endpoint name (for request counts) is the pattern with {names}."""
    name = method + " " + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern).replace("/api/v3", "")

    def register(handler: Handler) -> Handler:
        ROUTES.append((method, re.compile(pattern + "$"), name, handler))
        return handler

    return register


def find_route(method: str, path: str) -> tuple[str, Handler, dict[str, str]] | None:
    for verb, pattern, name, handler in ROUTES:
        match = pattern.match(path)
        if match and verb == method:
            return name, handler, {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
    return None


def _repo(world: World, params: dict[str, str]) -> Repo | None:
    return world.repo(params["owner"], params["repo"])


def page(shapes: Shapes, req: Request, items: list[Any], key: str | None = None) -> Response:
    """One page of a list with GitHub's Link header, so PyGithub's PaginatedList walks it."""
    per_page = max(1, min(100, int(req.query.get("per_page", "30"))))
    number = max(1, int(req.query.get("page", "1")))
    last = max(1, -(-len(items) // per_page))
    chunk = items[(number - 1) * per_page: number * per_page]
    links = []
    base = f"{shapes.root}{req.path}"

    def link(n: int, rel: str) -> str:
        query = urllib.parse.urlencode({**req.query, "page": n, "per_page": per_page})
        return f'<{base}?{query}>; rel="{rel}"'

    if number < last:
        links += [link(number + 1, "next"), link(last, "last")]
    if number > 1:
        links += [link(1, "first"), link(number - 1, "prev")]
    headers = {"Link": ", ".join(links)} if links else {}
    body: Any = chunk if key is None else {"total_count": len(items), key: chunk}
    return json_response(200, body, headers)


# --- repositories, users -------------------------------------------------------------------


@route("GET", _REPO)
def get_repo(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    repo = _repo(world, params)
    return json_response(200, repo_json(world, shapes, repo)) if repo else not_found()


def repo_json(world: World, shapes: Shapes, repo: Repo) -> dict[str, Any]:
    return shapes.repo(repo, world.user(repo.owner))


@route("GET", r"/api/v3/users/(?P<login>[^/]+)")
def get_user(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    user = world.users.get(params["login"])
    return json_response(200, shapes.user(user)) if user else not_found()


@route("GET", r"/api/v3/user")
def get_authenticated_user(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    return json_response(200, shapes.user(world.user(req.user)))


# --- pull requests and issues ----------------------------------------------------------------


def _pull_json(world: World, shapes: Shapes, repo: Repo, pull: Pull) -> dict[str, Any]:
    return shapes.pull(repo, pull, world.user(pull.user), repo_json(world, shapes, repo))


@route("GET", _REPO + r"/pulls")
def list_pulls(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    repo = _repo(world, params)
    if repo is None:
        return not_found()
    state = req.query.get("state", "open")
    head, base = req.query.get("head"), req.query.get("base")
    pulls = [p for _, p in sorted(repo.pulls.items(), reverse=True)
             if state in ("all", p.state)
             and (head is None or _head_label(repo, p.head) == head)
             and (base is None or p.base == base)]
    return page(shapes, req, [_pull_json(world, shapes, repo, p) for p in pulls])


def _head_label(repo: Repo, head: str) -> str:
    return head if ":" in head else f"{repo.owner}:{head}"


@route("GET", _REPO + r"/pulls/(?P<number>\d+)")
def get_pull(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    repo = _repo(world, params)
    pull = repo.pulls.get(int(params["number"])) if repo else None
    return json_response(200, _pull_json(world, shapes, repo, pull)) if repo and pull else not_found()


@route("POST", _REPO + r"/pulls")
def create_pull(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    repo = _repo(world, params)
    if repo is None:
        return not_found()
    data = req.json()
    head, base = str(data.get("head", "")), str(data.get("base", ""))
    if not data.get("title") or not head or not base:
        return invalid("PullRequest", "title" if not data.get("title") else "head", "missing_field")
    branch = head.rpartition(":")[2]
    if ":" not in head and repo.refs and f"heads/{branch}" not in repo.refs:
        return invalid("PullRequest", "head", "invalid")
    if repo.refs and f"heads/{base}" not in repo.refs:
        return invalid("PullRequest", "base", "invalid")
    label = _head_label(repo, head)
    for pull in repo.pulls.values():
        if pull.state == "open" and _head_label(repo, pull.head) == label and pull.base == base:
            return invalid("PullRequest", "head", "custom", f"A pull request already exists for {label}.")
    pull = Pull(repo.next_number(), str(data["title"]), req.user, "open", False, head, base,
                str(data.get("body") or ""), world.new_id())
    repo.pulls[pull.number] = pull
    return json_response(201, _pull_json(world, shapes, repo, pull))


@route("GET", _REPO + r"/issues")
def list_issues(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    repo = _repo(world, params)
    if repo is None:
        return not_found()
    state = req.query.get("state", "open")
    items: list[tuple[int, dict[str, Any]]] = []
    for issue in repo.issues.values():
        if state in ("all", issue.state):
            items.append((issue.number, shapes.issue(repo, issue, world.user(issue.user))))
    for pull in repo.pulls.values():
        if state in ("all", pull.state):
            items.append((pull.number, shapes.pull_as_issue(repo, pull, world.user(pull.user))))
    return page(shapes, req, [shaped for _, shaped in sorted(items, key=lambda item: -item[0])])


@route("GET", _REPO + r"/issues/(?P<number>\d+)")
def get_issue(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    repo = _repo(world, params)
    if repo is None:
        return not_found()
    number = int(params["number"])
    if number in repo.issues:
        issue = repo.issues[number]
        return json_response(200, shapes.issue(repo, issue, world.user(issue.user)))
    if number in repo.pulls:
        pull = repo.pulls[number]
        return json_response(200, shapes.pull_as_issue(repo, pull, world.user(pull.user)))
    return not_found()


@route("POST", _REPO + r"/issues")
def create_issue(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    repo = _repo(world, params)
    if repo is None:
        return not_found()
    data = req.json()
    if not data.get("title"):
        return invalid("Issue", "title", "missing_field")
    labels = tuple(str(label) for label in data.get("labels") or ())
    issue = Issue(repo.next_number(), str(data["title"]), req.user, str(data.get("body") or ""),
                  "open", labels, world.new_id())
    repo.issues[issue.number] = issue
    return json_response(201, shapes.issue(repo, issue, world.user(issue.user)))


# --- git refs ---------------------------------------------------------------------------------


@route("GET", _REPO + r"/git/ref/(?P<ref>.+)")
def get_ref(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    repo = _repo(world, params)
    if repo is None or params["ref"] not in repo.refs:
        return not_found()
    return json_response(200, shapes.ref(repo, params["ref"], repo.refs[params["ref"]]))


@route("GET", _REPO + r"/git/refs(?:/(?P<prefix>.+))?")
def list_refs(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    repo = _repo(world, params)
    if repo is None:
        return not_found()
    prefix = params.get("prefix") or ""
    if prefix in repo.refs:  # GitHub answers an exact ref with the object, not a list
        return json_response(200, shapes.ref(repo, prefix, repo.refs[prefix]))
    refs = [shapes.ref(repo, name, sha) for name, sha in sorted(repo.refs.items())
            if name.startswith(prefix.rstrip("/") + "/" if prefix else "")]
    return page(shapes, req, refs) if refs else not_found()


@route("GET", _REPO + r"/git/matching-refs/(?P<prefix>.*)")
def matching_refs(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    repo = _repo(world, params)
    if repo is None:
        return not_found()
    return page(shapes, req, [shapes.ref(repo, name, sha) for name, sha in sorted(repo.refs.items())
                      if name.startswith(params["prefix"])])


@route("POST", _REPO + r"/git/refs")
def create_ref(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    repo = _repo(world, params)
    if repo is None:
        return not_found()
    data = req.json()
    ref, sha = str(data.get("ref", "")), str(data.get("sha", ""))
    if not ref.startswith("refs/") or not re.fullmatch(r"[0-9a-f]{40}", sha):
        return invalid("Reference", "ref", "invalid")
    name = ref.removeprefix("refs/")
    if name in repo.refs:
        return invalid("Reference", "ref", "already_exists", "Reference already exists")
    repo.refs[name] = sha
    return json_response(201, shapes.ref(repo, name, sha))
