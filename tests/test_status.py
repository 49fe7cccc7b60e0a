from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import Cli, git, one_line_error, snapshot

from release.fakes.example import ExampleProject, commit_release_files
from release.fakes.github import FakeGitHub
from release.fakes.numpy_doc import build_html, build_numpy_doc
from release.fakes.numpy_org import build_numpy_org, release_line
from release.fakes.pypi import LocalIndex
from release.steps.common import NOT_DONE

CHANGELOG = "doc/changelog/1.2.0-changelog.rst"
STEPS = ("release PR merged", "tag", "wheels on the index", "GitHub release", "docs",
         "maintenance reset", "announcement", "main updated")


def rows(out: str) -> dict[str, tuple[str, str]]:
    """step -> (status, the detail then the next command, each with its wrapped lines joined)."""
    cells: dict[str, list[list[str]]] = {}
    current = ""
    for line in out.splitlines():
        parts = [part.strip() for part in line.split("│")]
        if len(parts) != 6:
            continue
        if parts[1]:
            current = parts[1]
            cells[current] = [[parts[2]], [], []]
        for column, part in zip(cells[current][1:], parts[3:5], strict=True):
            if part:
                column.append(part)
    return {step: (state[0], " ".join(detail + nxt)) for step, (state, detail, nxt) in cells.items()}


