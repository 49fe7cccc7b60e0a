"""GitHub Actions: workflow dispatch, runs that progress as they are polled, artifacts as zips."""

from __future__ import annotations

from release.fakes.github_http import Request, Response, invalid, json_response, not_found
from release.fakes.github_rest import _REPO, page, repo_route
from release.fakes.github_state import Artifact, Repo, Run, Shapes, World


def _run_json(world: World, shapes: Shapes, repo: Repo, run: Run) -> dict[str, object]:
    """A run as GitHub shows it; every look moves it along (queued, in_progress, completed)."""
    return shapes.run(repo, run, world.look_at_run(run))


@repo_route("GET", _REPO + r"/actions/workflows")
def list_workflows(world: World, shapes: Shapes, req: Request, repo: Repo,
                   params: dict[str, str]) -> Response:
    return page(shapes, req, [shapes.workflow(repo, w) for w in repo.workflows.values()], "workflows")


@repo_route("GET", _REPO + r"/actions/workflows/(?P<workflow>[^/]+)")
def get_workflow(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    workflow = repo.workflow(params["workflow"])
    return json_response(200, shapes.workflow(repo, workflow)) if workflow else not_found()


@repo_route("POST", _REPO + r"/actions/workflows/(?P<workflow>[^/]+)/dispatches")
def dispatch(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    workflow = repo.workflow(params["workflow"])
    if workflow is None:
        return not_found()
    data = req.json()
    ref = str(data.get("ref") or "").removeprefix("refs/heads/")
    if not ref:
        return invalid("Workflow", "ref", "missing_field")
    if repo.refs and not any(f"{kind}/{ref}" in repo.refs for kind in ("heads", "tags")):
        return invalid("Workflow", "ref", "invalid", f"No ref found for: {ref}")
    inputs = data.get("inputs") or {}
    number = 1 + sum(1 for r in repo.runs.values() if r.workflow is workflow)
    run = Run(world.new_id(), workflow, ref, repo.sha_for(ref), dict(inputs), "workflow_dispatch",
              number, req.user)
    repo.runs[run.id] = run
    if data.get("return_run_details"):
        url = f"{shapes.repo_api(repo)}/actions/runs/{run.id}"
        return json_response(200, {"workflow_run_id": run.id, "run_url": url,
                                   "html_url": f"{shapes.root}/{repo.full_name}/actions/runs/{run.id}"})
    return Response(204)


def _runs(world: World, shapes: Shapes, req: Request, repo: Repo, workflow_id: int | None) -> Response:
    runs = []
    for run in sorted(repo.runs.values(), key=lambda r: -r.id):
        if workflow_id is not None and run.workflow.id != workflow_id:
            continue
        if req.query.get("event") not in (None, run.event) or req.query.get("branch") not in (None, run.ref):
            continue
        status = req.query.get("status")
        if status is not None and world.run_status(run) != status:
            continue
        runs.append(_run_json(world, shapes, repo, run))
    return page(shapes, req, runs, "workflow_runs")


@repo_route("GET", _REPO + r"/actions/runs")
def list_runs(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    return _runs(world, shapes, req, repo, None)


@repo_route("GET", _REPO + r"/actions/workflows/(?P<workflow>[^/]+)/runs")
def list_workflow_runs(world: World, shapes: Shapes, req: Request, repo: Repo,
                       params: dict[str, str]) -> Response:
    workflow = repo.workflow(params["workflow"])
    return _runs(world, shapes, req, repo, workflow.id) if workflow else not_found()


@repo_route("GET", _REPO + r"/actions/runs/(?P<run>\d+)")
def get_run(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    run = repo.runs.get(int(params["run"]))
    return json_response(200, _run_json(world, shapes, repo, run)) if run else not_found()


@repo_route("GET", _REPO + r"/actions/runs/(?P<run>\d+)/artifacts")
def list_artifacts(world: World, shapes: Shapes, req: Request, repo: Repo,
                   params: dict[str, str]) -> Response:
    run = repo.runs.get(int(params["run"]))
    if run is None:
        return not_found()
    return page(shapes, req, [shapes.artifact(repo, run, a) for a in run.artifacts], "artifacts")


def _artifact(repo: Repo, params: dict[str, str]) -> tuple[Run, Artifact] | None:
    for run in repo.runs.values():
        for artifact in run.artifacts:
            if artifact.id == int(params["artifact"]):
                return run, artifact
    return None


@repo_route("GET", _REPO + r"/actions/artifacts/(?P<artifact>\d+)")
def get_artifact(world: World, shapes: Shapes, req: Request, repo: Repo, params: dict[str, str]) -> Response:
    found = _artifact(repo, params)
    return json_response(200, shapes.artifact(repo, *found)) if found else not_found()


@repo_route("GET", _REPO + r"/actions/artifacts/(?P<artifact>\d+)/zip")
def download_artifact(world: World, shapes: Shapes, req: Request, repo: Repo,
                      params: dict[str, str]) -> Response:
    found = _artifact(repo, params)
    if found is None:
        return not_found()
    return Response(200, found[1].archive(), {"Content-Type": "application/zip"})
