"""The rehearsal's report: the verdict, the cost and the coverage first; every stage with its
status, command, output and GitHub cost; the pictures; written when the rehearsal fails too;
never a secret."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import Cli

from release.checks.result import CheckResult
from release.rehearsal.forecast import changelog_requests, polls_per_build
from release.rehearsal.report import About, markdown, redact, secrets_in
from release.rehearsal.runner import Outcome, Stage, Tally
from release.rehearsal.verdict import judge

# A whole rehearsal (or several): the quick loop leaves these out (-m "not slow").
pytestmark = pytest.mark.slow

SECRETS = re.compile(r"rehearsal-[0-9a-f]{16}|rehearsal-password")
CANARY = "ghp_canaryUserToken0123456789"
ROW = re.compile(r"^\| \[(\d+)\]\(#stage-\d+\) \| (.+?) \| ((?:ok|amber|FAILED|refused as expected|"
                 r"not run)(?: \(earlier run\))?) \| ([\d.]* ?s?) \| (\d*) \| (\d*) \|$", re.MULTILINE)
STARTED = re.compile(r"^== \[(\d+)/\d+\] (.+)$", re.MULTILINE)


def numbers(err: str) -> dict[str, int]:
    """Each stage's number by its title, from the plain progress lines."""
    return {title: int(number) for number, title in STARTED.findall(err)}


def amber_numbers(err: str) -> list[int]:
    return sorted(numbers(err)[title] for title in AMBER_STAGES)
AMBER_STAGES = {"[1.2.0rc1] contributor identities (.mailmap), with the issue text",
                "[1.2.0rc1] every preflight check",
                "[1.2.0] contributor identities (.mailmap), with the issue text",
                "[1.2.0] every preflight check"}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path, Path, str]:
    """One rehearsal of the example (1.2.0rc1, then 1.2.0) with the report elsewhere; its
    .mailmap leaves erin <erin@localhost> and a no-reply address unmapped, so it is amber."""
    from release.cli import main

    tmp = tmp_path_factory.mktemp("report")
    out, err = io.StringIO(), io.StringIO()
    env = {**os.environ, "GH_TOKEN": CANARY}
    code = main(["rehearse", "--workdir", str(tmp / "w"), "--report", str(tmp / "reports")],
                env=env, out=out, err=err)
    return code, out.getvalue(), tmp / "w", tmp / "reports", err.getvalue()


def test_every_stage_has_a_row_and_a_section(example: tuple[int, str, Path, Path, str]) -> None:
    code, out, workdir, reports, err = example
    assert code == 0
    assert out.rstrip().splitlines()[-1] == f"report: {reports / 'rehearsal-report.md'}"
    assert not (workdir / "rehearsal-report.md").exists()
    text = (reports / "rehearsal-report.md").read_text()
    assert f"  - the project (scratch): `{workdir / 'scratch' / 'tinynum'}`" in text
    assert f"  - the mail the list received (.eml): `{workdir / 'mail'}`" in text
    started = STARTED.findall(err)
    rows = ROW.findall(text)
    assert [int(row[0]) for row in rows] == list(range(1, len(started) + 1)) and len(rows) > 70
    assert [row[1] for row in rows] == [title for _, title in started]
    assert {row[1] for row in rows if row[2] == "amber"} == AMBER_STAGES
    assert [row[1] for row in rows if row[2] == "refused as expected"] == [
        "[1.2.0rc1] the maintenance branch is not reset after a pre-release",
        "[1.2.0rc1] main is not updated after a pre-release"]
    assert {row[2] for row in rows} == {"ok", "amber", "refused as expected"}
    for number, title in started:
        assert f'\n<a id="stage-{number}"></a>\n\n### {number}. {title}\n' in text
    tag = text.split("### 48. [1.2.0] tag and push it upstream\n", 1)[1].split("\n### ", 1)[0]
    assert "```sh\npython -m release tag 1.2.0 --push\n```" in tag
    assert "run git push upstream refs/tags/v1.2.0:refs/tags/v1.2.0" in tag
    assert "<details><summary>output (5 lines)</summary>" in tag
    mailmap = text.split("### 3. [1.2.0rc1] contributor identities", 1)[1].split("\n### ", 1)[0]
    assert "Status: **amber** (2 findings)" in mailmap and "<details open>" in mailmap
    changelog = text.split("[1.2.0rc1] changelog, dry run", 2)[2].split("\n### ", 1)[0]
    assert "+++ b/doc/changelog/1.2.0-changelog.rst" in changelog


