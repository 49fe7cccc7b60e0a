"""GitHub Actions on top of GitHubService: dispatch a workflow, follow its run, fetch artifacts.

Steps see `RunInfo` and `ArtifactInfo`, never PyGithub objects. Dispatching asks GitHub for the
new run's id (`return_run_details`); where the server answers 204 only (GitHub Enterprise Server
before 3.20), the run is the one workflow_dispatch run on the ref, started by the token's own
user, that was not listed before: a run someone else started is never taken.

Polls are conditional: a `Poll` keeps each URL's ETag and JSON, sends If-None-Match, and a 304
(nothing changed, which GitHub does not count against the rate limit) gives back the JSON it
kept. Downloads follow GitHub's 302 to a signed link that lives a minute; a link that expired on
the way is asked for again once, an artifact past its retention (410) says so, and a zip whose
SHA-256 is not the artifact's `digest` is refused.
"""

from __future__ import annotations

import base64
import hashlib
import io
import urllib.parse
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
import yaml

from release.errors import ServiceError
from release.services.github import GitHubService
from release.services.github_errors import describe_failure, response_message

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
    digest: str | None = None  # "sha256:<hex>" of the zip; null for artifacts made before GitHub kept it


@dataclass
class Poll:
    """What one poll has read, by URL: the ETag and the JSON that came with it, and how many
    looks GitHub answered 304 (unchanged, and free against the primary rate limit)."""

    seen: dict[str, tuple[str, Any]] = field(default_factory=dict)
    unchanged: int = 0


def _describe_input(name: str, spec: Mapping[str, Any]) -> str:
    kind = str(spec.get("type", "string"))
    options = ", ".join(str(option) for option in spec.get("options") or ())
    required = "required " if spec.get("required") else ""
    return f"{name} ({required}{kind}{': ' + options if options else ''})"


def _run_info(data: Mapping[str, Any]) -> RunInfo:
    return RunInfo(int(data["id"]), str(data["status"]), data.get("conclusion"),
                   str(data.get("html_url", "")), str(data.get("head_branch", "")),
                   str(data.get("event", "")))


