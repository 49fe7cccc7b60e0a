"""The verdict on a rehearsal from its stages' outcomes: green, amber (findings, each with what is
wrong, the fix, the file and line) or red (a failed stage, an interruption, or --strict), and the
exit code that goes with it. The rehearsals that have each verdict are in test_rehearsal_report,
test_rehearse and test_rehearse_past."""

from __future__ import annotations

import json

from release.checks.result import CheckResult
from release.identities.findings import Finding as IdentityFinding
from release.rehearsal.runner import Outcome, Stage
from release.rehearsal.verdict import Level, judge, stage_state

MAILMAP = Stage("[1.0.0] contributor identities", ("mailmap", "1.0.0"), advisory=True)
CHECK = Stage("[1.0.0] every preflight check", ("check", "1.0.0"), advisory=True)
TAG = Stage("[1.0.0] tag", ("tag", "1.0.0", "--push"))
REFUSE = Stage("[1.0.0rc1] main is not updated", ("post-release", "1.0.0rc1"), expect=2)
PLACEHOLDER = CheckResult.warn("mailmap", "placeholder", "erin <erin@localhost> is a machine "
                               "identity", "add `!erin <erin@users.noreply.github.com> erin "
                               "<erin@localhost>` to .mailmap", file=".mailmap")


def ok(stage: Stage, *findings: CheckResult) -> Outcome:
    return Outcome(stage, stage.expect, "fine", 0.1, findings=findings)


def test_nothing_to_look_at_is_green() -> None:
    stages = [MAILMAP, TAG, REFUSE]
    refused = Outcome(REFUSE, 2, "error: not after a pre-release", findings=(
        CheckResult.fail("post-release", "error", "not after a pre-release", "skip it"),))
    verdict = judge(stages, [ok(MAILMAP), ok(TAG), refused])
    assert (verdict.level, verdict.exit_code, verdict.findings) == (Level.GREEN, 0, ())
    assert stage_state(refused) == "refused"  # the refusal was the point: not a finding
    assert verdict.reason == "every stage ran and nothing was found to look at (3 stages)"


def test_a_warning_inside_a_stage_that_passed_is_a_finding() -> None:
    stages = [MAILMAP, CHECK, TAG]
    verdict = judge(stages, [ok(MAILMAP, PLACEHOLDER), ok(CHECK, PLACEHOLDER), ok(TAG)])
    assert (verdict.level, verdict.exit_code) == (Level.AMBER, 0)
    [finding] = verdict.findings  # found twice, said once
    assert (finding.kind, finding.file, finding.stages) == ("mailmap/placeholder", ".mailmap", (1, 2))
    assert finding.text == ("erin <erin@localhost> is a machine identity (fix: add `!erin "
                            "<erin@users.noreply.github.com> erin <erin@localhost>` to .mailmap)")
    assert stage_state(ok(MAILMAP, PLACEHOLDER)) == "amber"


def test_the_same_line_found_again_after_lines_were_added_is_one_finding() -> None:
    """The mailmap finding names the line as the branch stood, the preflight the line after the
    release PR's hand edits; one problem, the first place it was found."""
    early = IdentityFinding("malformed", ".mailmap line 769: unbalanced < >: 'S <x'", line=769,
                            hint="write `Proper Name <proper@email>`").result()
    late = IdentityFinding("malformed", ".mailmap line 775: unbalanced < >: 'S <x'", line=775,
                           hint="write `Proper Name <proper@email>`").result()
    assert (early.file, early.line, early.fix) == (".mailmap", 769, "write `Proper Name <proper@email>`")
    verdict = judge([MAILMAP, CHECK], [Outcome(MAILMAP, 1, "", findings=(early,)), ok(CHECK, late)])
    [finding] = verdict.findings
    assert (finding.line, finding.stages, finding.error) == (769, (1, 2), True)
    assert finding.what == ".mailmap line 769: unbalanced < >: 'S <x': git skips this line"
    assert finding.where == ".mailmap line 769"


def test_an_advisory_stage_that_failed_without_saying_why_gives_its_output_line() -> None:
    out = Outcome(MAILMAP, 1, "mailmap: 3 identities\nerror: the range v0.9.0..HEAD has no tag\n"
                  "hint: fetch the tags")
    [finding] = judge([MAILMAP], [out]).findings
    assert (finding.kind, finding.what, finding.error) == (
        "stage", "error: the range v0.9.0..HEAD has no tag", True)


def test_a_failed_stage_is_red_with_its_error_and_hint() -> None:
    failed = Outcome(TAG, 1, "error: tag v1.0.0 exists\nhint: delete it", findings=(
        CheckResult.fail("tag", "error", "tag v1.0.0 exists upstream", "git push --delete upstream v1.0.0"),))
    verdict = judge([MAILMAP, TAG, CHECK], [ok(MAILMAP, PLACEHOLDER), failed])
    assert (verdict.level, verdict.exit_code) == (Level.RED, 1)
    assert verdict.failure is not None
    assert (verdict.failure.stage, verdict.failure.error, verdict.failure.hint) == (
        2, "tag v1.0.0 exists upstream", "git push --delete upstream v1.0.0")
    assert verdict.failure.command == "python -m release tag 1.0.0 --push"
    assert verdict.reason == "stage 2 failed ([1.0.0] tag): tag v1.0.0 exists upstream"
    assert len(verdict.findings) == 1  # what was found before the failure is still said


def test_a_refusal_that_did_not_come_fails() -> None:
    verdict = judge([REFUSE], [Outcome(REFUSE, 0, "done")])
    assert verdict.failure is not None and verdict.level is Level.RED
    assert verdict.failure.error == "the step did not refuse (exit 0, expected 2)"


def test_strict_turns_amber_red_and_leaves_green_alone() -> None:
    stages = [MAILMAP, TAG]
    amber = judge(stages, [ok(MAILMAP, PLACEHOLDER), ok(TAG)], strict=True)
    assert (amber.level, amber.exit_code, amber.failure) == (Level.RED, 1, None)
    assert amber.reason == "--strict and 1 finding to fix before the real release"
    green = judge(stages, [ok(MAILMAP), ok(TAG)], strict=True)
    assert (green.level, green.exit_code) == (Level.GREEN, 0)


def test_an_interrupted_rehearsal_is_red_and_says_where() -> None:
    verdict = judge([MAILMAP, TAG, CHECK], [ok(MAILMAP)], interrupted=True)
    assert (verdict.level, verdict.exit_code, verdict.interrupted) == (Level.RED, 130, 2)
    assert verdict.reason == "interrupted at stage 2 of 3"
    stopped = judge([MAILMAP, TAG], [ok(MAILMAP)])  # ended early with no failure recorded
    assert stopped.level is Level.RED and stopped.interrupted == 2


def test_the_verdict_as_data() -> None:
    verdict = judge([MAILMAP, TAG], [ok(MAILMAP, PLACEHOLDER), ok(TAG)])
    data = json.loads(json.dumps(verdict.as_dict()))
    assert data == {
        "verdict": "amber", "exit_code": 0, "strict": False, "planned": 2, "ran": 2,
        "interrupted_at": None, "failure": None,
        "reason": "every stage ran; 1 finding to look at before the real release",
        "findings": [{"kind": "mailmap/placeholder", "what": PLACEHOLDER.detail, "fix": PLACEHOLDER.fix,
                      "file": ".mailmap", "line": None, "severity": "warning", "stage": 1,
                      "stage_title": MAILMAP.title, "stages": [1]}]}