def status_of(found: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {step: state for step, (state, _) in found.items()}


@pytest.fixture
def ready(example: ExampleProject) -> ExampleProject:
    """The example with the 1.2.0 release PR merged on maintenance/1.2.x."""
    commit_release_files(example, "1.2.0", {CHANGELOG: "\nContributors\n============\n"})
    return example


def test_fresh_project_is_mostly_not_yet_and_nothing_changes(example: ExampleProject, cli: Cli) -> None:
    before, upstream, fork = snapshot(example.repo), snapshot(example.upstream), snapshot(example.fork)
    result = cli("status", "1.2.0", "--repo", str(example.repo))
    assert result.code == NOT_DONE, result.err
    found = rows(result.out)
    assert list(found) == list(STEPS)
    assert status_of(found) == {
        "release PR merged": "not yet", "tag": "not yet", "wheels on the index": "unknown",
        "GitHub release": "unknown", "docs": "unknown", "maintenance reset": "not yet",
        "announcement": "unknown", "main updated": "not yet"}
    assert "maintenance/1.2.x says 1.2.0.dev0" in found["release PR merged"][1]
    assert "python -m release prepare 1.2.0 --push" in found["release PR merged"][1]
    assert "python -m release tag 1.2.0 --push" in found["tag"][1]
    assert "unknown (no token)" in found["GitHub release"][1]
    assert "python -m release reset-branch 1.2.0 --push" in found["maintenance reset"][1]
    assert "python -m release post-release 1.2.0 --push" in found["main updated"][1]
    assert (snapshot(example.repo), snapshot(example.upstream), snapshot(example.fork)) == (
        before, upstream, fork)


def test_a_pre_release_skips_the_final_only_steps(example: ExampleProject, cli: Cli) -> None:
    result = cli("status", "1.2.0rc1", "--repo", str(example.repo), "--offline")
    assert result.code == NOT_DONE, result.err
    states = status_of(rows(result.out))
    assert [states[s] for s in ("docs", "maintenance reset", "announcement", "main updated")] == [
        "skipped"] * 4
    assert states["GitHub release"] == "unknown"


def test_a_published_release_reads_done(example: ExampleProject, cli: Cli) -> None:
    """1.1.0 of the example is tagged, pushed and its maintenance branch reset; main lacks
    only its changelog."""
    result = cli("status", "1.1.0", "--repo", str(example.repo))
    assert result.code == NOT_DONE, result.err
    found = rows(result.out)
    assert found["release PR merged"][0] == "done"
    assert found["tag"][0] == "done" and "the same on upstream" in found["tag"][1]
    assert found["maintenance reset"] == ("done", "maintenance/1.1.x says 1.1.1")
    assert found["main updated"][0] == "not yet"
    assert "main lacks doc/changelog/1.1.0-changelog.rst" in found["main updated"][1]


def test_tag_local_only_then_pushed(ready: ExampleProject, cli: Cli) -> None:
    assert rows(cli("status", "1.2.0", "--repo", str(ready.repo)).out)["release PR merged"][0] == "done"
    assert cli("tag", "1.2.0", "--repo", str(ready.repo)).code == 0
    tag = rows(cli("status", "1.2.0", "--repo", str(ready.repo)).out)["tag"]
    assert tag[0] == "not yet" and "local only" in tag[1] and "python -m release tag 1.2.0 --push" in tag[1]
    offline = rows(cli("status", "1.2.0", "--repo", str(ready.repo), "--offline").out)["tag"]
    assert offline[0] == "unknown" and "--offline" in offline[1]
    git(ready.repo, "push", "--quiet", "upstream", "refs/tags/v1.2.0")
    assert rows(cli("status", "1.2.0", "--repo", str(ready.repo)).out)["tag"][0] == "done"
    git(ready.upstream, "tag", "-f", "v1.2.0", "main")  # upstream's tag moved elsewhere
    moved = rows(cli("status", "1.2.0", "--repo", str(ready.repo)).out)["tag"]
    assert moved[0] == "not yet" and "differs" in moved[1]


def test_reset_and_main_done_after_those_steps(ready: ExampleProject, cli: Cli) -> None:
    git(ready.repo, "push", "--quiet", "upstream", "maintenance/1.2.x")
    assert cli("tag", "1.2.0", "--repo", str(ready.repo), "--push").code == 0
    reset = cli("reset-branch", "1.2.0", "--repo", str(ready.repo), "--direct", "--push")
    assert reset.code == 0, reset.err
    git(ready.repo, "checkout", "--quiet", "main")
    update = cli("post-release", "1.2.0", "--repo", str(ready.repo), "--direct", "--push")
    assert update.code == 0, update.err
    before = snapshot(ready.repo)
    found = rows(cli("status", "1.2.0", "--repo", str(ready.repo)).out)
    assert snapshot(ready.repo) == before
    assert found["maintenance reset"][0] == "done"
    assert found["maintenance reset"][1].startswith("maintenance/1.2.x says 1.2.1; the journal: "
                                                    "`reset-branch` finished 20")
    assert found["main updated"][0] == "done"
    assert found["release PR merged"][0] == "done"  # read from the tag: the branch moved on
    assert found["tag"][0] == "done"


def test_the_index_is_checked_against_the_matrix(ready: ExampleProject, cli: Cli, pypi: LocalIndex) -> None:
    result = cli("status", "1.2.0", "--repo", str(ready.repo), "--offline", "--index-url",
                 pypi.simple_url)
    assert result.code == NOT_DONE, result.err
    state, text = rows(result.out)["wheels on the index"]
    assert state == "not yet"
    assert re.search(r"0 of \d+ expected files \(missing: \d+\)", text), text
    assert "python -m release wheels 1.2.0 --dispatch" in text


def test_github_release_with_a_token(ready: ExampleProject, cli: Cli, fake_github: FakeGitHub) -> None:
    result = cli("status", "1.2.0", "--repo", str(ready.repo))
    assert result.code == NOT_DONE, result.err
    state, text = rows(result.out)["GitHub release"]
    assert state == "not yet" and "no release for v1.2.0" in text
    assert "python -m release github-release 1.2.0" in text and "--publish" in text
    assert "ghp_canary" not in result.out + result.err


def test_docs_and_website(ready: ExampleProject, cli: Cli, tmp_path: Path) -> None:
    doc = build_numpy_doc(tmp_path / "docsite", series=("1.0", "1.1"), stable="1.1")
    site = build_numpy_org(tmp_path / "web")
    args = ("--repo", str(ready.repo), "--offline", "--doc-repo", str(doc.repo),
            "--website-repo", str(site.repo))
    before = (snapshot(doc.repo), snapshot(site.repo))
    found = rows(cli("status", "1.2.0", *args).out)
    assert (snapshot(doc.repo), snapshot(site.repo)) == before
    assert found["docs"][0] == "not yet" and "python -m release docs 1.2.0" in found["docs"][1]
    assert found["announcement"][0] == "not yet"
    assert "python -m release announce 1.2.0" in found["announcement"][1]
    assert rows(cli("status", "1.1.1", *args).out)["docs"][0] == "skipped"  # patch: not wanted

    html = build_html(tmp_path / "html", project="tinynum", version="1.2.0", package="tinynum")
    merged = cli("docs", "1.2.0", "--repo", str(ready.repo), "--doc-repo", str(doc.repo),
                 "--built", str(html))
    assert merged.code == 0, merged.err
    news = site.repo / "content/en/news.md"
    news.write_text(news.read_text(encoding="utf-8") + release_line(
        "1.2.0", "2 Apr 2025", project="tinynum", repo="example/tinynum"), encoding="utf-8")
    git(site.repo, "commit", "--quiet", "-am", "announce")
    found = rows(cli("status", "1.2.0", *args).out)
    assert found["docs"][0] == "done", found["docs"]
    assert found["announcement"][0] == "done", found["announcement"]


def test_bad_input_is_one_line(example: ExampleProject, cli: Cli, tmp_path: Path) -> None:
    dev = cli("status", "1.3.0.dev0", "--repo", str(example.repo))
    assert dev.code == 2
    one_line_error(dev.err, "development version")
    bad = cli("status", "1.2", "--repo", str(example.repo))
    assert bad.code == 2
    one_line_error(bad.err, "1.2")
    elsewhere = cli("status", "1.2.0", "--repo", str(tmp_path))
    assert elsewhere.code == 2
    one_line_error(elsewhere.err, "not a git repository")


def test_upstream_tip_counts_when_the_local_branch_is_behind(ready: ExampleProject, cli: Cli) -> None:
    git(ready.repo, "push", "--quiet", "upstream", "maintenance/1.2.x")
    git(ready.repo, "checkout", "--quiet", "main")
    git(ready.repo, "branch", "--quiet", "-f", "maintenance/1.2.x", "maintenance/1.2.x~1")
    state, text = rows(cli("status", "1.2.0", "--repo", str(ready.repo)).out)["release PR merged"]
    assert state == "done" and text.startswith("upstream's tip"), text
    offline = rows(cli("status", "1.2.0", "--repo", str(ready.repo), "--offline").out)
    assert offline["release PR merged"][0] == "not yet"


def test_json_says_the_same_as_the_table(example: ExampleProject, cli: Cli) -> None:
    table = cli("status", "1.2.0", "--repo", str(example.repo))
    result = cli("status", "1.2.0", "--repo", str(example.repo), "--json")
    assert result.code == table.code == NOT_DONE
    document = json.loads(result.out)
    assert (document["kind"], document["schema_version"], document["release"]) == ("status", 1, "1.2.0")
    assert document["done"] is False and document["exit_code"] == NOT_DONE
    assert {step["step"]: step["state"] for step in document["steps"]} == status_of(rows(table.out))
    assert all(set(step) == {"step", "state", "detail", "next"} for step in document["steps"])
