"""The toolkit's answer to each of GitHub's refusals: one line saying what, one hint saying what to
do, and nothing half-done; and the answers GitHub gives that are not refusals (redirects, null
digests, 204-only dispatch, the GraphQL limit) handled."""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path

import pytest
from conftest import GITHUB_CANARY
from helpers import Cli

from release.config import load_config
from release.errors import ServiceError
from release.fakes.dists import seed_wheel_workflow
from release.fakes.example import ExampleProject
from release.fakes.github import FakeGitHub
from release.fakes.github_tokens import Token
from release.services.github import GitHubService
from release.services.github_actions import GitHubActions
from release.services.github_releases import GitHubReleases
from release.wheels.assets import LocalAsset


def last_two(err: str, words: str) -> None:
    """The step's progress lines, then exactly `error: ...` (with `words`) and `hint: ...`."""
    lines = err.strip().splitlines()
    assert lines[-2].startswith("error: ") and words in lines[-2], err
    assert lines[-1].startswith("hint: ") and sum(line.startswith("error:") for line in lines) == 1

REPO = "example/tinynum"
VERSION = "1.2.0"


class Sleeps:
    def __init__(self, then: object = None) -> None:
        self.waits: list[float] = []
        self.then = then

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        if callable(self.then):
            self.then()


def service(gh: FakeGitHub, tmp_path: Path, token: str = GITHUB_CANARY, repo: str = REPO,
            **options: object) -> GitHubService:
    options.setdefault("progress", io.StringIO())
    options.setdefault("sleep", Sleeps())
    return GitHubService(repo, token=token, api_url=gh.api_url, graphql_url=gh.graphql_url,
                         cache_dir=tmp_path / "cache", **options)  # type: ignore[arg-type]


def test_a_dispatch_the_workflow_refuses_names_its_inputs(example: ExampleProject, cli: Cli,
                                                          fake_github: FakeGitHub) -> None:
    config = load_config(example.repo).config
    seed_wheel_workflow(fake_github, config, VERSION, source=(
        "on:\n  workflow_dispatch:\n    inputs:\n      upload:\n        required: true\n"
        "        type: choice\n        options: [skip, testpypi]\n"))
    result = cli("wheels", VERSION, "--repo", str(example.repo), "--dispatch", "--poll-interval", "0")
    assert result.code == 1
    last_two(result.err, 'Unexpected inputs provided: ["environment"]')
    hint = result.err.strip().splitlines()[-1]
    assert ".github/workflows/wheels.yml on maintenance/1.2.x" in hint
    assert "declares: upload (required choice: skip, testpypi)" in hint
    assert fake_github.repo(config.wheels.workflow_repo).runs == {}
    assert not (example.repo / "dist").exists()


