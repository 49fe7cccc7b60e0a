"""Golden tests: our changelog against NumPy's published 2.2.0, 2.4.1 and 2.5.2 files."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import NUMPY_FIXTURE
from helpers import Cli, git

from release.changelog.pulls import pulls_in_range
from release.services.git import GitService

PUBLISHED = NUMPY_FIXTURE / "changelogs"
# NumPy's 2.2.x copy of the tool put a plain space after a code span (see the facts, §3.4).
SEPARATOR_22 = '[tool.release]\nchangelog_code_separator = " "\n'

CASES = {
    # version: (range NumPy used, changelog_code_separator override)
    "2.2.0": ("v2.2.0.dev0^..v2.2.0", True),
    "2.4.1": ("v2.4.0..v2.4.1", False),
    "2.5.2": ("v2.5.1..v2.5.2", False),
}


@pytest.fixture(scope="module")
def numpy_repo(numpy_bundle_clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our own clone (it is checked out at each release tag, so the work tree's .mailmap is the
    release's own)."""
    dest = tmp_path_factory.mktemp("numpy-releases") / "numpy"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(numpy_bundle_clone), str(dest)],
                   check=True)
    return dest


def published(version: str) -> str:
    return (PUBLISHED / f"{version}-changelog.rst").read_text(encoding="utf-8")


def contributors_section(text: str) -> str:
    return text.split("Pull requests merged\n")[0]


def pr_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^\* `#(\d+) <", text, re.MULTILINE)]


def pr_titles(text: str) -> dict[int, str]:
    return {int(n): t for n, t in re.findall(r"^\* `#(\d+) <[^>]+>`__: (.*)$", text, re.MULTILINE)}


def config_args(version: str, tmp_path: Path) -> list[str]:
    if not CASES[version][1]:
        return []
    config = tmp_path / "numpy-2.2.x.toml"
    config.write_text(SEPARATOR_22)
    return ["--config", str(config)]


def checkout(repo: Path, version: str) -> None:
    git(repo, "checkout", "--quiet", "--detach", f"v{version}")


@pytest.mark.parametrize("version", sorted(CASES))
def test_offline_matches_published_people_and_pull_requests(
    version: str, numpy_repo: Path, cli: Cli, tmp_path: Path
) -> None:
    checkout(numpy_repo, version)
    result = cli("changelog", CASES[version][0], "--offline", "--output", "-",
                 "--repo", str(numpy_repo), *config_args(version, tmp_path))
    assert result.code == 0, result.err
    expected = published(version)
    assert contributors_section(result.out) == contributors_section(expected)
    assert pr_numbers(result.out) == pr_numbers(expected)
    assert f"A total of {len(pr_numbers(expected))} pull requests" in result.out


@pytest.mark.parametrize("version", sorted(CASES))
def test_range_inferred_from_the_version(
    version: str, numpy_repo: Path, cli: Cli, tmp_path: Path
) -> None:
    """`changelog 2.4.1 --until v2.4.1` finds NumPy's start (the previous tag, or the dev0 tag's
    first parent when the dev0 tag is on the merge of the "Begin" pull request)."""
    checkout(numpy_repo, version)
    result = cli("changelog", version, "--until", f"v{version}", "--offline", "--output", "-",
                 "--repo", str(numpy_repo), *config_args(version, tmp_path))
    assert result.code == 0, result.err
    assert f"changelog for {CASES[version][0]}" in result.err
    assert contributors_section(result.out) == contributors_section(published(version))
    assert pr_numbers(result.out) == pr_numbers(published(version))


def test_offline_titles_come_from_git(numpy_repo: Path, cli: Cli) -> None:
    """All titles but the one retitled on GitHub after the merge (#31889) are NumPy's."""
    checkout(numpy_repo, "2.5.2")
    result = cli("changelog", "v2.5.1..v2.5.2", "--offline", "--output", "-", "--repo", str(numpy_repo))
    assert result.code == 0, result.err
    ours, theirs = pr_titles(result.out), pr_titles(published("2.5.2"))
    differ = {n for n in theirs if ours[n] != theirs[n]}
    assert differ == {31889}
    assert ours[31889] == "TYP: Backport multiple static typing fixes."
    assert ours[31947] == "MAINT: Update x86-simd-sort subproject (5adb334 → fa944ef) (#31908)"


