"""A numpy-release-shaped release repository on the fake GitHub: `.github/workflows/wheels.yml`
building the project's wheel matrix from the maintenance branch, and OpenBLAS pins."""

from __future__ import annotations

from release.assistants.wheels_repo import OPENBLAS_PATH, WORKFLOW_PATH
from release.assistants.wheels_workflow import BuildRow
from release.config import Config
from release.fakes.github import FakeGitHub
from release.templating import render
from release.version import ReleaseVersion
from release.wheels.matrix import matrix_for

# numpy-release's runners for each platform of the matrix.
RUNNERS = {
    "manylinux_x86_64": "ubuntu-22.04", "musllinux_x86_64": "ubuntu-22.04",
    "manylinux_aarch64": "ubuntu-22.04-arm", "musllinux_aarch64": "ubuntu-22.04-arm",
    "macosx_x86_64": "macos-15-intel", "macosx_arm64": "macos-14",
    "win_amd64": "windows-2022", "win32": "windows-2022", "win_arm64": "windows-11-arm",
}
CIBUILDWHEEL = "3.4.1"
CIBUILDWHEEL_SHA = "8d2b08b68458a16aeb24b64e68a09ab1c8e82084"
OPENBLAS = "0.3.33.112.0"


def workflow_text(config: Config, version: ReleaseVersion, source_ref: str) -> str:
    matrix = matrix_for(config, version)
    rows = {p.key: _row(p.key) for p in matrix.platforms}
    excluded = {(python, platform) for python, platform in matrix.exclude if platform in rows}
    # PyPy has no wheels on some platforms: numpy-release excludes those jobs one by one.
    excluded |= {(i.name, p.key) for i in matrix.interpreters if i.pypy
                 for p in matrix.platforms if not p.pypy}
    excludes = [(python, rows[platform]) for python, platform in sorted(excluded)]
    return render("stand-in-wheels.yml.j2", source_ref=source_ref, rows=list(rows.values()),
                  pythons=[i.name for i in matrix.interpreters], excludes=excludes,
                  project_repo=config.github_repo, cibuildwheel=CIBUILDWHEEL,
                  cibuildwheel_sha=CIBUILDWHEEL_SHA)


def seed_release_repo(github: FakeGitHub, config: Config, version: ReleaseVersion, ref: str) -> None:
    """The workflow and pins on `ref`, building the maintenance branch (as numpy-release does),
    and the previous series' branch beside it, which the release-repository check compares with."""
    repo = config.wheels.workflow_repo
    branches = [(ref, version)]
    if version.minor > 0:
        previous = ReleaseVersion.parse(f"{version.major}.{version.minor - 1}.0")
        branches.append((previous.maintenance_branch(config.maintenance_branch), previous))
    for branch, series in branches:
        source = series.maintenance_branch(config.maintenance_branch)
        github.add_file(repo, branch, WORKFLOW_PATH, workflow_text(config, series, source))
        github.add_file(repo, branch, OPENBLAS_PATH, render("stand-in-openblas.txt.j2", openblas=OPENBLAS))


def _row(key: str) -> BuildRow:
    platform, _, blas = key.partition("-")
    return BuildRow(RUNNERS.get(platform, "ubuntu-22.04"), platform, blas)
