"""The next release of each maintenance branch, from the branch's name and its tags."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from release.errors import PreconditionError
from release.repo.next_release import branch_series, next_release


def _merged_tags(repo: Path, branch: str) -> list[str]:
    out = subprocess.run(["git", "-C", str(repo), "tag", "--merged", f"origin/{branch}"],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


# Every maintenance branch of NumPy's history fixture and the release it makes next: one more
# than the newest final tag the branch holds (from 2.0.x on, the version NumPy's own branch reset
# wrote into pyproject.toml agrees).
EXPECTED = {
    "maintenance/1.20.x": "1.20.4", "maintenance/1.21.x": "1.21.7", "maintenance/1.22.x": "1.22.5",
    "maintenance/1.23.x": "1.23.6", "maintenance/1.24.x": "1.24.5", "maintenance/1.25.x": "1.25.3",
    "maintenance/1.26.x": "1.26.6", "maintenance/2.0.x": "2.0.3", "maintenance/2.1.x": "2.1.4",
    "maintenance/2.2.x": "2.2.7", "maintenance/2.3.x": "2.3.6", "maintenance/2.4.x": "2.4.7",
    "maintenance/2.5.x": "2.5.3",
}


def test_every_maintenance_branch_of_numpy(numpy_bundle_clone: Path) -> None:
    out = subprocess.run(["git", "-C", str(numpy_bundle_clone), "branch", "-r", "--format",
                          "%(refname:lstrip=3)"], capture_output=True, text=True, check=True).stdout
    branches = sorted(b for b in out.split() if b.startswith("maintenance/"))
    assert branches == sorted(EXPECTED)
    found = {b: str(next_release(b, _merged_tags(numpy_bundle_clone, b))) for b in branches}
    assert found == EXPECTED


def test_candidates_only_gives_the_final_and_nothing_gives_rc1() -> None:
    assert str(next_release("maintenance/2.6.x", ["v2.6.0.dev0", "v2.6.0rc1", "v2.5.2"])) == "2.6.0"
    assert str(next_release("maintenance/2.6.x", ["v2.6.0b1"])) == "2.6.0"
    assert str(next_release("maintenance/2.6.x", ["v2.6.0.dev0", "v2.5.2"])) == "2.6.0rc1"


def test_other_patterns_and_refs() -> None:
    assert branch_series("refs/heads/maintenance/1.18.x") == (1, 18)
    assert branch_series("release-1.18", "release-{major}.{minor}") == (1, 18)
    assert branch_series("main") is None
    assert str(next_release("release-1.18", ["1.18.1"], pattern="release-{major}.{minor}",
                            tag_format="{version}")) == "1.18.2"


def test_not_a_maintenance_branch_says_what_to_do() -> None:
    with pytest.raises(PreconditionError) as raised:
        next_release("main", ["v2.5.2"])
    assert "main" in raised.value.message and "rehearse 2.5.3" in (raised.value.hint or "")


def _checkout(numpy_bundle_clone: Path, dest: Path, *args: str) -> Path:
    subprocess.run(["git", "clone", "--quiet", "--shared", "--no-checkout", str(numpy_bundle_clone),
                    str(dest)], check=True)
    subprocess.run(["git", "-C", str(dest), "remote", "rename", "origin", "upstream"], check=True)
    subprocess.run(["git", "-C", str(dest), "fetch", "--quiet", "upstream",
                    "+refs/remotes/origin/*:refs/remotes/upstream/*"], check=True)
    if args:
        subprocess.run(["git", "-C", str(dest), *args], check=True, capture_output=True)
    return dest


def test_infer_from_the_checked_out_branch_or_actions_ref(numpy_bundle_clone: Path, tmp_path: Path) -> None:
    from release.repo.next_release import infer
    from release.services.git import GitService

    repo = _checkout(numpy_bundle_clone, tmp_path / "numpy", "checkout", "--quiet", "-b",
                     "maintenance/2.4.x", "upstream/maintenance/2.4.x")
    git = GitService(repo)
    found = infer(git, None, remote="upstream", env={})
    assert (str(found[0]), found[1]) == ("2.4.7", "maintenance/2.4.x")
    subprocess.run(["git", "-C", str(repo), "checkout", "--quiet", "--detach"], check=True)
    found = infer(git, None, remote="upstream", env={"GITHUB_REF_NAME": "maintenance/2.5.x"})
    assert (str(found[0]), found[1]) == ("2.5.3", "maintenance/2.5.x")
    newest = infer(git, "newest", remote="upstream", env={})
    assert (str(newest[0]), newest[1]) == ("2.5.3", "maintenance/2.5.x")
    with pytest.raises(PreconditionError) as raised:
        infer(git, None, remote="upstream", env={})
    assert "on no branch" in raised.value.message
