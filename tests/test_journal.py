from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import Cli, git, one_line_error, snapshot
from test_status import rows

from release.errors import ReleaseError
from release.fakes.example import ExampleProject, commit_release_files
from release.fakes.github import FakeGitHub
from release.journal import Entry, append, read_entries, scrub
from release.output.redact import HIDDEN

CHANGELOG = "doc/changelog/1.2.0-changelog.rst"


@pytest.fixture
def ready(example: ExampleProject) -> ExampleProject:
    """The example with the 1.2.0 release PR merged on maintenance/1.2.x."""
    commit_release_files(example, "1.2.0", {CHANGELOG: "\nContributors\n============\n"})
    return example


def journal_file(project: ExampleProject, version: str = "1.2.0") -> Path:
    return project.repo / ".git" / "release" / f"journal-{version}.json"


def test_a_real_run_is_journaled_and_status_says_when(ready: ExampleProject, cli: Cli,
                                                      fake_github: FakeGitHub) -> None:
    result = cli("tag", "v1.2.0", "--repo", str(ready.repo), "--push")
    assert result.code == 0, result.err
    text = journal_file(ready).read_text(encoding="utf-8")
    [entry] = read_entries(journal_file(ready))
    assert (entry.step, entry.args, entry.exit) == ("tag", ("v1.2.0", "--repo", str(ready.repo),
                                                           "--push"), 0)
    assert entry.started <= entry.ended and entry.ended.endswith("Z")
    assert "ghp_canary" not in text  # the token in the environment is never looked at
    assert not [p for p in journal_file(ready).parent.iterdir() if p.name.startswith(".")]

    before = snapshot(ready.repo)
    tag = rows(cli("status", "1.2.0", "--repo", str(ready.repo)).out)["tag"]
    assert snapshot(ready.repo) == before  # status only reads the journal
    assert tag[0] == "done"
    assert f"the journal: `tag` finished {entry.ended}" in tag[1]
    offline = rows(cli("status", "1.2.0", "--repo", str(ready.repo), "--offline").out)["tag"]
    assert offline[0] == "unknown"  # upstream not looked at; the journal still says when
    assert f"the journal says `tag` finished {entry.ended}" in offline[1]

    git(ready.upstream, "tag", "-d", "v1.2.0")  # someone undid it (or the push never landed)
    tag = rows(cli("status", "1.2.0", "--repo", str(ready.repo)).out)["tag"]
    assert tag[0] == "not yet"
    assert f"the journal says `tag` finished {entry.ended}, but its result is not there" in tag[1]
    assert "python -m release tag 1.2.0 --push" in tag[1]


def test_dry_runs_refusals_and_reruns_leave_no_trace(ready: ExampleProject, cli: Cli) -> None:
    before = snapshot(ready.repo)
    assert cli("tag", "1.2.0", "--repo", str(ready.repo), "--push", "--dry-run").code == 0
    assert cli("tag", "1.3.0", "--repo", str(ready.repo), "--push").code != 0  # refused
    assert cli("status", "1.2.0", "--repo", str(ready.repo)).code == 3  # not done: nothing was made
    assert snapshot(ready.repo) == before
    assert not journal_file(ready).exists()

    assert cli("tag", "1.2.0", "--repo", str(ready.repo), "--push").code == 0
    after = snapshot(ready.repo)
    again = cli("tag", "1.2.0", "--repo", str(ready.repo), "--push")
    assert again.code == 0 and snapshot(ready.repo) == after  # nothing to do: nothing journaled
    assert [e.step for e in read_entries(journal_file(ready))] == ["tag"]


def test_each_version_has_its_own_journal(ready: ExampleProject, cli: Cli) -> None:
    assert cli("tag", "1.2.0", "--repo", str(ready.repo)).code == 0
    assert journal_file(ready).is_file() and not journal_file(ready, "1.2.0rc1").exists()
    assert read_entries(journal_file(ready, "1.2.0rc1")) == []


def test_secrets_in_arguments_are_scrubbed() -> None:
    args = ["1.2.0", "--token", "ghp_x", "--password=hunter2", "--api-key", "k",
            "--repository-url", "https://alice:s3cret@upload.example.org/legacy/", "--push"]
    kept = scrub(args)
    assert kept == ("1.2.0", "--token", HIDDEN, f"--password={HIDDEN}", "--api-key", HIDDEN,
                    "--repository-url", "https://alice:***@upload.example.org/legacy/", "--push")
    assert not {"ghp_x", "hunter2", "k", "s3cret"} & set(" ".join(kept).replace("/", " ").split())


def test_the_journal_is_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "release" / "journal-1.2.0.json"
    first = Entry("tag", ("1.2.0",), "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", 0)
    append(path, first)
    append(path, Entry("upload", ("1.2.0", "--upload"), "2026-01-01T00:01:00Z",
                       "2026-01-01T00:02:00Z", 1))
    assert [e.step for e in read_entries(path)] == ["tag", "upload"]
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left
    assert json.loads(path.read_text())["entries"][1]["exit"] == 1
    path.write_text("{not json")
    with pytest.raises(ReleaseError, match="does not parse"):
        read_entries(path)  # never taken for an empty journal (and then replaced)


def test_a_journal_that_does_not_parse_stops_a_step_before_it_changes_anything(
        ready: ExampleProject, cli: Cli) -> None:
    journal_file(ready).parent.mkdir(parents=True)
    journal_file(ready).write_text('{"entries": [{"step": "tag"')
    before = snapshot(ready.repo)
    result = cli("tag", "1.2.0", "--repo", str(ready.repo))
    assert result.code == 1
    one_line_error(result.err, "does not parse")
    assert f"mv {journal_file(ready)} {journal_file(ready)}.bad" in result.err
    assert snapshot(ready.repo) == before  # no tag, and the journal as it was
    status = cli("status", "1.2.0", "--repo", str(ready.repo))
    assert status.code == 1 and "does not parse" in status.err
