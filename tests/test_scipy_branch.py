"""`branch` under the SciPy profile, at SciPy's real 1.18 branch point: the maintenance branch
with its upper bounds pinned as SciPy pinned them, main's next version as SciPy's own commit
made it, and no tag."""

from __future__ import annotations

import io
import os
import subprocess
import tomllib
from pathlib import Path

import pytest
from helpers import Cli, git, snapshot

from release.cli import main
from release.fakes.pypi import LocalIndex

PINS_SUBJECT = "MAINT: version pins/prep for 1.18.0rc1"
NEXT_SUBJECT = "REL: set version to `1.19.0.dev0`"
# the newest releases SciPy's pins commit names as working "at time of writing"
NEWEST = ("meson_python-0.19.0.tar.gz", "cython-3.2.4.tar.gz", "cython-3.3.0b1.tar.gz",
          "pybind11-3.0.4.tar.gz", "pythran-0.18.1.tar.gz", "pythran-0.17.0.tar.gz")


def _commit(repo: Path, subject: str, ref: str = "--all") -> str:
    found = git(repo, "log", ref, "--format=%H %s").splitlines()
    return next(line.split()[0] for line in found if line.split(" ", 1)[1] == subject)


@pytest.fixture(scope="module")
def at_branch_point(scipy_bundle_clone: Path,
                    tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """SciPy's history with main where SciPy branched 1.18.x, an upstream holding it."""
    root = tmp_path_factory.mktemp("scipy-branch")
    repo = root / "scipy"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(scipy_bundle_clone), str(repo)],
                   check=True)
    pins = _commit(repo, PINS_SUBJECT)
    real = {PINS_SUBJECT: pins, NEXT_SUBJECT: _commit(repo, NEXT_SUBJECT)}
    point = git(repo, "rev-parse", f"{pins}^").strip()
    git(repo, "checkout", "--quiet", "-B", "main", point)
    git(repo, "config", "user.name", "Release Manager")
    git(repo, "config", "user.email", "rm@example.org")
    subprocess.run(["git", "init", "--quiet", "--bare", str(root / "upstream.git")], check=True)
    git(repo, "remote", "rename", "origin", "upstream")
    git(repo, "remote", "set-url", "upstream", str(root / "upstream.git"))
    git(repo, "push", "--quiet", "upstream", "main")
    git(repo, "fetch", "--quiet", "upstream")
    git(repo, "branch", "--quiet", "--set-upstream-to", "upstream/main")
    (root / "release.toml").write_text('[tool.release]\nprofile = "scipy"\n', encoding="utf-8")
    return repo, real


@pytest.fixture(scope="module")
def branched(at_branch_point: tuple[Path, dict[str, str]],
             pypi_server: LocalIndex) -> tuple[Path, str, str, dict[str, str]]:
    for name in NEWEST:
        (pypi_server.packages / name).write_bytes(b"")
    repo, real = at_branch_point
    point = git(repo, "rev-parse", "main").strip()
    out, err = io.StringIO(), io.StringIO()
    code = main(["branch", "1.18.0", "--repo", str(repo), "--config",
                 str(repo.parent / "release.toml"), "--index-url", pypi_server.simple_url],
                env=dict(os.environ), out=out, err=err)
    assert code == 0, err.getvalue()
    return repo, point, err.getvalue(), real


def _requirements(text: str) -> list[str]:
    data = tomllib.loads(text)
    return [*data["build-system"]["requires"], *data["project"]["dependencies"]]


Branched = tuple[Path, str, str, dict[str, str]]


def test_maintenance_branch_pins_upper_bounds_as_scipy_did(branched: Branched) -> None:
    repo, point, err, real = branched
    assert git(repo, "rev-parse", "maintenance/1.18.x^").strip() == point
    assert git(repo, "log", "-1", "--format=%s", "maintenance/1.18.x").strip() == PINS_SUBJECT
    ours = _requirements(git(repo, "show", "maintenance/1.18.x:pyproject.toml"))
    theirs = _requirements(git(repo, "show", f"{real[PINS_SUBJECT]}:pyproject.toml"))
    assert ours == ["meson-python>=0.15.0,<0.20.0", "Cython>=3.2.0,<3.3.0",
                    "pybind11>=2.13.2,<3.1.0", "pythran>=0.18.1,<0.19.0",
                    "numpy>=2.0.0,<2.8", "numpy>=2.0.0,<2.8"]
    # SciPy's own: the same, except a looser pre-emptive bound on meson-python chosen by hand
    assert [t for t in theirs if not t.startswith("meson-python")] == ours[1:]
    assert theirs[0] == "meson-python>=0.15.0,<0.22.0"
    # only pyproject.toml: scipy/__init__.py (np_maxversion) is not in the history fixture
    assert git(repo, "diff", "--name-only", point, "maintenance/1.18.x").split() == ["pyproject.toml"]
    assert "scipy/__init__.py is not in this checkout" in err
    assert 'version = "1.18.0.dev0"' in git(repo, "show", "maintenance/1.18.x:pyproject.toml")


