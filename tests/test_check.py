from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import Cli, git, snapshot

from release.fakes import example_files as f
from release.fakes.example import ExampleProject, commit_release_files


def _rows(out: str) -> list[list[str]]:
    """The table's rows as [area, check, status, detail, fix], wrapped cells joined."""
    rows: list[list[str]] = []
    for line in out.splitlines():
        cells = [cell.strip() for cell in line.split("│")][1:-1]
        if len(cells) != 5:
            continue
        if cells[2] or not rows:
            rows.append(cells)
        else:
            rows[-1] = [" ".join(filter(None, pair)) for pair in zip(rows[-1], cells, strict=True)]
    return rows


def _row(out: str, check: str) -> str:
    for row in _rows(out):
        if row[1] == check:
            return row[2]
    raise AssertionError(f"no row {check!r} in\n{out}")


def _detail(out: str, check: str) -> str:
    return next(row[3] for row in _rows(out) if row[1] == check)


@pytest.fixture
def branch(example: ExampleProject) -> ExampleProject:
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    return example


def test_before_the_release_pr_only_warns(branch: ExampleProject, cli: Cli) -> None:
    before = snapshot(branch.repo)
    result = cli("check", "1.2.0", "--repo", str(branch.repo), "--offline")
    assert result.code == 0, result.out + result.err
    assert snapshot(branch.repo) == before
    assert "Preflight for tinynum 1.2.0: warn" in result.out
    assert _row(result.out, "pyproject.toml version") == "warn"
    assert _row(result.out, "tag v1.2.0") == "pass"
    assert _row(result.out, "development tag v1.2.0.dev0") == "pass"
    assert _row(result.out, "cversions.txt hash") == "pass"
    assert _row(result.out, "fragment names") == "pass"
    assert _row(result.out, "identities") == "warn"
    assert "noreply 1, placeholder 1" in result.out
    assert _row(result.out, "release index") == "pass"


def test_after_the_release_pr(branch: ExampleProject, cli: Cli) -> None:
    """Notes built, changelog written, version set: everything but the identities passes."""
    assert cli("notes", "1.2.0", "--repo", str(branch.repo)).code == 0
    commit_release_files(branch, "1.2.0", {"doc/changelog/1.2.0-changelog.rst": "\nContributors\n"})
    result = cli("check", "1.2.0", "--repo", str(branch.repo), "--offline")
    assert result.code == 0, result.out
    for check in ("pyproject.toml version", "changelog", "fragment names", "work tree", "branch"):
        assert _row(result.out, check) == "pass", check


def test_notes_still_including_the_configured_towncrier_file(branch: ExampleProject, cli: Cli) -> None:
    """The include looked for is the one [tool.towncrier] filename names, not NumPy's file name."""
    pyproject = branch.repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("release/notes-towncrier.rst",
                                                       "release/upcoming.rst"))
    notes = "doc/source/release/1.2.0-notes.rst"
    commit_release_files(branch, "1.2.0", {notes: "tinynum 1.2.0\n\n.. include:: upcoming.rst\n"})
    result = cli("check", "1.2.0", "--repo", str(branch.repo), "--offline")
    assert _row(result.out, "notes") == "warn", result.out
    assert f"{notes} still includes upcoming.rst" in _detail(result.out, "notes")


def _break(kind: str, project: ExampleProject) -> None:
    repo = project.repo
    if kind == "dirty":
        (repo / "README.md").write_text("edited\n")
    elif kind == "branch":
        git(repo, "checkout", "-q", "maintenance/1.1.x")
    elif kind == "tag":
        git(project.upstream, "tag", "v1.2.0", "main")
    elif kind == "capi":
        api = repo / f.NUMPY_API
        api.write_text(api.read_text().replace("(5,)", "(5, StealRef(1))"))
        git(repo, "commit", "-qam", "change the API")
    elif kind == "no-meson":
        git(repo, "rm", "-q", f.MESON)
        git(repo, "commit", "-qm", "lose meson.build")
    elif kind == "fragment":
        (repo / f.FRAGMENTS / "23661.perfomance.rst").write_text("x\n")
        git(repo, "add", ".")
        git(repo, "commit", "-qm", "misnamed fragment")
    elif kind == "mailmap":
        with (repo / ".mailmap").open("a") as handle:
            handle.write("Broken <broken@example.org\n")
        git(repo, "commit", "-qam", "break .mailmap")
    elif kind == "index":
        index = repo / "doc/source/release.rst"
        index.write_text(index.read_text().replace("    1.2.0 <release/1.2.0-notes>\n", ""))
        git(repo, "commit", "-qam", "drop the index entry")
    elif kind == "version":
        pyproject = repo / "pyproject.toml"
        pyproject.write_text(pyproject.read_text().replace('version = "1.2.0.dev0"',
                                                           'version = "1.3.0"'))
        git(repo, "commit", "-qam", "wrong version")