def test_pull_requests_of_every_kind_in_numpy_history(numpy_repo: Path) -> None:
    """Homu's `Auto merge of #N` (2015), a `(gh-N)` squash (2021), and in 2.4.6 a two-parent
    commit with a squash-style subject, which NumPy's tool misses and NumPy added by hand."""
    service = GitService(numpy_repo)

    def found(start: str, end: str) -> dict[int, tuple[str, str]]:
        return {p.number: (p.kind, p.title) for p in pulls_in_range(service, start, end)}

    homu = service.run(["log", "--format=%H", "-1", "--grep", "Auto merge of #6009", "main"]).strip()
    assert found(f"{homu}~1", homu)[6009] == ("homu", "MAINT: fix two Wpedantic warnings in public header")
    gh = service.run(["log", "--format=%H", "-1", "--grep", "(gh-18890)$", "main"]).strip()
    assert found(f"{gh}~1", gh) == {
        18890: ("squash", "MAINT: ssize_t -> Py_ssize_t and other fixes for Python v3.10.0")}
    patch = found("v2.4.5", "v2.4.6")
    assert sorted(patch) == [31444, 31453, 31459, 31460, 31462]
    assert patch[31460][1].endswith("NpyStringAcquireAllocator. (#31456)")


# -- --backports on NumPy's maintenance/2.5.x --------------------------------------------------

def maintenance_branch(repo: Path, clone: Path, branch: str) -> None:
    """The session clone has NumPy's maintenance branches as remote-tracking refs; make one local."""
    git(repo, "fetch", "--quiet", str(clone), f"+refs/remotes/origin/{branch}:refs/heads/{branch}")


def test_backports_on_the_maintenance_branch(
    numpy_repo: Path, numpy_bundle_clone: Path, cli: Cli
) -> None:
    """2.5.3 from `v2.5.2` to `maintenance/2.5.x`: off by default the backport pull requests are
    listed as NumPy lists them; with `--backports` each becomes the pull request it backports."""
    maintenance_branch(numpy_repo, numpy_bundle_clone, "maintenance/2.5.x")
    git(numpy_repo, "checkout", "--quiet", "--detach", "maintenance/2.5.x")
    plain = cli("changelog", "2.5.3", "--offline", "--output", "-", "--repo", str(numpy_repo))
    mapped = cli("changelog", "2.5.3", "--offline", "--output", "-", "--backports",
                 "--repo", str(numpy_repo))
    assert plain.code == 0 and mapped.code == 0, plain.err + mapped.err
    assert "changelog for v2.5.2..maintenance/2.5.x" in mapped.err
    assert contributors_section(mapped.out) == contributors_section(plain.out)
    before, after = pr_titles(plain.out), pr_titles(mapped.out)
    assert len(before) == len(after) == 16
    # squash backports "TITLE (#original)" and merges whose body says "Backport of #original"
    for backport, original in ((32293, 32285), (32338, 32294), (32339, 32331), (32378, 32296),
                               (32289, 32227), (32303, 31750)):
        assert backport in before and original not in before
        assert original in after and backport not in after
    assert before[32293] == "CI: fix ccache CC override, add CXX in mac Conda CI (#32285)"
    assert after[32285] == "CI: fix ccache CC override, add CXX in mac Conda CI"
    # not backports: the branch's own reset PR, and a backport whose PR names no original
    assert after[32235] == before[32235] == "MAINT: Prepare 2.5.x for further development"
    assert 32384 in before and 32384 in after


def test_backports_on_a_published_patch_release(numpy_repo: Path, cli: Cli) -> None:
    """2.5.2's backports map to pull requests merged on main after 2.5.0, none of them credited
    by 2.5.0 or 2.5.1, so the count stays 28 while the numbers change."""
    checkout(numpy_repo, "2.5.2")
    result = cli("changelog", "2.5.2", "v2.5.1..v2.5.2", "--offline", "--output", "-", "--backports",
                 "--repo", str(numpy_repo))
    assert result.code == 0, result.err
    numbers = pr_numbers(result.out)
    published_numbers = pr_numbers(published("2.5.2"))
    assert len(numbers) == len(published_numbers) == 28
    assert {31908, 31822, 31771} <= set(numbers)
    assert not {31947, 31900, 31949} & set(numbers)
    assert 31864 in numbers  # "MAINT: Prepare 2.5.x for further development" is not a backport