def test_main_gets_scipy_s_next_version_commit_on_a_pr_branch(branched: Branched) -> None:
    repo, point, _, found = branched
    work = "set-version-1.19.0.dev0"
    assert git(repo, "rev-parse", f"{work}^").strip() == point
    assert git(repo, "rev-parse", "main").strip() == point
    assert git(repo, "log", "-1", "--format=%s", work).strip() == NEXT_SUBJECT
    real = found[NEXT_SUBJECT]
    files = ["doc/source/release.rst", "doc/source/release/1.19.0-notes.rst", "pyproject.toml"]
    assert git(repo, "diff", "--name-only", point, work).split() == files
    for path in ("doc/source/release.rst", "pyproject.toml"):
        assert git(repo, "show", f"{work}:{path}") == git(repo, "show", f"{real}:{path}"), path
    ours = git(repo, "show", f"{work}:{files[1]}").splitlines()
    theirs = git(repo, "show", f"{real}:{files[1]}").splitlines()
    # SciPy's Python range is a hand-written draft (3.15 before its classifier exists)
    assert ours[19] == "This release requires Python 3.12-3.14 and NumPy 2.0.0 or greater."
    assert theirs[19] == "This release requires Python 3.12-3.15 and NumPy 2.0.0 or greater."
    assert ours[:19] + ours[20:] == theirs[:19] + theirs[20:]
    assert not [t for t in git(repo, "tag", "--points-at", work).split()]
    assert not git(repo, "tag", "-l", "*.dev0").strip()


def test_rerun_has_nothing_to_do(branched: Branched, cli: Cli, pypi_server: LocalIndex) -> None:
    repo = branched[0]
    before = snapshot(repo)
    result = cli("branch", "1.18.0", "--repo", str(repo), "--config",
                 str(repo.parent / "release.toml"), "--index-url", pypi_server.simple_url)
    assert result.code == 0, result.err
    assert "nothing to do" in result.out
    assert snapshot(repo) == before


def test_upper_bounds_rules_and_refusals() -> None:
    from packaging.version import Version

    from release.errors import PreconditionError
    from release.repo.upper_bounds import apply_pins, np_maxversion, pins

    text = ('[build-system]\nrequires = ["meson-python>=0.15", "numpy>=2.0.0",\n'
            '  "pybind11>=2.13,<3"]\n[project]\nname = "x"\nversion = "1.0.0.dev0"\n'
            "dependencies = ['numpy>=1.26 ; python_version<\"3.13\"']\n")
    found = pins(text, "pyproject.toml", newest_numpy="2.5",
                 newest=lambda name: Version("0.19.2") if name == "meson-python" else None)
    assert [p.new for p in found] == ["meson-python>=0.15,<0.20.0", "numpy>=2.0.0,<2.8",
                                      'numpy>=1.26,<2.8 ; python_version<"3.13"']
    assert "pybind11>=2.13,<3" in apply_pins(text, found, "pyproject.toml")
    assert "'numpy>=1.26,<2.8 ; python_version<\"3.13\"'" in apply_pins(text, found, "p")
    with pytest.raises(PreconditionError, match="no release of meson-python on the index"):
        pins(text, "pyproject.toml", newest_numpy="2.5", newest=lambda name: None)
    assert np_maxversion("np_minversion = '2.0.0'\nnp_maxversion = '9.9.99'\n", "2.5") == (
        "np_minversion = '2.0.0'\nnp_maxversion = '2.8.0'\n")
    assert np_maxversion("nothing here\n", "2.5") is None


def test_after_the_pull_request_is_merged_there_is_nothing_to_do(
        branched: Branched, cli: Cli, pypi_server: LocalIndex, tmp_path: Path) -> None:
    repo = tmp_path / "scipy"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(branched[0]), str(repo)],
                   check=True)
    git(repo, "checkout", "--quiet", "-B", "main", "origin/set-version-1.19.0.dev0")
    git(repo, "branch", "--quiet", "-D", "set-version-1.19.0.dev0")  # the clone's first branch
    git(repo, "branch", "--quiet", "maintenance/1.18.x", "origin/maintenance/1.18.x")
    git(repo, "remote", "add", "upstream", str(branched[0].parent / "upstream.git"))
    result = cli("branch", "1.18.0", "--repo", str(repo), "--config",
                 str(branched[0].parent / "release.toml"), "--index-url", pypi_server.simple_url)
    assert result.code == 0, result.err
    assert "main says 1.19.0.dev0 (its pull request is merged); nothing to do" in result.out


def test_the_rehearsal_index_holds_each_build_requirement_at_its_floor(
        at_branch_point: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    from release.fakes.dists import seed_build_requirements

    repo = at_branch_point[0]
    pyproject = git(repo, "show", "main:pyproject.toml")
    names = seed_build_requirements(tmp_path, pyproject, "pyproject.toml")
    assert names == ["meson_python-0.15.0.tar.gz", "cython-3.2.0.tar.gz",
                     "pybind11-2.13.2.tar.gz", "pythran-0.18.1.tar.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
