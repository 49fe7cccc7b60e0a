"""A rehearsal under GitHub Actions: the job summary, one annotation per finding, the step's outputs,
and the caller workflow a project adds (`ci-template`).

Written by the rehearsal itself whenever `GITHUB_ACTIONS=true`, so the action stays a thin wrapper
and another CI gets the same by setting the same variables.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from release.output.redact import Scrubber
from release.templating import render

SUMMARY_LIMIT = 1024 * 1024  # GitHub drops a step summary above 1024k
ANNOTATIONS_PER_LEVEL = 10  # GitHub shows at most 10 warnings and 10 errors of a step


@dataclass(frozen=True)
class CiFinding:
    """One thing to look at: what is wrong, how to fix it, and where, when a file says so."""

    message: str
    fix: str = ""
    file: str | None = None
    line: int | None = None
    stage: str = ""
    level: str = "warning"  # warning (a finding) or error (a failed stage)


@dataclass(frozen=True)
class CiVerdict:
    verdict: str  # green, amber or red
    versions: Sequence[str]
    findings: Sequence[CiFinding] = ()
    forecast: Sequence[str] = ()
    report: Path | None = None
    totals: str = ""
    failed: Sequence[CiFinding] = field(default_factory=tuple)


def in_github_actions(env: Mapping[str, str]) -> bool:
    return env.get("GITHUB_ACTIONS") == "true"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: CiFinding) -> str:
    """`::warning file=.mailmap,line=730,title=...::message`, escaped as the runner expects."""
    props = []
    if finding.file:
        props.append(f"file={_property(finding.file)}")
        if finding.line:
            props.append(f"line={finding.line}")
    if finding.stage:
        props.append(f"title={_property(finding.stage)}")
    text = finding.message + (f" (fix: {finding.fix})" if finding.fix else "")
    head = f"::{finding.level}" + (" " + ",".join(props) if props else "")
    return f"{head}::{_data(text)}"


def job_summary(verdict: CiVerdict) -> str:
    """The verdict, findings and forecast in GitHub-flavoured Markdown, within GitHub's size limit."""
    text = render("ci-summary.md.j2", verdict=verdict, dropped=0)
    dropped = 0
    findings = list(verdict.findings)
    while len(text.encode()) > SUMMARY_LIMIT and findings:
        cut = max(1, len(findings) // 10)
        findings, dropped = findings[:-cut], dropped + cut
        trimmed = CiVerdict(verdict.verdict, verdict.versions, findings, verdict.forecast,
                            verdict.report, verdict.totals, verdict.failed)
        text = render("ci-summary.md.j2", verdict=trimmed, dropped=dropped)
    return text


def publish(verdict: CiVerdict, env: Mapping[str, str], out: TextIO) -> None:
    """Append the job summary, set the outputs and print the annotations (workflow commands go to
    stdout, where the runner reads them)."""
    scrub = Scrubber.from_env(env)  # the summary is public on the run's page
    summary_file = env.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(scrub(job_summary(verdict)))
    output_file = env.get("GITHUB_OUTPUT")
    if output_file:
        values = {"verdict": verdict.verdict, "version": " ".join(verdict.versions),
                  "report": str(verdict.report or ""), "findings": str(len(verdict.findings))}
        with open(output_file, "a", encoding="utf-8") as handle:
            for key, value in values.items():
                handle.write(scrub(_output_line(key, value)))
    for level in ("error", "warning"):
        chosen = [f for f in (*verdict.failed, *verdict.findings) if f.level == level]
        for finding in chosen[:ANNOTATIONS_PER_LEVEL]:
            print(annotation(finding), file=out)


def _output_line(key: str, value: str) -> str:
    if "\n" not in value:
        return f"{key}={value}\n"
    delimiter = f"EOF_{secrets.token_hex(8)}"
    return f"{key}<<{delimiter}\n{value}\n{delimiter}\n"


def caller_workflow(*, project: str, branch_pattern: str, repository: str, ref: str,
                    strict: bool = False, cron: str = "17 4 * * *") -> str:
    """The workflow a project adds to rehearse its maintenance branches' next releases."""
    glob = branch_pattern.replace("{major}", "*").replace("{minor}", "*")
    return render("ci-rehearse.yml.j2", project=project, branch_glob=glob, repository=repository,
                  ref=ref, strict=strict, cron=cron)
