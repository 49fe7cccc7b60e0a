"""The rehearsal's report: every stage with its status, command, output and GitHub cost; the
forecast; written when the rehearsal fails too; never a secret."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import Cli

from release.rehearsal.report import (
    About,
    changelog_requests,
    markdown,
    polls_per_build,
    redact,
    secrets_in,
)
from release.rehearsal.runner import Outcome, Stage, Tally

# A whole rehearsal (or several): the quick loop leaves these out (-m "not slow").
pytestmark = pytest.mark.slow

SECRETS = re.compile(r"rehearsal-[0-9a-f]{16}|rehearsal-password")
CANARY = "ghp_canaryUserToken0123456789"
ROW = re.compile(r"^\| \[(\d+)\]\(#stage-\d+\) \| (.+?) \| (ok|warn|FAILED|resumed|not run) \| "
                 r"([\d.]* ?s?) \| (\d*) \| (\d*) \|$", re.MULTILINE)


@pytest.fixture(scope="module")
def green(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path, Path, str]:
    """One rehearsal of the example (1.2.0rc1, then 1.2.0) with the report elsewhere."""
    from release.cli import main

    tmp = tmp_path_factory.mktemp("report")
    out, err = io.StringIO(), io.StringIO()
    env = {**os.environ, "GH_TOKEN": CANARY}
    code = main(["rehearse", "--workdir", str(tmp / "w"), "--report", str(tmp / "reports")],
                env=env, out=out, err=err)
    return code, out.getvalue(), tmp / "w", tmp / "reports", err.getvalue()


def test_every_stage_has_a_row_and_a_section(green: tuple[int, str, Path, Path, str]) -> None:
    code, out, workdir, reports, _ = green
    assert code == 0
    assert out.rstrip().splitlines()[-1] == f"report: {reports / 'rehearsal-report.md'}"
    assert not (workdir / "rehearsal-report.md").exists()
    text = (reports / "rehearsal-report.md").read_text()
    assert f"  - the project (scratch): `{workdir / 'scratch' / 'tinynum'}`" in text
    assert f"  - the mail the list received (.eml): `{workdir / 'mail'}`" in text
    summary = re.findall(r"^  ok   exit \d+  (.+)$", out, re.MULTILINE)
    rows = ROW.findall(text)
    assert [int(row[0]) for row in rows] == list(range(1, len(summary) + 1))
    assert [row[1] for row in rows] == summary
    assert {row[2] for row in rows} == {"ok"}
    assert "To look at" not in text
    assert text.startswith("# Rehearsal of tinynum 1.2.0rc1, then 1.2.0\n\n**Green:** 84 of 84")
    for title in summary:
        number = summary.index(title) + 1
        assert f'\n<a id="stage-{number}"></a>\n\n### {number}. {title}\n' in text
    tag = text.split("### 48. [1.2.0] tag and push it upstream\n", 1)[1].split("\n### ", 1)[0]
    assert "```sh\npython -m release tag 1.2.0 --push\n```" in tag
    assert "run git push upstream refs/tags/v1.2.0:refs/tags/v1.2.0" in tag
    assert "<details><summary>output (5 lines)</summary>" in tag
    changelog = text.split("[1.2.0rc1] changelog, dry run", 2)[2].split("\n### ", 1)[0]
    assert "+++ b/doc/changelog/1.2.0-changelog.rst" in changelog


def test_without_a_terminal_progress_is_plain_lines(green: tuple[int, str, Path, Path, str]) -> None:
    _, _, workdir, _, err = green
    assert "\x1b[" not in err
    assert "\n== [1/84] [1.2.0rc1] check out maintenance/1.2.x\n" in err
    assert "   $ python -m release tag 1.2.0 --push\n" in err
    assert not (workdir / "rehearsal.log").exists()


def test_github_requests_per_stage_add_up_to_the_forecast(green: tuple[int, str, Path, Path, str]) -> None:
    text = (green[3] / "rehearsal-report.md").read_text()
    rows = {row[1]: (int(row[4]), int(row[5])) for row in ROW.findall(text)}
    assert rows["[1.2.0] tag and push it upstream"] == (0, 0)
    assert rows["[1.2.0rc1] GitHub release: draft, assets, verify, publish"][0] > 3
    assert rows["[1.2.0rc1] changelog, dry run (titles from GitHub)"][1] >= 1  # a GraphQL query
    stated = re.search(r"this rehearsal made (\d+) REST requests and (\d+) GraphQL requests "
                       r"\((\d+) points\)", text)
    assert stated is not None
    rest, graphql, points = map(int, stated.groups())
    assert rest + graphql == sum(requests for requests, _ in rows.values())
    assert points == sum(p for _, p in rows.values())
    polls = polls_per_build(3600)
    assert (f"the 4 wheel builds runs for about 1 hour, the wheels step looks at the run about "
            f"{polls} times") in text
    budget = re.search(r"^\| REST requests \| (\d+) \| ([\d.]+)% \| ([\d.]+)% \|$", text, re.MULTILINE)
    assert budget is not None
    assert int(budget[1]) == rest + 4 * polls
    assert float(budget[2]) == pytest.approx(100 * int(budget[1]) / 5000, abs=0.05)
    assert float(budget[3]) == pytest.approx(100 * int(budget[1]) / 1000, abs=0.05)
    assert "| 1,080 | 12 |" in text  # NumPy 2.0.0's pull requests: 11 queries and the rate limit
    assert "`v1.2.0.dev0..maintenance/1.2.x` names 7 pull requests: 2 GraphQL requests" in text
    assert re.search(r"needs about \*\*4\.0 hours\*\*", text)


def test_the_html_page_stands_alone(green: tuple[int, str, Path, Path, str]) -> None:
    page = (green[3] / "rehearsal-report.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<details>") == 84
    assert '<a href="#stage-42">42</a>' in page and '<a id="stage-42"></a>' in page
    assert "<td style=\"text-align: left;\">[1.2.0] docs merge and push</td>" in page
    assert not re.search(r"<link|<script[^>]+src=|<img|src=\"http", page)


def test_no_secret_in_the_report(green: tuple[int, str, Path, Path, str]) -> None:
    _, out, _, reports, err = green
    assert not SECRETS.search(out + err) and CANARY not in out + err
    for name in ("rehearsal-report.md", "rehearsal-report.html"):
        text = (reports / name).read_text()
        assert not SECRETS.search(text)
        assert CANARY not in text
    assert "report: " in out


def test_a_failed_rehearsal_writes_its_report(cli: Cli, tmp_path: Path) -> None:
    """A checkout whose C-API hash is wrong stops the rehearsal at its second stage; the report
    says so, shows the check's output, and lists the stages that did not run."""
    from helpers import wrong_capi_hash_checkout

    repo = wrong_capi_hash_checkout(tmp_path / "project")
    workdir = tmp_path / "w"
    result = cli("rehearse", "1.2.0rc1", "--repo", str(repo), "--workdir", str(workdir))
    assert result.code == 1
    assert result.out.rstrip().endswith(f"report: {workdir / 'rehearsal-report.md'}")
    text = (workdir / "rehearsal-report.md").read_text()
    rows = ROW.findall(text)
    assert [row[2] for row in rows[:3]] == ["ok", "FAILED", "not run"]
    assert {row[2] for row in rows[2:]} == {"not run"}
    assert len(rows) > 20
    assert text.startswith("# Rehearsal of tinynum 1.2.0rc1\n\n**Not green:** 1 of")
    assert f"- Repository: a scratch copy of {repo}" in text
    failed = text.split("### 2. [1.2.0rc1] C-API version and hash\n", 1)[1].split("\n### ", 1)[0]
    assert "Status: **FAILED**" in failed and "0x00000002" in failed
    assert "<details open><summary>output" in failed  # a failure's output is shown unfolded
    assert "- [2. [1.2.0rc1] C-API version and hash](#stage-2): FAILED" in text
    assert (workdir / "rehearsal-report.html").is_file()
    assert not SECRETS.search(text)


