"""Steps under the SciPy profile on SciPy's own history, compared with the commits SciPy made."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import SCIPY_FIXTURE
from helpers import Cli, git


def branch_at(clone: Path, tmp_path: Path, branch: str, ref: str) -> Path:
    """A work clone whose upstream (a shared bare copy of `clone`) has `branch` at `ref`."""
    upstream, work = tmp_path / "upstream.git", tmp_path / "scipy"
    subprocess.run(["git", "clone", "--quiet", "--bare", "--shared", str(clone), str(upstream)],
                   check=True)
    git(upstream, "update-ref", f"refs/heads/{branch}", f"{ref}^{{commit}}")
    subprocess.run(["git", "clone", "--quiet", "--shared", "--origin", "upstream", "--branch", branch,
                    str(upstream), str(work)], check=True)
    git(work, "config", "user.name", "Rel Manager")
    git(work, "config", "user.email", "rm@example.org")
    return work


def real_commit(clone: Path, branch: str, subject: str) -> str:
    return git(clone, "log", "--no-merges", "--format=%H", "-F", f"--grep={subject}", branch).split()[0]


def test_reset_branch_makes_scipys_reset_commit(cli: Cli, scipy_bundle_clone: Path, tmp_path: Path) -> None:
    """After 1.18.1: the 1.18.2 notes skeleton, the bare index entry and 1.18.2.dev0, each file
    byte-identical to SciPy's own commit, and its message."""
    work = branch_at(scipy_bundle_clone, tmp_path, "maintenance/1.18.x", "v1.18.1")
    result = cli("reset-branch", "1.18.1", "--repo", str(work),
                 "--config", str(scipy_bundle_clone.parent / "scipy-release.toml"))
    assert result.code == 0, result.err
    real = real_commit(scipy_bundle_clone, "origin/maintenance/1.18.x",
                       "REL, MAINT: prepare for SciPy 1.18.2")
    files = ["doc/source/release/1.18.2-notes.rst", "doc/source/release.rst", "pyproject.toml"]
    assert git(work, "diff", "--name-only", "maintenance/1.18.x", "begin-1.18.2").split() == \
        sorted(files)
    for path in files:
        assert git(work, "show", f"begin-1.18.2:{path}") == git(scipy_bundle_clone, "show",
                                                                f"{real}:{path}"), path
    assert git(work, "log", "-1", "--format=%B", "begin-1.18.2") == \
        git(scipy_bundle_clone, "log", "-1", "--format=%B", real)


def test_prepare_makes_the_rel_commit_on_the_branch(cli: Cli, scipy_bundle_clone: Path,
                                                    tmp_path: Path) -> None:
    """1.18.0 from 1.18.0rc3.dev0, as SciPy's REL commit: the same tree; then the tag SciPy made."""
    work = branch_at(scipy_bundle_clone, tmp_path, "maintenance/1.18.x", "v1.18.0^")
    config = ("--repo", str(work), "--config", str(scipy_bundle_clone.parent / "scipy-release.toml"))
    assert 'version = "1.18.0rc3.dev0"' in (work / "pyproject.toml").read_text()
    result = cli("prepare", "1.18.0", *config)
    assert result.code == 0, result.err
    assert git(work, "rev-parse", "HEAD^{tree}") == git(work, "rev-parse", "v1.18.0^{tree}")
    assert git(work, "log", "-1", "--format=%B") == \
        "REL: SciPy 1.18.0 rel commit\n\n* SciPy `1.18.0` release commit.\n\n"
    assert git(work, "rev-parse", "HEAD^") == git(work, "rev-parse", "v1.18.0^^{commit}")
    again = cli("prepare", "1.18.0", *config)
    assert (again.code, again.out) == (0, "maintenance/1.18.x already says 1.18.0; nothing to do\n")
    git(work, "tag", "-d", "v1.18.0")
    git(tmp_path / "upstream.git", "tag", "-d", "v1.18.0")
    tag = cli("tag", "1.18.0", "--dry-run", *config)
    assert tag.code == 0, tag.err
    assert f"git tag -s v1.18.0 -m v1.18.0 {git(work, 'rev-parse', 'HEAD').strip()}" in tag.out