def test_without_a_terminal_progress_is_plain_lines(example: tuple[int, str, Path, Path, str]) -> None:
    _, _, workdir, _, err = example
    assert "\x1b[" not in err
    assert "\n== [1/84] [1.2.0rc1] check out maintenance/1.2.x\n" in err
    assert "   $ python -m release tag 1.2.0 --push\n" in err
    assert "   refused as expected (exit 2)\n" in err
    assert not (workdir / "rehearsal.log").exists()


def test_the_verdict_is_amber_with_each_finding_and_its_fix(
        example: tuple[int, str, Path, Path, str]) -> None:
    """The mailmap stage passed, but warned: its warnings are findings, each saying what is
    wrong and the fix, found again by later stages rather than repeated."""
    _, _, _, reports, err = example
    found_by = amber_numbers(err)
    text = (reports / "rehearsal-report.md").read_text()
    assert text.startswith("# Rehearsal of tinynum 1.2.0rc1, then 1.2.0\n\n<a id=\"verdict\"></a>\n\n"
                           "## Verdict: AMBER\n\n**Can I release?** After a look at the findings: "
                           "every stage ran, and 2 findings say what to fix first")
    head = text.split("**What will the real release cost?**", 1)[0]
    assert ("1. [mailmap/placeholder](#finding-1) `.mailmap`: erin <erin@localhost> is a machine or "
            "default identity: the changelog would credit it as it is. **Fix:** add "
            "`!erin <erin@users.noreply.github.com> erin <erin@localhost>` to .mailmap") in head
    assert "(stages " + ", ".join(f"[{n}](#stage-{n})" for n in found_by) + ")" in head
    assert "2. [mailmap/noreply](#finding-2)" in head and "3. [" not in head
    data = json.loads((reports / "rehearsal-verdict.json").read_text())
    assert (data["verdict"], data["exit_code"], data["failure"]) == ("amber", 0, None)
    first = data["findings"][0]
    assert (first["kind"], first["file"], first["severity"], first["stages"]) == (
        "mailmap/placeholder", ".mailmap", "warning", found_by)
    assert first["fix"].startswith("add `!erin <erin@users.noreply.github.com> erin <erin@localhost>`")


def test_the_terminal_ends_with_the_verdict_not_the_stage_list(
        example: tuple[int, str, Path, Path, str]) -> None:
    out, err = example[1], example[4]
    total = len(STARTED.findall(err))
    lines = out.strip().splitlines()
    amber = [line for line in lines if line.startswith("amber ")]
    assert [int(re.match(rf"amber  \[(\d+)/{total}\] ", line)[1])  # type: ignore[index]
            for line in amber] == amber_numbers(err)
    assert amber[0].endswith("2 findings: erin <erin@localhost> is a machine or default identity: the "
                             "changelog would credit it as it is (+1 more)")
    assert lines[len(amber)] == ("verdict: AMBER (exit 0): every stage ran; 2 findings to look at "
                                 "before the real release")
    totals = next(line for line in lines if line.startswith("totals: "))
    assert totals.startswith(f"totals: {total} stages: {total - 4} ok (2 refused as expected), "
                             "4 amber, 0 failed, 0 not run; ")
    forecast = next(line for line in lines if line.startswith("forecast: "))
    assert re.fullmatch(r"forecast: the real release needs about [\d,]+ GitHub REST requests "
                        r"\([\d.]+% of 5,000/h, [\d.]+% of 1,000/h\) and about 4\.0 hours of "
                        r"wheel builds", forecast)
    assert len(lines) == len(amber) + 6
    assert "check out maintenance/1.2.x" not in out  # the stage list is in the report and the log


