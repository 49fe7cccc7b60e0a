"""Editing an issue or pull request's milestone: `PATCH /repos/{owner}/{repo}/issues/{number}` with
`{"milestone": N}` or `{"milestone": null}`, as GitHub takes it (a milestone number that does not
exist is a 422 naming the field)."""

from __future__ import annotations

from typing import Any

from release.fakes.github_http import Request, Response, error, json_response, not_found
from release.fakes.github_rest import _REPO, _issue_json, repo_route
from release.fakes.github_state import Repo, Shapes, World


@repo_route("PATCH", _REPO + r"/issues/(?P<number>\d+)")
def edit_issue(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    number = int(params["number"])
    item: Any = repo.issues.get(number) or repo.pulls.get(number)
    if item is None:
        return not_found()
    data = req.json()
    if "milestone" in data:
        wanted = data["milestone"]
        if wanted is None:
            item.milestone = None
        elif isinstance(wanted, int) and not isinstance(wanted, bool) and wanted in repo.milestones:
            item.milestone = repo.milestones[wanted].title
        else:
            return error(422, "Validation Failed", errors=[
                {"value": wanted, "resource": "Issue", "field": "milestone", "code": "invalid"}])
    if "title" in data and isinstance(data["title"], str):
        item.title = data["title"]
    return json_response(200, _issue_json(shapes, repo, number))