def test_check_passes_on_scipys_state_before_its_rel_commit(cli: Cli, scipy_bundle_clone: Path,
                                                            tmp_path: Path, gnupg: str) -> None:
    """1.18.1.dev0 on the branch, the notes finished, SciPy's `<>` .mailmap lines: no failed row;
    the identities pass (the one line git misreads, `Guo Fei <<...>`, is read by SciPy's tools:
    the mailmap step shows it as a note)."""
    work = branch_at(scipy_bundle_clone, tmp_path, "maintenance/1.18.x", "v1.18.1^")
    for where in (work, tmp_path / "upstream.git"):
        git(where, "tag", "-d", "v1.18.1")
    git(work, "config", "user.signingkey", gnupg)  # SciPy signs its tags
    result = cli("check", "1.18.1", "--offline", "--json", "--repo", str(work),
                 "--config", str(scipy_bundle_clone.parent / "scipy-release.toml"))
    assert result.code == 0, result.out
    checks = json.loads(result.out)["checks"]
    rows = {row["name"]: row["status"] for row in checks}
    assert rows["pyproject.toml version"] == "warn"  # 1.18.1.dev0; the REL commit sets 1.18.1
    assert (rows["previous release v1.18.0"], rows["authors"], rows["release index"]) == \
        ("pass", "pass", "pass")
    identities = next(row for row in checks if row["name"] == "identities")
    assert identities["status"] == "pass", identities


def test_notes_fill_the_authors_list_where_scipy_keeps_it(cli: Cli, scipy_bundle_clone: Path,
                                                          tmp_path: Path) -> None:
    """1.18.1's notes with the Authors list emptied back to the skeleton's: filled in, the file
    is SciPy's published one with the list SciPy's tools/authors.py prints (its golden file)."""
    work = branch_at(scipy_bundle_clone, tmp_path, "maintenance/1.18.x", "v1.18.1")
    notes = work / "doc/source/release/1.18.1-notes.rst"
    published = notes.read_text(encoding="utf-8")
    head, _, tail = published.partition("Authors\n=======\n")
    notes.write_text(head + "Authors\n=======\n* Name (commits)\n\n\nIssues closed for"
                     + tail.partition("Issues closed for")[2], encoding="utf-8")
    config = ("--repo", str(work), "--config", str(scipy_bundle_clone.parent / "scipy-release.toml"))
    result = cli("notes", "1.18.1", "--offline", *config)
    assert result.code == 0, result.err
    golden = (SCIPY_FIXTURE / "authors" / "1.18.1.txt").read_text(encoding="utf-8")
    tool = [ln for ln in golden.splitlines(keepends=True) if ln.startswith("* ")]
    listed = [ln for ln in published.splitlines(keepends=True)
              if ln.startswith("* ") and "(commits)" not in ln and ln.rstrip().endswith((")", "+"))
              and published.index(ln) < published.index("Issues closed for")]
    assert len(tool) == len(listed) == 18
    expected = published.replace("".join(listed), "".join(tool))
    assert notes.read_text(encoding="utf-8") == expected
    assert cli("notes", "1.18.1", "--offline", *config).out.endswith("nothing to do\n")


def test_reset_after_a_candidate_sets_the_next_candidates_dev0(cli: Cli, scipy_bundle_clone: Path,
                                                               tmp_path: Path) -> None:
    """After 1.18.0rc1 the branch says 1.18.0rc2.dev0: pyproject.toml byte-identical to SciPy's
    "REL: set 1.18.0rc2 unreleased" commit, its message but for the pull request's number; then
    nothing to do. NumPy's profile still refuses (its branch says 1.18.0 between candidates)."""
    work = branch_at(scipy_bundle_clone, tmp_path, "maintenance/1.18.x", "v1.18.0rc1")
    config = ("--repo", str(work), "--config", str(scipy_bundle_clone.parent / "scipy-release.toml"))
    result = cli("reset-branch", "1.18.0rc1", *config)
    assert result.code == 0, result.err
    real = real_commit(scipy_bundle_clone, "origin/maintenance/1.18.x", "REL: set 1.18.0rc2 unreleased")
    assert git(work, "diff", "--name-only", "maintenance/1.18.x", "begin-1.18.0rc2").split() == \
        ["pyproject.toml"]
    assert git(work, "show", "begin-1.18.0rc2:pyproject.toml") == \
        git(scipy_bundle_clone, "show", f"{real}:pyproject.toml")
    ours = git(work, "log", "-1", "--format=%B", "begin-1.18.0rc2").rstrip("\n")
    theirs = git(scipy_bundle_clone, "log", "-1", "--format=%B", real).rstrip("\n")
    assert ours == theirs.replace(" (#25224)", "")  # GitHub's squash stores no final newline
    again = cli("reset-branch", "1.18.0rc1", *config)
    assert again.code == 0 and "nothing to do" in again.out
    numpy = cli("reset-branch", "1.18.0rc1", "--repo", str(work))
    assert numpy.code == 2 and "1.18.0rc1 is a pre-release; the maintenance branch is reset only " \
                               "after a final release" in numpy.err