def test_the_top_answers_the_three_questions_before_any_table(
        example: tuple[int, str, Path, Path, str]) -> None:
    reports = example[3]
    text = (reports / "rehearsal-report.md").read_text()
    places = [text.index(words) for words in ("**Can I release?**", "**What will the real release cost?**",
                                              "**What did this run cover?**")]
    assert places == sorted(places) and places[-1] < text.index("\n|")
    covered = text.split("**What did this run cover?** ", 1)[1].split("\n", 1)[0]
    found = re.fullmatch(r"1\.2\.0rc1, then 1\.2\.0 of tinynum on the example project, built for "
                         r"this rehearsal: (\d+) stages, 17 dry runs, (\d+) for real, 12 reruns that "
                         r"must change nothing, 2 refusals the steps must give and 12 checks of the "
                         r"rehearsal's own; (\d+) ok, 4 amber, 0 failed, 0 not run\.", covered)
    assert found is not None, covered
    total, real, fine = map(int, found.groups())
    assert total == 17 + real + 12 + 2 + 12 and fine == total - 4
    page = (reports / "rehearsal-report.html").read_text()
    first_table = page.index("<table")
    for anchor in ('id="verdict" class="verdict amber"', 'id="cost"', 'id="covered"',
                   'class="findings-short"'):
        assert page.index(anchor) < first_table, anchor


def test_github_requests_per_stage_add_up_to_the_forecast(example: tuple[int, str, Path, Path, str]) -> None:
    text = (example[3] / "rehearsal-report.md").read_text()
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
    # counted as GitHub counts them: the builds' added looks are answered 304, free
    counted = re.search(r"GitHub counts (\d+) of the REST requests: (\d+) were answered 304", text)
    assert counted is not None and int(counted[1]) + int(counted[2]) == rest
    # the release builds' downloads beyond the sdist feed `upload`, the stand-in for the
    # workflow's own upload: the real release does not make them
    copies = re.search(r"so (\d+) downloads are left out of the forecast", text)
    assert copies is not None and int(copies[1]) > 2 * 50  # every wheel of two release builds
    assert int(budget[1]) == int(counted[1]) - int(copies[1])
    assert f"Every request, 304s included: {rest + 4 * polls:,}." in text
    assert f"About **{int(budget[1]):,} GitHub REST requests** ({budget[2]}% of a personal" in text
    assert float(budget[2]) == pytest.approx(100 * int(budget[1]) / 5000, abs=0.05)
    assert float(budget[3]) == pytest.approx(100 * int(budget[1]) / 1000, abs=0.05)
    assert "| 1,080 | 12 |" in text  # NumPy 2.0.0's pull requests: 11 queries and the rate limit
    assert "`v1.2.0.dev0..maintenance/1.2.x` names 7 pull requests: 2 GraphQL requests" in text
    assert re.search(r"needs about \*\*4\.0 hours\*\*", text)


COUNTED = re.compile(r"^### \d+\. (.+)\n\nStatus: [^\n]*?GitHub \(as the step counted it\): (\d+) REST"
                     r"(?: \(and (\d+) answered 304, free\))?, (\d+) GraphQL \((\d+) points\)"
                     r"(; the stand-in GitHub answered [^\n]*)?\.$", re.MULTILINE)


def test_each_stage_shows_what_its_step_counted_as_it_sent(example: tuple[int, str, Path, Path, str]) -> None:
    """Per stage, the requests the step counted in its own GitHub services (true against GitHub
    too), which are what the stand-in answered; `status` on a finished release is one query."""
    text = (example[3] / "rehearsal-report.md").read_text()
    counted = {title: tuple(int(n or 0) for n in numbers[:4]) for title, *numbers in COUNTED.findall(text)}
    assert not [title for title, *numbers in COUNTED.findall(text) if numbers[4]]  # no disagreement
    assert counted["[1.2.0] where the release stands: every step done"] == (0, 0, 1, 1)
    assert counted["[1.2.0rc1] where the release stands"] == (0, 0, 1, 1)
    assert counted["[1.2.0rc1] changelog, dry run (titles from GitHub)"][2] >= 1
    assert counted["[1.2.0rc1] GitHub release: draft, assets, verify, publish"][0] > 3
    assert "[1.2.0] tag and push it upstream" not in counted  # git only: no GitHub line
    assert len(counted) > 30
    page = (example[3] / "rehearsal-report.html").read_text()
    assert "GitHub (as the step counted it): 0 REST, 1 GraphQL (1 points)" in page


