"""The fake GitHub's REST subset: repos, pulls, issues, users, refs, releases, assets, actions."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from release.fakes.github_http import Request, Response, error, invalid, json_response, not_found
from release.fakes.github_state import Issue, Pull, Repo, Shapes, World

PULLS_DOCS = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"

Handler = Callable[[World, Shapes, Request, dict[str, str]], Response]
RepoHandler = Callable[[World, Shapes, Request, Repo, dict[str, str]], Response]
ROUTES: list[tuple[str, re.Pattern[str], str, Handler]] = []
_REPO = r"/api/v3/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler; the endpoint name (for request counts) is the pattern with {names}."""
    name = method + " " + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern).replace("/api/v3", "")

    def register(handler: Handler) -> Handler:
        ROUTES.append((method, re.compile(pattern + "$"), name, handler))
        return handler

    return register


def repo_route(method: str, pattern: str) -> Callable[[RepoHandler], RepoHandler]:
    """Register a handler under a repository (`owner` and `repo` in the pattern): it is given the
    `Repo`, and a repository that does not exist answers 404 before it runs."""

    def register(handler: RepoHandler) -> RepoHandler:
        def in_repo(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
            repo = world.repo(params["owner"], params["repo"])
            return not_found() if repo is None else handler(world, shapes, req, repo, params)

        route(method, pattern)(in_repo)
        return handler

    return register


def find_route(method: str, path: str) -> tuple[str, Handler, dict[str, str]] | None:
    for verb, pattern, name, handler in ROUTES:
        match = pattern.match(path)
        if match and verb == method:
            return name, handler, {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
    return None


def page(shapes: Shapes, req: Request, items: list[Any], key: str | None = None) -> Response:
    """One page of a list with GitHub's Link header, so PyGithub's PaginatedList walks it."""
    try:
        per_page = max(1, min(100, int(req.query.get("per_page", "30"))))
        number = max(1, int(req.query.get("page", "1")))
    except ValueError:
        return invalid("Pagination", "page", "invalid", "page and per_page must be whole numbers")
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


@repo_route("GET", _REPO)
def get_repo(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    """With a token, GitHub adds the user's `permissions` on the repository (their role)."""
    body = shapes.repo(repo)
    if req.user != "ghost":
        writer = repo.writers is None or req.user in repo.writers
        admin = req.user == repo.owner
        body["permissions"] = {"admin": admin, "maintain": admin, "push": writer, "triage": writer,
                               "pull": True}
    return json_response(200, body)


@route("GET", r"/api/v3/users/(?P<login>[^/]+)")
def get_user(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    user = world.users.get(params["login"])
    return json_response(200, shapes.user(user)) if user else not_found()


@route("GET", r"/api/v3/user")
def get_authenticated_user(world: World, shapes: Shapes, req: Request, params: dict[str, str]) -> Response:
    return json_response(200, shapes.person(req.user))


# --- pull requests and issues ----------------------------------------------------------------


@repo_route("GET", _REPO + r"/pulls")
def list_pulls(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    state = req.query.get("state", "open")
    head, base = req.query.get("head"), req.query.get("base")
    pulls = [p for _, p in sorted(repo.pulls.items(), reverse=True)
             if state in ("all", p.state)
             and (head is None or repo.head_label(p.head) == head)
             and (base is None or p.base == base)]
    return page(shapes, req, [shapes.pull(repo, p) for p in pulls])


@repo_route("GET", _REPO + r"/pulls/(?P<number>\d+)")
def get_pull(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    pull = repo.pulls.get(int(params["number"]))
    return json_response(200, shapes.pull(repo, pull)) if pull else not_found()


def head_repository(world: World, repo: Repo, owner: str) -> Repo | None:
    """Where a pull request's head lives: the repository itself, or `owner`'s fork of it."""
    if owner.lower() == repo.owner.lower():
        return repo
    for other in world.repos.values():
        if other.owner.lower() == owner.lower() and other.fork_of == repo.full_name:
            return other
    return None


@repo_route("POST", _REPO + r"/pulls")
def create_pull(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    """GitHub's checks: the head's fork and branch exist, the base exists, the head has commits
    the base lacks, and no open pull request has the same head and base."""
    data = req.json()
    head, base = str(data.get("head", "")), str(data.get("base", ""))
    if not data.get("title") or not head or not base:
        return invalid("PullRequest", "title" if not data.get("title") else "head", "missing_field",
                       docs=PULLS_DOCS)
    owner, _, branch = repo.head_label(head).partition(":")
    source = head_repository(world, repo, owner)
    if source is None or not source.has_branch(branch):
        return invalid("PullRequest", "head", "invalid", docs=PULLS_DOCS)
    if not repo.has_branch(base):
        return invalid("PullRequest", "base", "invalid", docs=PULLS_DOCS)
    if source.sha_for(f"heads/{branch}") == repo.sha_for(f"heads/{base}"):
        return invalid("PullRequest", None, "custom", f"No commits between {base} and {branch}",
                       docs=PULLS_DOCS)
    label = f"{owner}:{branch}"
    for pull in repo.pulls.values():
        if pull.state == "open" and repo.head_label(pull.head) == label and pull.base == base:
            return invalid("PullRequest", None, "custom", f"A pull request already exists for {label}.",
                           docs=PULLS_DOCS)
    pull = Pull(repo.next_number(), str(data["title"]), req.user, "open", False, head, base,
                str(data.get("body") or ""), world.new_id())
    repo.pulls[pull.number] = pull
    return json_response(201, shapes.pull(repo, pull),
                         {"Location": f"{shapes.repo_api(repo)}/pulls/{pull.number}"})


def _issue_json(shapes: Shapes, repo: Repo, number: int) -> dict[str, Any]:
    """Issue `number` as the issues endpoints show it: pull requests are issues there too."""
    if number in repo.issues:
        return shapes.issue(repo, repo.issues[number])
    return shapes.pull_as_issue(repo, repo.pulls[number])


@repo_route("GET", _REPO + r"/issues")
def list_issues(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    """GitHub's filters the toolkit uses: state, milestone (a number, `*` or `none`), and the
    order (`sort=created`, `direction`; newest first by default)."""
    state = req.query.get("state", "open")
    wanted = req.query.get("milestone")
    if wanted not in (None, "*", "none") and not (wanted.isdigit() and int(wanted) in repo.milestones):
        return not_found()
    title = repo.milestones[int(wanted)].title if wanted and wanted.isdigit() else None

    def keep(item: Issue | Pull) -> bool:
        if state not in ("all", item.state):
            return False
        if wanted == "*":
            return item.milestone is not None
        if wanted == "none":
            return item.milestone is None
        return wanted is None or item.milestone == title

    items: list[Issue | Pull] = [*repo.issues.values(), *repo.pulls.values()]
    numbers = [item.number for item in items if keep(item)]
    newest_first = req.query.get("direction", "desc") != "asc"
    return page(shapes, req, [_issue_json(shapes, repo, n)
                              for n in sorted(numbers, reverse=newest_first)])


@repo_route("GET", _REPO + r"/milestones")
def list_milestones(world: World, shapes: Shapes, req: Request, repo: Repo,
                    params: dict[str, str]) -> Response:
    state = req.query.get("state", "open")
    if state not in ("open", "closed", "all"):
        return invalid("Milestone", "state", "invalid")
    found = [m for _, m in sorted(repo.milestones.items()) if state in ("all", m.state)]
    return page(shapes, req, [shapes.milestone(repo, m) for m in found])


@repo_route("GET", _REPO + r"/milestones/(?P<number>\d+)")
def get_milestone(world: World, shapes: Shapes, req: Request, repo: Repo,
                  params: dict[str, str]) -> Response:
    milestone = repo.milestones.get(int(params["number"]))
    return json_response(200, shapes.milestone(repo, milestone)) if milestone else not_found()


@repo_route("GET", _REPO + r"/issues/(?P<number>\d+)")
def get_issue(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    number = int(params["number"])
    if number in repo.issues or number in repo.pulls:
        return json_response(200, _issue_json(shapes, repo, number))
    return not_found()


@repo_route("POST", _REPO + r"/issues")
def create_issue(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    data = req.json()
    if not data.get("title"):
        return invalid("Issue", "title", "missing_field")
    labels = tuple(str(label) for label in data.get("labels") or ())
    issue = Issue(repo.next_number(), str(data["title"]), req.user, str(data.get("body") or ""),
                  "open", labels, world.new_id())
    repo.issues[issue.number] = issue
    return json_response(201, shapes.issue(repo, issue),
                         {"Location": f"{shapes.repo_api(repo)}/issues/{issue.number}"})


# --- git refs ---------------------------------------------------------------------------------


@repo_route("GET", _REPO + r"/git/ref/(?P<ref>.+)")
def get_ref(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    refs = repo.all_refs()
    if params["ref"] not in refs:
        return not_found()
    return json_response(200, shapes.ref(repo, params["ref"], refs[params["ref"]]))


@repo_route("GET", _REPO + r"/git/refs(?:/(?P<prefix>.+))?")
def list_refs(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    prefix = params.get("prefix") or ""
    known = repo.all_refs()
    if prefix in known:  # GitHub answers an exact ref with the object, not a list
        return json_response(200, shapes.ref(repo, prefix, known[prefix]))
    refs = [shapes.ref(repo, name, sha) for name, sha in sorted(known.items())
            if name.startswith(prefix.rstrip("/") + "/" if prefix else "")]
    return page(shapes, req, refs) if refs else not_found()


@repo_route("GET", _REPO + r"/git/matching-refs/(?P<prefix>.*)")
def matching_refs(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    return page(shapes, req, [shapes.ref(repo, name, sha) for name, sha in sorted(repo.all_refs().items())
                              if name.startswith(params["prefix"])])


def _valid_ref_name(ref: str) -> bool:
    """git check-ref-format's rules that matter here: two components at least, none empty or
    starting with a dot, no `..`, `@{`, control characters, space, ~^:?*[\\, no `.lock` end."""
    parts = ref.split("/")
    if len(parts) < 3 or any(not p or p.startswith(".") or p.endswith(".lock") for p in parts):
        return False
    return not (ref.endswith(".") or ".." in ref or "@{" in ref
                or re.search(r"[\x00-\x20\x7f~^:?*\[\\]", ref))


@repo_route("POST", _REPO + r"/git/refs")
def create_ref(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    data = req.json()
    ref, sha = str(data.get("ref", "")), str(data.get("sha", ""))
    if not ref.startswith("refs/") or not re.fullmatch(r"[0-9a-f]{40}", sha):
        return invalid("Reference", "ref", "invalid")
    if not _valid_ref_name(ref):
        return error(422, "Reference name is invalid")
    if sha == "0" * 40:  # git's null id names no object
        return error(422, "Object does not exist")
    name = ref.removeprefix("refs/")
    if name in repo.all_refs():
        return invalid("Reference", "ref", "already_exists", "Reference already exists")
    repo.refs[name] = sha
    return json_response(201, shapes.ref(repo, name, sha),
                         {"Location": f"{shapes.repo_api(repo)}/git/refs/{name}"})
