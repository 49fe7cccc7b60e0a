"""The release-repository check against numpy-release's real files, served by the fake GitHub (or
read from a local clone), and the problems it must name."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, GITHUB_CANARY
from helpers import Cli, git, table_rows

from release.assistants.wheels_workflow import is_commit_pin, parse_pins, parse_workflow
from release.config import load_config
from release.fakes.dists import seed_wheel_workflow, write_dists
from release.fakes.example import ExampleProject
from release.fakes.github import FakeGitHub
from release.fakes.pypi import LocalIndex

RELEASE = DATA / "numpy-release"
REPO = "numpy/numpy-release"
WORKFLOW = ".github/workflows/wheels.yml"
OPENBLAS = "requirements/openblas_requirements.txt"


def _files(branch: str) -> dict[str, str]:
    folder = RELEASE / branch.replace("/", "-")
    return {WORKFLOW: (folder / "wheels.yml").read_text(),
            OPENBLAS: (folder / "openblas_requirements.txt").read_text()}


@pytest.fixture
def release_repo(fake_github: FakeGitHub) -> FakeGitHub:
    fake_github.add_repo(REPO, "main")
    for branch in ("main", "maintenance/2.4.x", "maintenance/2.5.x"):
        for path, text in _files(branch).items():
            fake_github.add_file(REPO, branch, path, text)
    return fake_github


def _edit(github: FakeGitHub, branch: str, path: str, old: str, new: str) -> None:
    text = _files(branch)[path]
    assert old in text, old
    github.add_file(REPO, branch, path, text.replace(old, new))


def _row(out: str, check: str) -> list[str]:
    for row in table_rows(out):
        if row[1] == check:
            return row
    raise AssertionError(f"no row {check!r} in\n{out}")


def test_the_real_files_parse_as_numpy_release_builds_them() -> None:
    workflow = parse_workflow(_files("maintenance/2.5.x")[WORKFLOW], "2.5.x")
    assert workflow.source_ref == "maintenance/2.5.x"
    assert workflow.dispatch_inputs == {"environment": ("none", "testpypi", "pypi")}
    assert workflow.cibuildwheel is not None and workflow.cibuildwheel.version == "3.4.1"
    assert is_commit_pin(workflow.cibuildwheel)
    assert workflow.pythons == ("cp312", "cp313", "cp314", "cp314t")
    assert len(workflow.rows) == 11
    builds = workflow.builds()
    assert len(builds) == 44 and ("cp313", "pyodide_wasm32") in builds  # 43 + pyodide
    assert ("cp314t", "macosx_x86_64-openblas") not in builds
    assert workflow.nightly_on_dispatch
    assert len(parse_workflow(_files("maintenance/2.4.x")[WORKFLOW], "2.4.x").builds()) == 72
    assert parse_pins(_files("maintenance/2.4.x")[OPENBLAS]) == {
        "scipy-openblas32": "0.3.31.188.0", "scipy-openblas64": "0.3.31.188.0"}


def test_maintenance_branch_as_numpy_left_it_passes(release_repo: FakeGitHub, tmp_path: Path,
                                                    cli: Cli) -> None:
    release_repo.reset_counts()
    result = cli("wheels-repo", "2.5.2", "--repo", str(tmp_path), "--offline")
    assert result.code == 0, result.out + result.err
    # Both files on both branches in one GraphQL query, and nothing else.
    assert (release_repo.counted_rest, release_repo.graphql_calls) == (0, 1)
    for check in ("SOURCE_REF_TO_BUILD", "workflow_dispatch input", "cibuildwheel",
                  "OpenBLAS (scipy-openblas32)", "Python list", "platforms", "wheel jobs"):
        assert _row(result.out, check)[2] == "pass", check
    assert "43 wheel jobs for PyPI, 43 expected" in _row(result.out, "wheel jobs")[3]
    assert "v3.4.1 on maintenance/2.5.x, v3.2.1 on maintenance/2.4.x" in _row(result.out, "cibuildwheel")[3]
    assert _row(result.out, "nightly upload")[2] == "warn"
    assert GITHUB_CANARY not in result.out + result.err


def test_main_left_on_the_maintenance_branch_fails(release_repo: FakeGitHub, tmp_path: Path,
                                                   cli: Cli) -> None:
    _edit(release_repo, "maintenance/2.5.x", WORKFLOW, "SOURCE_REF_TO_BUILD: maintenance/2.5.x",
          "SOURCE_REF_TO_BUILD: main")
    result = cli("wheels-repo", "2.5.2", "--repo", str(tmp_path), "--offline")
    assert result.code == 1
    row = _row(result.out, "SOURCE_REF_TO_BUILD")
    assert row[2] == "fail"
    assert "main on maintenance/2.5.x builds main" in row[3] and "v2.5.2 or maintenance/2.5.x" in row[3]
    assert "Set SOURCE_REF_TO_BUILD to maintenance/2.5.x" in row[4]


@pytest.mark.parametrize(("ref", "status"), [("v2.5.2", "pass"), ("v2.5.1", "fail")])
def test_a_tag_must_be_the_release_tag(release_repo: FakeGitHub, tmp_path: Path, cli: Cli, ref: str,
                                       status: str) -> None:
    _edit(release_repo, "maintenance/2.5.x", WORKFLOW, "SOURCE_REF_TO_BUILD: maintenance/2.5.x",
          f"SOURCE_REF_TO_BUILD: {ref}")
    result = cli("wheels-repo", "2.5.2", "--repo", str(tmp_path), "--offline")
    assert _row(result.out, "SOURCE_REF_TO_BUILD")[2] == status, result.out


def test_a_workflow_without_the_dispatch_input_fails(release_repo: FakeGitHub, tmp_path: Path,
                                                     cli: Cli) -> None:
    _edit(release_repo, "maintenance/2.5.x", WORKFLOW, "      environment:\n", "      target:\n")
    result = cli("wheels-repo", "2.5.2", "--repo", str(tmp_path), "--offline")
    row = _row(result.out, "workflow_dispatch input")
    assert result.code == 1 and row[2] == "fail"
    assert "sends `environment`, the workflow declares target" in row[3] and "422" in row[3]


def test_a_missing_free_threaded_python_fails(release_repo: FakeGitHub, tmp_path: Path, cli: Cli) -> None:
    _edit(release_repo, "maintenance/2.5.x", WORKFLOW, '"cp314", "cp314t"]', '"cp314"]')
    result = cli("wheels-repo", "2.5.2", "--repo", str(tmp_path), "--offline")
    assert result.code == 1
    assert "missing cp314t" in _row(result.out, "Python list")[3]
    jobs = _row(result.out, "wheel jobs")
    assert jobs[2] == "fail" and "33 wheel jobs for PyPI, 43 expected" in jobs[3]
    assert "not built: cp314t:" in jobs[3]


def test_platform_rows_against_the_tiers(release_repo: FakeGitHub, tmp_path: Path, cli: Cli) -> None:
    """numpy-release main (2.6): a win32 row put back is built after its tier was dropped; a
    tier-1 platform without a row is named with its tier."""
    _edit(release_repo, "main", WORKFLOW, "          - [windows-11-arm, win_arm64, \"\"]",
          "          - [windows-2022, win32, \"\"]")
    result = cli("wheels-repo", "2.6.0", "--repo", str(tmp_path), "--offline", "--workflow-ref", "main")
    assert result.code == 1
    row = _row(result.out, "platforms")
    assert row[2] == "fail"
    assert "no build row for win_arm64 (Windows arm64, NEP 57 tier 1)" in row[3]
    assert ("win32 still built (Windows x86 (32-bit), NEP 57 tier 3): its tier gets no wheels "
            "on PyPI") in row[3]
    assert "main on main builds main" in _row(result.out, "SOURCE_REF_TO_BUILD")[3]


def test_pins_against_the_previous_branch_and_the_index(release_repo: FakeGitHub, tmp_path: Path, cli: Cli,
                                                        pypi: LocalIndex) -> None:
    """cibuildwheel older than the previous branch's and than the index's newest: a warning whose
    fix is the command that gives the commit to pin; OpenBLAS the same with the sed line."""
    _edit(release_repo, "maintenance/2.5.x", WORKFLOW, "# v3.4.1", "# v3.1.0")
    for name in ("cibuildwheel-9.1.0-py3-none-any.whl", "scipy_openblas32-0.3.40.1.0-py3-none-any.whl",
                 "scipy_openblas64-0.3.40.1.0-py3-none-any.whl", "cibuildwheel-10.0.0b1-py3-none-any.whl"):
        write_dists(pypi.packages, [name], name.split("-")[0])
    result = cli("wheels-repo", "2.5.2", "--repo", str(tmp_path), "--index-url", pypi.url)
    assert result.code == 0, result.out + result.err
    row = _row(result.out, "cibuildwheel")
    assert row[2] == "warn"
    assert "older than maintenance/2.4.x's v3.2.1" in row[3] and "9.1.0 is out" in row[3]
    assert "gh api repos/pypa/cibuildwheel/commits/v9.1.0 --jq .sha" in row[4]
    blas = _row(result.out, "OpenBLAS (scipy-openblas64)")
    assert blas[2] == "warn" and "0.3.40.1.0 is out" in blas[3]
    assert "sed -i" in blas[4] and "requirements/openblas_requirements.txt" in blas[4]


def test_a_branch_without_the_workflow_fails(release_repo: FakeGitHub, tmp_path: Path, cli: Cli) -> None:
    result = cli("wheels-repo", "2.7.0", "--repo", str(tmp_path), "--offline")
    assert result.code == 1, result.err
    assert "no .github/workflows/wheels.yml on maintenance/2.7.x of numpy/numpy-release" in \
        _row(result.out, "wheels.yml")[3]


def test_a_local_checkout_reads_the_same(tmp_path: Path, cli: Cli) -> None:
    checkout = tmp_path / "numpy-release"
    git(tmp_path, "init", "-q", "-b", "main", str(checkout))
    for branch in ("maintenance/2.4.x", "maintenance/2.5.x"):
        git(checkout, "checkout", "-q", "-B", branch)
        for path, text in _files(branch).items():
            (checkout / path).parent.mkdir(parents=True, exist_ok=True)
            (checkout / path).write_text(text.replace("SOURCE_REF_TO_BUILD: maintenance/2.5.x",
                                                      "SOURCE_REF_TO_BUILD: main"))
        git(checkout, "add", "-A")
        git(checkout, "-c", "user.name=A", "-c", "user.email=a@b", "commit", "-q", "-m", branch)
    result = cli("wheels-repo", "2.5.2", "--repo", str(tmp_path), "--offline", "--checkout", str(checkout))
    assert result.code == 1
    assert _row(result.out, "SOURCE_REF_TO_BUILD")[2] == "fail"
    assert _row(result.out, "Python list")[2] == "pass"
    assert f"in {checkout}" in result.err


def test_check_has_the_rows_and_says_when_offline(example: ExampleProject, fake_github: FakeGitHub,
                                                  cli: Cli) -> None:
    """The example project's release repository as the rehearsal seeds it, with `main` left in
    SOURCE_REF_TO_BUILD: check's own row fails; offline it says it did not look."""
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    config = load_config(example.repo).config
    seed_wheel_workflow(fake_github, config, "1.2.0")
    repo, ref = config.wheels.workflow_repo, "maintenance/1.2.x"
    text = fake_github.repo(repo).files[ref][WORKFLOW]
    assert b"SOURCE_REF_TO_BUILD: maintenance/1.2.x" in text
    assert cli("wheels-repo", "1.2.0", "--repo", str(example.repo), "--offline").code == 0
    fake_github.add_file(repo, ref, WORKFLOW, text.replace(b"TO_BUILD: maintenance/1.2.x", b"TO_BUILD: main"))
    fake_github.reset_counts()
    online = cli("check", "1.2.0", "--repo", str(example.repo))
    assert online.code == 1, online.out + online.err
    # The release repository's files in one query (they were a look-up and four reads); the
    # doctor's rows and the identities ask the rest.
    assert fake_github.counted_rest + fake_github.graphql_calls <= 11
    assert _row(online.out, "SOURCE_REF_TO_BUILD")[2] == "fail"
    offline = cli("check", "1.2.0", "--repo", str(example.repo), "--offline")
    row = _row(offline.out, "release repository")
    assert row[2] == "warn" and "python -m release wheels-repo 1.2.0" in row[4]