def test_the_html_page_stands_alone_with_its_pictures(example: tuple[int, str, Path, Path, str]) -> None:
    page = (example[3] / "rehearsal-report.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<link|<script|<img|src=\"http|url\(", page)
    stages = page.split('<section id="stage-details">', 1)[1]
    tag_at = numbers(example[4])["[1.2.0] tag and push it upstream"]
    assert stages.count("<details ") == len(STARTED.findall(example[4]))
    assert stages.count(" open>") == 4  # the amber stages; the rest folded
    assert '<details class="stage amber" id="stage-3" open>' in stages
    assert f'<details class="stage ok" id="stage-{tag_at}">' in stages
    assert '<td class="title">[1.2.0] docs merge and push</td>' in page
    assert f'<a href="#stage-{tag_at}">{tag_at}</a>' in page
    svgs = re.findall(r"<svg .*?</svg>", page, re.DOTALL)
    assert len(svgs) == 3
    timeline, budget, matrix = svgs
    assert ">0 h<" in timeline and ">3 h<" in timeline
    assert timeline.count(">test wheel build<") == 2 and timeline.count(">release wheel build<") == 2
    assert ">1.2.0rc1 (2.5 h)<" in timeline  # two builds, the review and the steps
    assert re.search(r">[\d,]+ of 5,000 requests an hour \([\d.]+%\)<", budget)
    assert re.search(r">[\d,]+ of 1,000 requests an hour \([\d.]+%\)<", budget)
    assert ">[1.2.0] tag<" in matrix and matrix.count(">amber<") == 4
    assert f'<a href="#stage-{tag_at + 1}">' in matrix  # the tag's rerun links to its stage
    finding = page.split('<li><a href="#finding-1">', 1)[1].split("</li>", 1)[0]
    assert "<code>!erin &lt;erin@users.noreply.github.com&gt; erin &lt;erin@localhost&gt;</code>" in finding


def test_no_secret_in_the_report(example: tuple[int, str, Path, Path, str]) -> None:
    _, out, _, reports, err = example
    assert not SECRETS.search(out + err) and CANARY not in out + err
    for name in ("rehearsal-report.md", "rehearsal-report.html", "rehearsal-verdict.json"):
        text = (reports / name).read_text()
        assert not SECRETS.search(text)
        assert CANARY not in text
    assert "report: " in out


def test_strict_makes_the_findings_red(cli: Cli, tmp_path: Path) -> None:
    """The same findings with --strict: the verdict is red, the report says so, exit 1; --json
    gives the verdict as data on stdout and the summary on stderr."""
    workdir = tmp_path / "w"
    result = cli("rehearse", "1.2.0rc1", "--workdir", str(workdir), "--strict", "--json")
    assert result.code == 1
    data = json.loads(result.out)
    assert (data["verdict"], data["exit_code"], data["strict"], data["failure"]) == ("red", 1, True, None)
    assert data["reason"] == "--strict and 2 findings to fix before the real release"
    assert [f["kind"] for f in data["findings"]] == ["mailmap/placeholder", "mailmap/noreply"]
    assert data["report"] == str(workdir / "rehearsal-report.md")
    assert "verdict: RED (exit 1): --strict and 2 findings" in result.err
    text = (workdir / "rehearsal-report.md").read_text()
    assert "## Verdict: RED\n\n**Can I release?** Not yet: `--strict` makes every finding fail" in text
    assert 'class="verdict red"' in (workdir / "rehearsal-report.html").read_text()