@pytest.mark.parametrize(
    ("kind", "check", "words"),
    [
        ("dirty", "work tree", "1 changed or untracked (first: README.md)"),
        ("branch", "branch", "on maintenance/1.1.x, not maintenance/1.2.x"),
        ("tag", "tag v1.2.0", "already exists on upstream"),
        ("capi", "cversions.txt hash", "the C API changed"),
        ("no-meson", "could not run", f"meson.build {f.MESON} does not exist"),
        ("fragment", "fragment names", "23661.perfomance.rst (unknown type 'perfomance')"),
        ("mailmap", "identities", ".mailmap line 5: unbalanced < >"),
        ("index", "release index", "does not list release/1.2.0-notes"),
        ("version", "pyproject.toml version", "1.3.0, not 1.2.0"),
    ],
)
def test_each_failure_is_a_row_with_a_fix(branch: ExampleProject, cli: Cli, kind: str, check: str,
                                          words: str) -> None:
    _break(kind, branch)
    before = snapshot(branch.repo)
    result = cli("check", "1.2.0", "--repo", str(branch.repo), "--offline")
    # a check that could not run, and nothing else failing, is told apart (exit 4)
    assert result.code == (4 if check == "could not run" else 1), result.out + result.err
    assert _row(result.out, check) == "fail", result.out
    assert words in _detail(result.out, check), result.out
    assert "Preflight for tinynum 1.2.0: fail" in result.out
    assert snapshot(branch.repo) == before


def test_missing_start_tag_fails_once(branch: ExampleProject, cli: Cli) -> None:
    """The range's start is missing: the versions row fails; the range-based rows only warn."""
    git(branch.repo, "tag", "-d", "v1.2.0.dev0")
    result = cli("check", "1.2.0", "--repo", str(branch.repo), "--offline")
    assert result.code == 1
    assert _row(result.out, "development tag v1.2.0.dev0") == "fail"
    assert _row(result.out, "fragment PRs") == "warn"
    assert _row(result.out, "identities") == "warn"
    assert "cannot tell the range: the development tag v1.2.0.dev0" in _detail(result.out, "identities")
    assert [row[2] for row in _rows(result.out)].count("fail") == 1


def test_numpy_maintenance_branch(numpy_bundle_clone: Path, tmp_path: Path, cli: Cli) -> None:
    """NumPy's maintenance/2.5.x as the 2.5.3 release would find it (the fixture has no notes)."""
    repo = tmp_path / "numpy"
    git(tmp_path, "clone", "--quiet", "--shared", "--no-checkout", str(numpy_bundle_clone), str(repo))
    git(repo, "fetch", "-q", str(numpy_bundle_clone),
        "refs/remotes/origin/maintenance/2.5.x:refs/heads/maintenance/2.5.x")
    git(repo, "checkout", "-q", "maintenance/2.5.x")
    result = cli("check", "2.5.3", "--repo", str(repo), "--offline")
    assert result.code == 1
    for check in ("pyproject.toml version", "tag v2.5.3", "previous release v2.5.2", "branch",
                  "work tree", "cversions.txt hash", "NPY_2_5_API_VERSION", "fragment names"):
        assert _row(result.out, check) == "pass", check
    assert _row(result.out, "notes") == "fail"


def test_bad_version(branch: ExampleProject, cli: Cli) -> None:
    result = cli("check", "1.3.0.dev0", "--repo", str(branch.repo))
    assert result.code == 1
    assert result.err.startswith("error: 1.3.0.dev0 is a development version")
    assert result.out == ""
    bad = cli("check", "x", "--repo", str(branch.repo))
    assert bad.code == 2 and bad.out == ""
    lines = bad.err.strip().splitlines()
    assert lines[0] == "error: 'x' is not a version" and lines[1].startswith("hint: ")
    assert len(lines) == 2


def test_check_json(branch: ExampleProject, cli: Cli) -> None:
    table = cli("check", "1.2.0", "--repo", str(branch.repo), "--offline")
    result = cli("check", "1.2.0", "--repo", str(branch.repo), "--offline", "--json")
    assert result.code == table.code
    document = json.loads(result.out)
    assert (document["kind"], document["schema_version"]) == ("check", 1)
    assert document["exit_code"] == result.code
    assert document["worst"] in table.out.splitlines()[0] + table.out
    assert all(set(row) == {"area", "name", "status", "detail", "fix"} for row in document["checks"])
    assert len(document["checks"]) >= 8


def test_offline_a_missing_upstream_remote_fails_as_tag_would(branch: ExampleProject, cli: Cli) -> None:
    git(branch.repo, "remote", "remove", "upstream")
    result = cli("check", "1.2.0", "--repo", str(branch.repo), "--offline")
    assert result.code == 1, result.out
    assert _row(result.out, "upstream remote") == "fail"
    assert "git remote add upstream URL" in result.out
    commit_release_files(branch, "1.2.0", {"doc/changelog/1.2.0-changelog.rst": "\nContributors\n"})
    tag = cli("tag", "1.2.0", "--repo", str(branch.repo), "--push")
    assert tag.code == 1 and "no remote named 'upstream'" in tag.err  # what check warned of