def test_a_pull_request_from_an_unpushed_branch_says_push_first(fake_github: FakeGitHub,
                                                                tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as refused:
        service(fake_github, tmp_path).create_pull("REL", "", "alice:prepare-1.2.0", "main")
    assert "422" in refused.value.message and "PullRequest head invalid" in refused.value.message
    assert "push prepare-1.2.0 to alice's fork first" in (refused.value.hint or "")
    assert fake_github.repo(REPO).pulls == {}


def test_a_missing_permission_is_named(tmp_path: Path) -> None:
    tokens: dict[str, str | Token] = {
        "fine": Token({"contents": "write"}), "classic": Token({"contents": "read"}, kind="classic")}
    with FakeGitHub(tokens=tokens) as gh:
        gh.add_repo(REPO)
        gh.add_ref(REPO, "heads/prepare", "f" * 40)
        with pytest.raises(ServiceError) as fine:
            service(gh, tmp_path, "fine").create_pull("REL", "", "prepare", "main")
        assert fine.value.message.endswith("this needs pull requests: write")
        assert "give the token pull requests: write on example/tinynum" in (fine.value.hint or "")
        with pytest.raises(ServiceError) as classic:
            service(gh, tmp_path, "classic").create_issue("Update .mailmap", "")
        assert "404" in classic.value.message and "issues: write" in classic.value.message
        assert "`repo` scope" in (classic.value.hint or "")
        assert gh.repo(REPO).pulls == {} and gh.repo(REPO).issues == {}


@pytest.mark.parametrize("spelling", ["RATE_LIMITED", "RATE_LIMIT"])
def test_graphql_limit_far_off_says_when(spelling: str, tmp_path: Path) -> None:
    with FakeGitHub(graphql_limit_type=spelling) as gh:
        gh.add_repo(REPO)
        gh.set_graphql_budget(0)
        with pytest.raises(ServiceError) as limited:
            service(gh, tmp_path, "t").pull_requests([1, 2])
    assert limited.value.message == ("GitHub's GraphQL rate limit is used up; could not read the "
                                     "rate limit")
    assert "UTC (in 60 min)" in (limited.value.hint or "")


@pytest.mark.parametrize("spelling", ["RATE_LIMITED", "RATE_LIMIT"])
def test_graphql_limit_resetting_soon_is_waited_out(spelling: str, tmp_path: Path) -> None:
    with FakeGitHub(graphql_limit_type=spelling) as gh:
        gh.add_repo(REPO)
        gh.add_pull(REPO, 1, "ENH: one", "bob")
        gh.reset_epoch = int(time.time()) + 120
        gh.set_graphql_budget(0)
        sleeps = Sleeps(then=lambda: gh.set_graphql_budget(5000))
        progress = io.StringIO()
        found = service(gh, tmp_path, "t", sleep=sleeps, progress=progress).pull_requests([1])
    assert found[1].title == "ENH: one"
    assert len(sleeps.waits) == 1 and 100 < sleeps.waits[0] <= 122
    assert "GraphQL rate limit is used up: waiting until it resets at" in progress.getvalue()


def test_assets_without_a_digest_are_hashed_by_download(fake_github: FakeGitHub, tmp_path: Path) -> None:
    releases = GitHubReleases(service(fake_github, tmp_path))
    draft = releases.create_draft("v1.2.0", "v1.2.0", "notes", prerelease=False)
    data = b"tinynum 1.2.0 sdist bytes"
    releases.upload(draft.id, LocalAsset("sdist", "tinynum-1.2.0.tar.gz", data, "dist"))
    fake_github.drop_digests(REPO)
    [asset] = GitHubReleases(service(fake_github, tmp_path)).assets(draft.id)
    assert asset.sha256 == hashlib.sha256(data).hexdigest()


def test_an_expired_artifact_says_so(fake_github: FakeGitHub, tmp_path: Path) -> None:
    fake_github.add_workflow(REPO, "wheels.yml", artifacts={"sdist": {"a.tar.gz": b"a"}})
    actions = GitHubActions(service(fake_github, tmp_path))
    run = actions.dispatch("wheels.yml", "main", {"environment": "none"})
    while not actions.run(run.id).done:
        pass
    [artifact] = actions.artifacts(run.id)
    assert actions.download(artifact) == {"a.tar.gz": b"a"}  # through GitHub's 302
    fake_github.expire_artifacts(REPO)
    with pytest.raises(ServiceError) as gone:
        actions.download(artifact)
    assert gone.value.message == "artifact sdist has expired"


def test_a_download_link_that_expired_on_the_way_is_asked_for_again(fake_github: FakeGitHub,
                                                                   tmp_path: Path) -> None:
    fake_github.add_workflow(REPO, "wheels.yml", artifacts={"sdist": {"a.tar.gz": b"a"}})
    actions = GitHubActions(service(fake_github, tmp_path))
    run = actions.dispatch("wheels.yml", "main", {"environment": "none"})
    while not actions.run(run.id).done:
        pass
    [artifact] = actions.artifacts(run.id)
    # signed at 0, used at 61 (a minute is all a link lives), signed again and used at 100
    times = iter([0.0, 61.0, 100.0, 100.0])
    fake_github.links.clock = lambda: 1_900_000_000 + next(times)
    assert actions.download(artifact) == {"a.tar.gz": b"a"}
    times = iter([0.0, 61.0, 100.0, 161.0])
    with pytest.raises(ServiceError) as refused:
        actions.download(artifact)
    assert "its download link was refused twice (403)" in refused.value.message


def test_enterprise_dispatch_finds_its_own_run_not_someone_elses(tmp_path: Path) -> None:
    with FakeGitHub(enterprise=True, tokens={"mine": "write"}) as gh:
        gh.add_repo(REPO)
        gh.add_workflow(REPO, "wheels.yml")
        sleeps = Sleeps()

        def someone_else_dispatches() -> None:  # while the toolkit waits for its run
            if len(sleeps.waits) == 1:
                gh.start_run(REPO, "wheels.yml", "main", "someone-else")

        sleeps.then = someone_else_dispatches
        actions = GitHubActions(service(gh, tmp_path, "mine", sleep=sleeps))
        run = actions.dispatch("wheels.yml", "main", {"environment": "none"})
        mine = [r.id for r in gh.repo(REPO).runs.values() if r.actor == gh.login]
        others = [r.id for r in gh.repo(REPO).runs.values() if r.actor != gh.login]
    assert [run.id] == mine and others and run.id not in others
    assert sleeps.waits  # the run was listed only after a wait, as on Enterprise Server


def test_the_token_never_shows_in_refusals(tmp_path: Path) -> None:
    canary = "ghp_canary_refusals_000000000000000001"
    with FakeGitHub(tokens={canary: Token({"contents": "read"})}) as gh:
        gh.add_repo(REPO)
        texts = []
        for attempt in (lambda: service(gh, tmp_path, canary).create_pull("t", "", "x:y", "main"),
                        lambda: service(gh, tmp_path, canary).create_issue("t", "")):
            with pytest.raises(ServiceError) as problem:
                attempt()
            texts += [problem.value.message, problem.value.hint or ""]
    assert not any(canary in text for text in texts)
    assert os.environ.get("GITHUB_TOKEN") != canary