def test_a_failed_rehearsal_is_red_and_writes_its_report(cli: Cli, tmp_path: Path) -> None:
    """A checkout whose C-API hash is wrong stops the rehearsal at its second stage: red, with
    the stage, its error line and hint at the top of the report and at the end of the output."""
    from helpers import wrong_capi_hash_checkout

    repo = wrong_capi_hash_checkout(tmp_path / "project")
    workdir = tmp_path / "w"
    result = cli("rehearse", "1.2.0rc1", "--repo", str(repo), "--workdir", str(workdir))
    assert result.code == 1
    lines = result.out.strip().splitlines()
    assert lines[0].startswith("FAILED [2/")
    assert "[1.2.0rc1] C-API version and hash: exit 1, expected 0: " in lines[0]
    assert lines[1].startswith("verdict: RED (exit 1): stage 2 failed ([1.2.0rc1] C-API version and hash): ")
    assert lines[2].startswith("hint: ")
    assert lines[-1] == f"report: {workdir / 'rehearsal-report.md'}"
    text = (workdir / "rehearsal-report.md").read_text()
    rows = ROW.findall(text)
    assert [row[2] for row in rows[:3]] == ["ok", "FAILED", "not run"]
    assert {row[2] for row in rows[2:]} == {"not run"}
    assert len(rows) > 20
    assert text.startswith("# Rehearsal of tinynum 1.2.0rc1\n\n<a id=\"verdict\"></a>\n\n## Verdict: RED\n\n"
                           "**Can I release?** Not yet: stage [2](#stage-2) ([1.2.0rc1] C-API version "
                           "and hash) failed, exit 1, and the rehearsal stopped there.\n\n- error: ")
    data = json.loads((workdir / "rehearsal-verdict.json").read_text())
    assert data["verdict"] == "red" and data["failure"]["stage"] == 2
    assert data["failure"]["error"].endswith("records 00000000000000000000000000000000 for "
                                             "0x00000002: the C API changed")
    assert data["failure"]["hint"].startswith("set C_API_VERSION = '0x00000003' in tinynum/_core/meson.build")
    assert data["failure"]["command"] == "python -m release cversions 1.2.0rc1"
    assert f"- hint: {data['failure']['hint']}" in text and data["failure"]["hint"]
    assert f"a scratch copy of {repo}" in text
    failed = text.split("### 2. [1.2.0rc1] C-API version and hash\n", 1)[1].split("\n### ", 1)[0]
    assert "Status: **FAILED**" in failed and "0x00000002" in failed
    assert "<details open><summary>output" in failed  # a failure's output is shown unfolded
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
    """Killed (SIGKILL) as stage 14 starts, then rerun: the rerun's report shows the stages the
    first run finished as done by it, with the figures it measured, and counts them in the
    forecast; the verdict is green."""
    workdir = tmp_path / "w"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    killed = _rehearse_in_own_session({**env, "RELEASE_REHEARSAL_KILL": "before:14"}, "1.1.1",
                                      "--workdir", str(workdir))
    assert killed == -signal.SIGKILL
    assert not (workdir / "rehearsal-report.md").exists()  # a killed process writes nothing
    assert _rehearse_in_own_session(env, "1.1.1", "--workdir", str(workdir)) == 0
    text = (workdir / "rehearsal-report.md").read_text()
    rows = ROW.findall(text)
    resumed = [row for row in rows if row[2].endswith("(earlier run)")]
    assert resumed and all(int(row[0]) < 14 for row in resumed)
    assert all(row[3].endswith(" s") and row[4] != "" for row in resumed)
    assert sum(int(row[4]) for row in resumed) > 0  # the release PR's requests, kept
    assert {row[2].removesuffix(" (earlier run)") for row in rows} == {"ok"}
    assert int(rows[-1][0]) == len(rows)
    assert f"counting the {len(resumed)} stages an earlier run did with that run's figures" in text
    stated = re.search(r"this rehearsal made (\d+) REST requests and (\d+) GraphQL", text)
    assert stated is not None
    assert int(stated[1]) + int(stated[2]) == sum(int(row[4]) for row in rows)
    assert "## Verdict: GREEN" in text


def test_a_report_path_that_is_a_file_is_refused_first(cli: Cli, tmp_path: Path) -> None:
    from helpers import one_line_error

    (tmp_path / "report.md").write_text("mine")
    result = cli("rehearse", "--workdir", str(tmp_path / "w"), "--report", str(tmp_path / "report.md"))
    assert result.code == 2
    one_line_error(result.err, "is not a directory")
    assert not (tmp_path / "w").exists()
    assert (tmp_path / "report.md").read_text() == "mine"