class GitHubActions:
    """The Actions endpoints of one repository, through the service's authenticated session."""

    def __init__(self, service: GitHubService) -> None:
        self.service = service
        self.base = f"{service.api_url}/repos/{service.repo_name}/actions"

    def _get(self, action: str, url: str, poll: Poll | None = None, **params: Any) -> Any:
        """The JSON at `url`; within a `poll`, asked conditionally (If-None-Match) once the URL
        has an ETag, a 304 giving back the JSON kept with it."""
        key = url + ("?" + urllib.parse.urlencode(sorted(params.items())) if params else "")
        kept = poll.seen.get(key) if poll is not None else None
        headers = {"If-None-Match": kept[0]} if kept is not None else None
        response = self._request(action, "GET", url, params=params or None, headers=headers)
        if response.status_code == 304 and poll is not None and kept is not None:
            poll.unchanged += 1
            return kept[1]
        data = response.json()
        tag = response.headers.get("ETag")
        if poll is not None and tag:
            poll.seen[key] = (tag, data)
        return data

    def _request(self, action: str, method: str, url: str, allow: tuple[int, ...] = (),
                 **kwargs: Any) -> requests.Response:
        return self.service.request(method, url, action, allow=allow, hints=_HINTS, **kwargs)

    def workflow_exists(self, workflow: str) -> bool:
        response = self._request(f"look up the workflow {workflow}", "GET",
                                 f"{self.base}/workflows/{workflow}", allow=(404,))
        return response.status_code != 404

    def dispatch_runs(self, workflow: str, ref: str, actor: str | None = None,
                      poll: Poll | None = None) -> set[int]:
        """Ids of the workflow_dispatch runs on `ref` (only `actor`'s, when given)."""
        params: dict[str, Any] = {"event": "workflow_dispatch", "branch": ref, "per_page": 100}
        if actor:
            params["actor"] = actor
        data = self._get(f"list the runs of {workflow}", f"{self.base}/workflows/{workflow}/runs",
                         poll, **params)
        return {int(run["id"]) for run in data.get("workflow_runs", [])
                if not actor or (run.get("actor") or {}).get("login") == actor}

    def declared_inputs(self, workflow: str, ref: str) -> str:
        """The workflow file's workflow_dispatch inputs on `ref`, as "name (required choice:
        none, testpypi, pypi)"; "" when the file cannot be read."""
        path = f".github/workflows/{workflow}"
        response = self.service.request(
            "GET", f"{self.service.api_url}/repos/{self.service.repo_name}/contents/{path}",
            f"read {path}", allow=(403, 404), params={"ref": ref})
        if response.status_code != 200:
            return ""
        try:
            text = base64.b64decode(response.json().get("content", "")).decode("utf-8")
            document = yaml.safe_load(text) or {}
            triggers = document.get("on", document.get(True)) or {}
            if not isinstance(triggers, dict) or "workflow_dispatch" not in triggers:
                return "no workflow_dispatch trigger"
            inputs = (triggers["workflow_dispatch"] or {}).get("inputs") or {}
        except (ValueError, UnicodeDecodeError, yaml.YAMLError, AttributeError):
            return ""
        return "; ".join(_describe_input(str(name), spec or {}) for name, spec in inputs.items()) \
            or "no inputs"

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
        through the service's `sleep`); `before`: the runs on `ref` known already. A 422 names
        the inputs the workflow file declares."""
        actor = self.service.token_login()
        if before is None:
            before = self.dispatch_runs(workflow, ref, actor)
        action = f"dispatch {workflow} on {ref} with inputs {dict(inputs)}"
        response = self._request(
            action, "POST", f"{self.base}/workflows/{workflow}/dispatches", allow=(422,),
            needs="actions: write", json={"ref": ref, "inputs": dict(inputs), "return_run_details": True})
        if response.status_code == 422:
            raise self._refused_dispatch(response, action, workflow, ref)
        if response.status_code == 200 and response.content:
            return self.run(int(response.json()["workflow_run_id"]))
        poll = Poll()
        for attempt in range(attempts):
            new = self.dispatch_runs(workflow, ref, actor, poll) - before
            if len(new) == 1:
                return self.run(new.pop())
            if len(new) > 1:
                ids = ", ".join(str(n) for n in sorted(new))
                raise ServiceError(f"dispatched {workflow} on {ref}; {len(new)} new runs by {actor} "
                                   f"appeared at once ({ids}), so which is this one is unclear",
                                   hint="pick it on the Actions page and pass --run-id ID")
            self.service.sleep(min(2.0 * (attempt + 1), 10.0))
        raise ServiceError(f"dispatched {workflow} on {ref}, but no new run by {actor} appeared",
                           hint=f"look at {self.service.repo_name}'s Actions page and pass --run-id")

    def _refused_dispatch(self, response: requests.Response, action: str, workflow: str,
                          ref: str) -> ServiceError:
        message = response_message(response)
        if message.startswith("No ref found"):
            return ServiceError(f"GitHub refused to {action} (422: {message})", hint=_HINTS[422])
        declared = self.declared_inputs(workflow, ref)
        where = f".github/workflows/{workflow} on {ref} in {self.service.repo_name}"
        return ServiceError(f"GitHub refused to {action} (422: {message})",
                            hint=f"{where} declares: {declared or 'nothing readable'}; give the "
                                 "inputs it declares (--environment), or fix the workflow file")

    def run(self, run_id: int, poll: Poll | None = None) -> RunInfo:
        return _run_info(self._get(f"read run {run_id}", f"{self.base}/runs/{run_id}", poll))

    def artifacts(self, run_id: int) -> list[ArtifactInfo]:
        """Every artifact of the run, page after page as GitHub's Link header leads."""
        found: list[ArtifactInfo] = []
        url: str | None = f"{self.base}/runs/{run_id}/artifacts"
        params: dict[str, int] | None = {"per_page": 100}
        while url:
            response = self._request(f"list the artifacts of run {run_id}", "GET", url, params=params)
            found += [ArtifactInfo(int(a["id"]), str(a["name"]), int(a.get("size_in_bytes", 0)),
                                   str(a["archive_download_url"]), bool(a.get("expired")),
                                   str(a["digest"]) if a.get("digest") else None)
                      for a in response.json().get("artifacts", [])]
            url, params = response.links.get("next", {}).get("url"), None  # the next URL has the query
        return found

    def download(self, artifact: ArtifactInfo) -> dict[str, bytes]:
        """The files inside an artifact's zip, by name (GitHub serves every artifact zipped)."""
        expired = ServiceError(f"artifact {artifact.name} has expired",
                               hint="rerun the workflow; artifacts are kept for a limited time")
        if artifact.expired:
            raise expired
        action = f"download the artifact {artifact.name}"
        for _ in range(2):  # the signed link lives a minute: one more if it died on the way
            response = self._request(action, "GET", artifact.download_url, allow=(403, 410))
            if response.status_code == 410:
                raise expired
            if response.status_code == 403 and not response.history:  # the API's own refusal
                raise describe_failure(403, response.headers, response_message(response), action,
                                       self.service.repo_name, "actions: read")
            if response.status_code == 200:
                break
        else:
            raise ServiceError(f"could not {action}: its download link was refused twice "
                               f"({response.status_code})",
                               hint="check the machine's clock and rerun; links live a minute")
        got = "sha256:" + hashlib.sha256(response.content).hexdigest()
        if artifact.digest is not None and got != artifact.digest:
            raise ServiceError(f"the artifact {artifact.name} downloaded is not the one GitHub lists "
                               f"(digest {got}, listed {artifact.digest})",
                               hint="download it again; if it differs again, look at the run's page")
        try:
            with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
                return {info.filename.rsplit("/", 1)[-1]: archive.read(info)
                        for info in archive.infolist() if not info.is_dir()}
        except zipfile.BadZipFile:
            raise ServiceError(f"the artifact {artifact.name} is not a zip file",
                               hint="download it from the run's page and look at it") from None
