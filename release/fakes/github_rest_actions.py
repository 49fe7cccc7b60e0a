"""GitHub Actions: workflow dispatch, runs that progress as they are polled, artifacts as zips."""

from __future__ import annotations

from release.fakes.github_downloads import ARTIFACT_LINK_SECONDS
from release.fakes.github_http import Request, Response, error, json_response, not_found
from release.fakes.github_rest import _REPO, page, repo_route
from release.fakes.github_state import Artifact, Repo, Run, Shapes, World
from release.fakes.github_workflows import dispatch_refusal, with_defaults

DISPATCH_DOCS = "https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event"
ARTIFACT_DOCS = "https://docs.github.com/rest/actions/artifacts#download-an-artifact"


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
    """GitHub's checks on a workflow_dispatch: the ref exists, and the inputs fit what the
    workflow file declares (422 with the message at the top level). github.com answers 200 with
    the run's id when asked (`return_run_details`), else 204; Enterprise Server answers 204
    only, and lists the new run some time later."""
    workflow = repo.workflow(params["workflow"])
    if workflow is None:
        return not_found()
    data = req.json()
    ref = str(data.get("ref") or "").removeprefix("refs/heads/").removeprefix("refs/tags/")
    if not ref:
        return error(422, "Invalid request.\n\n\"ref\" wasn't supplied.", docs=DISPATCH_DOCS)
    refs = repo.all_refs()
    if not any(f"{kind}/{ref}" in refs for kind in ("heads", "tags")):
        return error(422, f"No ref found for: {ref}", docs=DISPATCH_DOCS)
    # GitHub reads the workflow file as it is on the dispatched ref.
    source = repo.files.get(ref, {}).get(f".github/workflows/{workflow.file}")
    text = source.decode("utf-8") if source is not None else workflow.source
    refusal = dispatch_refusal(text, data.get("inputs"))
    if refusal is not None:
        return error(422, refusal, docs=DISPATCH_DOCS)
    inputs = with_defaults(text, dict(data.get("inputs") or {}))
    number = 1 + sum(1 for r in repo.runs.values() if r.workflow is workflow)
    run = Run(world.new_id(), workflow, ref, repo.sha_for(ref), inputs, "workflow_dispatch",
              number, req.user, hidden_listings=world.listing_delay)
    repo.runs[run.id] = run
    if data.get("return_run_details") and not world.listing_delay:
        url = f"{shapes.repo_api(repo)}/actions/runs/{run.id}"
        return json_response(200, {"workflow_run_id": run.id, "run_url": url,
                                   "html_url": f"{shapes.root}/{repo.full_name}/actions/runs/{run.id}"})
    return Response(204)


def _runs(world: World, shapes: Shapes, req: Request, repo: Repo, workflow_id: int | None) -> Response:
    runs = []
    for run in sorted(repo.runs.values(), key=lambda r: -r.id):
        if workflow_id is not None and run.workflow.id != workflow_id:
            continue
        if run.hidden_listings > 0:  # not listed yet (Enterprise)
            run.hidden_listings -= 1
            continue
        if req.query.get("event") not in (None, run.event) or req.query.get("branch") not in (None, run.ref):
            continue
        if req.query.get("actor") not in (None, run.actor):
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
    if req.token is None:
        return error(401, "Requires authentication", docs=ARTIFACT_DOCS)
    if found[1].expired:
        return error(410, "Artifact has expired", docs=ARTIFACT_DOCS)
    return shapes.links.redirect(f"{repo.full_name}/artifacts/{found[1].id}", ARTIFACT_LINK_SECONDS)


def artifact_bytes(world: World, full_name: str, artifact_id: int) -> bytes | None:
    """An artifact's zip, for the object store's signed links."""
    owner, _, name = full_name.partition("/")
    repo = world.repo(owner, name)
    for run in repo.runs.values() if repo else ():
        for artifact in run.artifacts:
            if artifact.id == artifact_id:
                return artifact.archive()
    return None