def test_statuses_fences_and_redaction() -> None:
    """An advisory finding is amber, a stage done by an earlier run says so, the stages after a
    failure are not run; output with backticks keeps its fence; secrets are starred."""
    stages = [Stage("finding", ("mailmap", "1.0.0"), advisory=True), Stage("done before", ("tag",)),
              Stage("breaks", ("upload", "1.0.0")), Stage("after", ("docs", "1.0.0"))]
    outcomes = [Outcome(stages[0], 1, "a ``` fence and ```` a longer one", 0.5, Tally(2, 1, 1)),
                Outcome(stages[1], 0, "", 0.25, Tally(1), resumed=True),
                Outcome(stages[2], 1, "error: token s3cr3t-value refused", 0.25, Tally(3),
                        findings=(CheckResult.fail("upload", "error", "token s3cr3t-value refused",
                                                   "check the token"),))]
    about = About("tinynum", ("1.0.0",), "here", "today", "--repo x", (("a place", "/p"),))
    text = markdown(about, stages, outcomes, judge(stages, outcomes))
    statuses = [row[2] for row in ROW.findall(text)]
    assert statuses == ["amber", "ok (earlier run)", "FAILED", "not run"]
    assert ("**Can I release?** Not yet: stage [3](#stage-3) (breaks) failed, exit 1, and the "
            "rehearsal stopped there.\n\n- error: token s3cr3t-value refused\n- hint: check the "
            "token\n- command: `python -m release upload 1.0.0`\n") in text
    assert ("1. [stage](#finding-1): a ``` fence and ```` a longer one. **Fix:** see the stage's "
            "output") in text
    assert "`````text\na ``` fence and ```` a longer one\n`````" in text
    assert ("this rehearsal made 6 REST requests and 1 GraphQL requests (1 points), counting "
            "the stage an earlier run did with that run's figures.") in text
    secrets = secrets_in({"GITHUB_TOKEN": "s3cr3t-value", "HOME": "/home/x", "PASSWORD": "abc"})
    assert secrets == {"s3cr3t-value"}  # too short to be a password is left alone
    redacted = redact(text, secrets)
    assert "s3cr3t-value" not in redacted and "error: token *** refused" in redacted


def test_what_the_forecast_is_made_of() -> None:
    assert [changelog_requests(n) for n in (1, 100, 101, 1080)] == [2, 2, 3, 12]
    # 15 s, then x1.5 up to two minutes: 7 looks in the first 5 minutes, then one every 2
    assert polls_per_build(0) == 1 and polls_per_build(15) == 2
    assert polls_per_build(3600) == 7 + (3600 - 311) // 120


def test_rehearse_help_names_the_report_and_json_options() -> None:
    done = subprocess.run([sys.executable, "-m", "release", "rehearse", "--help"], capture_output=True,
                          text=True, check=True)
    assert "--report DIR" in done.stdout and "--json" in done.stdout


def test_the_assistants_findings_are_in_the_report(example: tuple[int, str, Path, Path, str]) -> None:
    """The read-only assistants run on the stand-ins, and what they found is in the report."""
    text = (example[3] / "rehearsal-report.md").read_text()
    for shown in (
            "What the release steps of tinynum need",  # doctor
            "originals on upstream/maintenance/1.2.x: #12",  # backports
            "marked ('09 - Backport-Candidate' or milestone '1.2.0 release') and already on "
            "upstream/maintenance/1.2.x: #12",
            "move issue #15 (mean() is slow on huge inputs) to milestone '1.2.1 release'",  # milestones
            "verified: every moved item is on '1.2.1 release'",
            "Deprecations in the work tree for tinynum 1.2",  # deprecations
            "Release repository example/tinynum-release (maintenance/1.2.x) for tinynum 1.2.0rc1",
            "Sanity check of tinynum 1.2.0rc1 at"):
        assert shown in text, shown
    assert CANARY not in text