def _rehearse_in_own_session(env: dict[str, str], *argv: str) -> int:
    """`python -m release rehearse` in its own process group, killed afterwards, so stand-ins
    left behind by a SIGKILL do not outlive the test."""
    process = subprocess.Popen([sys.executable, "-m", "release", "rehearse", *argv], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        return process.wait(timeout=300)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def test_a_resumed_rehearsal_reports_what_the_earlier_run_did(tmp_path: Path) -> None:
    """Killed (SIGKILL) as stage 14 starts, then rerun: the report of the rerun shows the
    stages the first run finished as resumed, without time or GitHub figures, and the rest ok."""
    workdir = tmp_path / "w"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    killed = _rehearse_in_own_session({**env, "RELEASE_REHEARSAL_KILL": "before:14"}, "1.1.1",
                                      "--workdir", str(workdir))
    assert killed == -signal.SIGKILL
    assert not (workdir / "rehearsal-report.md").exists()  # a killed process writes nothing
    assert _rehearse_in_own_session(env, "1.1.1", "--workdir", str(workdir)) == 0
    text = (workdir / "rehearsal-report.md").read_text()
    rows = ROW.findall(text)
    resumed = [row for row in rows if row[2] == "resumed"]
    assert resumed and all(int(row[0]) < 14 for row in resumed)
    assert all(row[3] == "" and row[4] == "" for row in resumed)
    assert {row[2] for row in rows} <= {"ok", "resumed"}
    assert int(rows[-1][0]) == len(rows)
    assert f"not counting the {len(resumed)} stages an earlier run did" in text
    assert "**Green:**" in text


def test_a_report_path_that_is_a_file_is_refused_first(cli: Cli, tmp_path: Path) -> None:
    from helpers import one_line_error

    (tmp_path / "report.md").write_text("mine")
    result = cli("rehearse", "--workdir", str(tmp_path / "w"), "--report", str(tmp_path / "report.md"))
    assert result.code == 2
    one_line_error(result.err, "is not a directory")
    assert not (tmp_path / "w").exists()
    assert (tmp_path / "report.md").read_text() == "mine"


def test_statuses_fences_and_redaction() -> None:
    """An advisory finding is a warning, a stage done by an earlier run is resumed, the stages
    after a failure are not run; output with backticks keeps its fence; secrets are starred."""
    stages = [Stage("finding", ("mailmap", "1.0.0"), advisory=True), Stage("done before", ("tag",)),
              Stage("breaks", ("upload", "1.0.0")), Stage("after", ("docs", "1.0.0"))]
    outcomes = [Outcome(stages[0], 1, "a ``` fence and ```` a longer one", 0.5, Tally(2, 1, 1)),
                Outcome(stages[1], 0, "", resumed=True),
                Outcome(stages[2], 1, "error: token s3cr3t-value refused", 0.25, Tally(3))]
    about = About("tinynum", ("1.0.0",), "here", "today", "--repo x", (("a place", "/p"),))
    text = markdown(about, stages, outcomes)
    statuses = [row[2] for row in ROW.findall(text)]
    assert statuses == ["warn", "resumed", "FAILED", "not run"]
    assert ("\n\nTo look at before the real release:\n\n"
            "- [1. finding](#stage-1): a finding; the rehearsal went on\n"
            "- [3. breaks](#stage-3): FAILED, the rehearsal stopped here\n\n## Stages\n") in text
    assert "`````text\na ``` fence and ```` a longer one\n`````" in text
    assert ("this rehearsal made 5 REST requests and 1 GraphQL requests (1 points), not counting "
            "the stage an earlier run did.") in text
    secrets = secrets_in({"GITHUB_TOKEN": "s3cr3t-value", "HOME": "/home/x", "PASSWORD": "abc"})
    assert secrets == {"s3cr3t-value"}  # too short to be a password is left alone
    redacted = redact(text, secrets)
    assert "s3cr3t-value" not in redacted and "error: token *** refused" in redacted


def test_what_the_forecast_is_made_of() -> None:
    assert [changelog_requests(n) for n in (1, 100, 101, 1080)] == [2, 2, 3, 12]
    # 15 s, then x1.5 up to two minutes: 7 looks in the first 5 minutes, then one every 2
    assert polls_per_build(0) == 1 and polls_per_build(15) == 2
    assert polls_per_build(3600) == 7 + (3600 - 311) // 120


def test_rehearse_help_names_the_report_option() -> None:
    done = subprocess.run([sys.executable, "-m", "release", "rehearse", "--help"], capture_output=True,
                          text=True, check=True)
    assert "--report DIR" in done.stdout
