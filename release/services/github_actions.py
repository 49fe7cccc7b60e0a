"""GitHub Actions on top of GitHubService: dispatch a workflow, follow its run, fetch artifacts.

Steps see `RunInfo` and `ArtifactInfo`, never PyGithub objects. Dispatching asks GitHub for the
new run's id (`return_run_details`); where the server does not give it, the newest
workflow_dispatch run on the ref that was not there before is the one.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests

from release.errors import ServiceError
from release.services.github import GitHubService

_HINTS = {  # what to check when the workflow repository answers with these statuses
    404: "check workflow_repo and workflow in [tool.release.wheels] (and the token's access)",
    422: "check --ref: the branch or tag must exist in the workflow repository",
}


@dataclass(frozen=True)
class RunInfo:
    id: int
    status: str  # queued, in_progress, completed (and GitHub's other waiting states)
    conclusion: str | None
    html_url: str
    head_branch: str
    event: str

    @property
    def done(self) -> bool:
        return self.status == "completed"

    @property
    def waiting(self) -> bool:
        """Held for approval of a protected environment (the pypi upload job)."""
        return self.status == "waiting"


@dataclass(frozen=True)
class ArtifactInfo:
    id: int
    name: str
    size: int
    download_url: str
    expired: bool


def _run_info(data: Mapping[str, Any]) -> RunInfo:
    return RunInfo(int(data["id"]), str(data["status"]), data.get("conclusion"),
                   str(data.get("html_url", "")), str(data.get("head_branch", "")),
                   str(data.get("event", "")))


class GitHubActions:
    """The Actions endpoints of one repository, through the service's authenticated session."""

    def __init__(self, service: GitHubService) -> None:
        self.service = service
        self.base = f"{service.api_url}/repos/{service.repo_name}/actions"

    def _get(self, action: str, url: str, **params: Any) -> Any:
        response = self._request(action, "GET", url, params=params or None)
        return response.json()

    def _request(self, action: str, method: str, url: str, allow: tuple[int, ...] = (),
                 **kwargs: Any) -> requests.Response:
        return self.service.request(method, url, action, allow=allow, hints=_HINTS, **kwargs)

    def workflow_exists(self, workflow: str) -> bool:
        response = self._request(f"look up the workflow {workflow}", "GET",
                                 f"{self.base}/workflows/{workflow}", allow=(404,))
        return response.status_code != 404

    def dispatch_runs(self, workflow: str, ref: str) -> set[int]:
        data = self._get(f"list the runs of {workflow}", f"{self.base}/workflows/{workflow}/runs",
                         event="workflow_dispatch", branch=ref, per_page=100)
        return {int(run["id"]) for run in data.get("workflow_runs", [])}

    def dispatch(
        self,
        workflow: str,
        ref: str,
        inputs: Mapping[str, str],
        *,
        attempts: int = 30,
        before: set[int] | None = None,
    ) -> RunInfo:
        """Start the workflow on `ref` and return the run it started (looking for it waits
        through the service's `sleep`); `before`: the runs on `ref` known already."""
        if before is None:
            before = self.dispatch_runs(workflow, ref)
        response = self._request(
            f"dispatch {workflow} on {ref}", "POST", f"{self.base}/workflows/{workflow}/dispatches",
            json={"ref": ref, "inputs": dict(inputs), "return_run_details": True})
        if response.status_code == 200 and response.content:
            return self.run(int(response.json()["workflow_run_id"]))
        for attempt in range(attempts):
            new = self.dispatch_runs(workflow, ref) - before
            if new:
                return self.run(max(new))
            self.service.sleep(min(2.0 * (attempt + 1), 10.0))
        raise ServiceError(f"dispatched {workflow} on {ref}, but no new run appeared",
                           hint=f"look at {self.service.repo_name}'s Actions page and pass --run-id")

    def run(self, run_id: int) -> RunInfo:
        return _run_info(self._get(f"read run {run_id}", f"{self.base}/runs/{run_id}"))

    def artifacts(self, run_id: int) -> list[ArtifactInfo]:
        """Every artifact of the run, page after page as GitHub's Link header leads."""
        found: list[ArtifactInfo] = []
        url: str | None = f"{self.base}/runs/{run_id}/artifacts"
        params: dict[str, int] | None = {"per_page": 100}
        while url:
            response = self._request(f"list the artifacts of run {run_id}", "GET", url, params=params)
            found += [ArtifactInfo(int(a["id"]), str(a["name"]), int(a.get("size_in_bytes", 0)),
                                   str(a["archive_download_url"]), bool(a.get("expired")))
                      for a in response.json().get("artifacts", [])]
            url, params = response.links.get("next", {}).get("url"), None  # the next URL has the query
        return found

    def download(self, artifact: ArtifactInfo) -> dict[str, bytes]:
        """The files inside an artifact's zip, by name (GitHub serves every artifact zipped)."""
        if artifact.expired:
            raise ServiceError(f"artifact {artifact.name} has expired",
                               hint="rerun the workflow; artifacts are kept for a limited time")
        response = self._request(f"download the artifact {artifact.name}", "GET",
                                 artifact.download_url)
        try:
            with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
                return {info.filename.rsplit("/", 1)[-1]: archive.read(info)
                        for info in archive.infolist() if not info.is_dir()}
        except zipfile.BadZipFile:
            raise ServiceError(f"the artifact {artifact.name} is not a zip file",
                               hint="download it from the run's page and look at it") from None
