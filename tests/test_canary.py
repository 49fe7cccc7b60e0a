"""Every step, run with canary secrets in the environment (GitHub token, index password, SMTP
password, credentials inside URLs): not one canary in anything printed, and none in any file the
steps left (the repository and its git dir, its remotes, the caches, the state dir, the journal,
the rehearsal's workdir and report)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import Cli, git

from release.config import load_config
from release.fakes.dists import seed_wheel_workflow, write_dists
from release.fakes.example import ExampleProject, commit_release_files
from release.fakes.github import FakeGitHub
from release.fakes.github_seed import example_seed
from release.fakes.numpy_doc import build_html, build_numpy_doc
from release.fakes.pypi import LocalIndex
from release.steps import declared
from release.version import ReleaseVersion
from release.wheels.matrix import matrix_for

TOKEN = "ghp_canaryEveryStep00000000000000000000001"
CANARIES = {
    "GITHUB_TOKEN": TOKEN,
    "GH_TOKEN": "gho_canaryEveryStepGhToken000000000000002",
    "PYPI_API_TOKEN": "pypi-canaryEveryStepApiToken03",
    "RELEASE_SMTP_PASSWORD": "canary-every-step-smtp-04",
}
URL_CANARY = "canaryInsideAnUrl05"
VERSION = "1.2.0"
CHANGELOG = "doc/changelog/1.2.0-changelog.rst"


@pytest.fixture
def world(example: ExampleProject, pypi: LocalIndex, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ExampleProject, FakeGitHub, Path]]:
    with FakeGitHub(tokens={TOKEN: "write"}) as gh:
        gh.add_repo("example/tinynum", "main")
        gh.add_repo("example/tinynum-release", "main")
        gh.seed(example_seed())
        seed_wheel_workflow(gh, load_config(example.repo).config, VERSION)
        for branch in ("main", "maintenance/1.2.x"):
            gh.add_ref("example/tinynum", f"heads/{branch}", git(example.repo, "rev-parse",
                                                                  branch).strip())
        for name, value in CANARIES.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("TWINE_PASSWORD", pypi.password)
        monkeypatch.setenv("TWINE_USERNAME", pypi.username)
        monkeypatch.setenv("GITHUB_API_URL", gh.api_url)
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
        git(example.repo, "checkout", "-q", "maintenance/1.2.x")
        config = load_config(example.repo).config
        dist = tmp_path / "dist"
        write_dists(dist, matrix_for(config, ReleaseVersion.parse(VERSION)).filenames(VERSION),
                    "tinynum")
        yield example, gh, dist


def _with_url_credentials(url: str, user: str) -> str:
    return url.replace("http://", f"http://{user}:{URL_CANARY}@")


def _leaks(text: str | bytes, secrets: list[str]) -> list[str]:
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    return [secret for secret in secrets if secret.encode() in data]


def test_no_step_prints_or_leaves_a_secret(world: tuple[ExampleProject, FakeGitHub, Path],
                                           pypi: LocalIndex, tmp_path: Path,
                                           cli: Cli) -> None:
    example, gh, dist = world
    doc = build_numpy_doc(tmp_path / "doc-site", series=("1.1",), stable="1.1")
    built = build_html(tmp_path / "html", project="tinynum", version=VERSION, package="tinynum",
                       pdfs=False)
    repo = str(example.repo)
    index_with_credentials = _with_url_credentials(pypi.url, "__token__")
    secrets = [*CANARIES.values(), URL_CANARY, pypi.password]
    before_release = [
        ("check", VERSION), ("support", VERSION), ("cversions", VERSION),
        ("changelog", VERSION, "--refresh", "--output", "-"), ("notes", VERSION, "--dry-run"),
        ("mailmap", VERSION), ("mailmap", VERSION, "--issue"), ("mailmap", VERSION, "--publish"),
        ("prepare", VERSION, "--dry-run"), ("prepare", VERSION, "--push", "--fork-owner", "alice"),
        ("wheels", VERSION), ("wheels", VERSION, "--dispatch", "--poll-interval", "0.01"),
        ("wheels-repo", VERSION, "--index-url", index_with_credentials),
        ("doctor", VERSION), ("doctor", VERSION, "--probe"), ("config", "--json"),
        ("deprecations", VERSION), ("backports", VERSION), ("milestones", VERSION),
    ]
    after_release = [
        ("wheels", VERSION, "--from-dir", str(dist)),
        ("tag", VERSION, "--dry-run"), ("tag", VERSION, "--push"),
        ("upload", VERSION, "--from-dir", str(dist), "--repository-url", index_with_credentials),
        ("upload", VERSION, "--from-dir", str(dist), "--repository-url", index_with_credentials,
         "--upload"),
        ("wheels", VERSION, "--index-url", index_with_credentials),
        ("github-release", VERSION, "--dist", str(dist), "--index-url",
         _with_url_credentials(pypi.simple_url, "reader"), "--publish"),
        ("docs", VERSION, "--doc-repo", str(doc.repo), "--built", str(built)),
        ("reset-branch", VERSION, "--dry-run"), ("reset-branch", VERSION, "--push", "--fork-owner", "alice"),
        ("announce", VERSION, "--dry-run"), ("announce", VERSION, "--send"),
        ("status", VERSION, "--index-url", index_with_credentials, "--doc-repo", str(doc.repo)),
        ("ci-template", "--uses", "example/toolkit@v1", "--output", "-"),
        ("pins", str(example.repo / "pyproject.toml")),
        ("changelog", VERSION, "--repo", str(tmp_path / "no-such-repo")),
        ("sanity", VERSION, "--no-tests"),
    ]
    on_main = [("post-release", VERSION, "--dry-run"),
               ("post-release", VERSION, "--push", "--fork-owner", "alice")]
    ran: dict[str, int] = {}

    def run(argv: tuple[str, ...], *, in_repo: bool = True) -> None:
        result = cli(*argv, *(("--repo", repo) if in_repo and "--repo" not in argv else ()))
        everything = result.out + result.err
        assert result.code != 70 and "Traceback" not in everything, (argv, everything)
        assert not _leaks(everything, secrets), (argv, everything)
        ran[argv[0]] = ran.get(argv[0], 0) + 1

    for argv in before_release:
        run(argv)
    changelog = cli("changelog", VERSION, "--output", "-", "--repo", repo).out
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    commit_release_files(example, VERSION, {CHANGELOG: changelog})
    for argv in after_release:
        run(argv)
    git(example.repo, "checkout", "-q", "main")
    for argv in on_main:
        run(argv)
    git(example.repo, "checkout", "-q", "main")
    run(("branch", "1.3.0", "--dry-run"))
    run(("rehearse", "--workdir", str(tmp_path / "rehearsal")), in_repo=False)  # the example
    for name in declared():  # a step added later runs at least as `STEP VERSION`
        if name not in ran:
            run((name, VERSION))
    assert set(ran) == set(declared())
    # the steps got far: the issue, the pull requests and the release are on the fake GitHub
    state = gh.repo("example/tinynum")
    assert state.issues and len(state.pulls) >= 2 and state.releases
    assert pypi.filenames(), "upload --upload put nothing on the index"

    places = [tmp_path, example.upstream, example.fork, Path(os.environ["HOME"])]
    for place in places:
        for path in place.rglob("*"):
            if path.is_file() and not path.is_symlink():
                assert not _leaks(path.read_bytes(), secrets), path
