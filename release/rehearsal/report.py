"""The rehearsal's report: the verdict first, then what the real release will cost and what the
run covered, then every stage.

Written as Markdown and as one self-contained HTML page with its pictures inline (both from
templates), and the verdict as JSON for scripts, also when the rehearsal fails, since that is
when someone reads it. Every text passes through `redact` first: the stand-ins' tokens and
passwords, and any the user's environment holds, never reach the files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import Markup, escape

from release.changelog.pulls import pulls_in_range
from release.errors import ReleaseError, UsageError
from release.fakes.stand_ins import StandIns
from release.output.redact import Scrubber, secret_values
from release.rehearsal.forecast import (
    LIMITS,
    POLL_INTERVAL,
    POLL_MAX,
    PULL_EXAMPLES,
    REVIEW_HOURS,
    WHEEL_BUILD_HOURS,
    Forecast,
    changelog_requests,
    forecast,
    timeline,
)
from release.rehearsal.pictures import COLOURS, MODES, Cell, budget_svg, matrix_svg, timeline_svg
from release.rehearsal.runner import Outcome, Stage, Tally
from release.rehearsal.verdict import STATE_LABELS, Verdict, stage_findings, stage_state
from release.repo.revision_range import resolve
from release.services.github_graphql import MAX_BATCH
from release.templating import render
from release.version import ReleaseVersion

MARKDOWN_NAME = "rehearsal-report.md"
HTML_NAME = "rehearsal-report.html"

VERDICT_NAME = "rehearsal-verdict.json"


def check_report_dir(path: Path | None) -> None:
    """Refuse a --report that cannot hold the report before the rehearsal makes anything."""
    if path is not None and path.exists() and not path.is_dir():
        raise UsageError(f"--report {path} is not a directory",
                         hint="give a directory for rehearsal-report.md and .html, or leave "
                              "--report out to write them into the workdir")


@dataclass(frozen=True)
class About:
    """What was rehearsed, for the report's head."""

    project: str
    versions: tuple[str, ...]
    repo: str
    date: str
    common: str
    places: tuple[tuple[str, str], ...]
    pulls: tuple[tuple[str, int], ...] = ()  # (range, pull requests in it) for the changelog


def describe(project_name: str, versions: Sequence[ReleaseVersion], checkout: Path | None,
             stand_ins: StandIns, common: Sequence[str]) -> About:
    """The report's head: a checkout's rehearsal names the checkout; the example, its build."""
    assert stand_ins.places is not None and stand_ins.index is not None
    project, places = stand_ins.project, stand_ins.places
    git, config = stand_ins.git, stand_ins.config()
    ranges = {}
    for version in versions:
        try:
            span = resolve(git, config, version)
            ranges[str(span)] = len(pulls_in_range(git, span.start, span.end))
        except ReleaseError:
            continue  # the changelog stage will say what is wrong with the range
    repo = (f"a scratch copy of {checkout} (the checkout itself is not touched)" if checkout
            else "the example project, built for this rehearsal")
    return About(project_name, tuple(str(v) for v in versions), repo,
                 datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), " ".join(common), (
                     ("the project (scratch)", str(project.repo)),
                     ("its upstream remote (bare)", str(project.upstream)),
                     ("its fork remote (bare)", str(project.fork)),
                     ("the stand-ins' config", str(places.config_file)),
                     ("the built wheels and sdists", str(places.dist)),
                     ("the package index's files", str(stand_ins.index.packages)),
                     ("the numpy/doc-shaped repository", str(places.doc.repo)),
                     ("the website repository", str(places.website.repo)),
                     *_kept_state(stand_ins),
                 ), tuple(ranges.items()))


def _kept_state(stand_ins: StandIns) -> list[tuple[str, str]]:
    """The fake GitHub's saved world and the captured mail, where the stand-ins keep them."""
    places = []
    if stand_ins.github is not None and stand_ins.github.state_file is not None:
        places.append(("the fake GitHub's state", str(stand_ins.github.state_file)))
    if stand_ins.smtp is not None and stand_ins.smtp.mail_dir is not None:
        places.append(("the mail the list received (.eml)", str(stand_ins.smtp.mail_dir)))
    return places


@dataclass(frozen=True)
class Row:
    number: int
    title: str
    state: str  # ok, refused, amber, failed, not-run (verdict.stage_state)
    resumed: bool
    mode: str  # dry run, real, rerun, refusal, or check (the rehearsal's own actions)
    seconds: float | None
    github: Tally | None  # as the step counted what it sent (the stand-in's count for actions)
    command: str
    output: str
    findings: int = 0
    counted: bool = False  # `github` is the step's own count
    served: Tally | None = None  # what the stand-in GitHub answered, where that differs

    @property
    def status(self) -> str:
        return STATE_LABELS[self.state] + (" (earlier run)" if self.resumed else "")

    @property
    def time(self) -> str:
        return "" if self.seconds is None else f"{self.seconds:.2f} s"

    @property
    def cell_title(self) -> str:
        return self.title.replace("|", "\\|")

    @property
    def fence(self) -> str:
        """A code fence longer than any run of backticks in the output."""
        longest = max((len(run) for run in self.output.split("\n") for run in _backtick_runs(run)),
                      default=0)
        return "`" * max(3, longest + 1)

    @property
    def lines(self) -> int:
        return len(self.output.splitlines())

    @property
    def unfolded(self) -> bool:
        return self.state in ("amber", "failed")


def _backtick_runs(line: str) -> Iterable[str]:
    run = ""
    for char in line + " ":
        if char == "`":
            run += char
        elif run:
            yield run
            run = ""


def stage_mode(stage: Stage, before: Sequence[Stage]) -> str:
    """How the stage runs its step: a dry run, for real, again (the same command as an earlier
    stage), a refusal the step must give, or a check of the rehearsal's own."""
    if not stage.argv:
        return "check"
    if stage.refusal:
        return "refusal"
    if "--dry-run" in stage.argv:
        return "dry run"
    return "rerun" if any(earlier.argv == stage.argv for earlier in before) else "real"


def rows(stages: Sequence[Stage], outcomes: Sequence[Outcome]) -> list[Row]:
    """One row per planned stage; the stages after a failure are there too, as `not run`."""
    result = []
    for number, stage in enumerate(stages, 1):
        outcome = outcomes[number - 1] if number <= len(outcomes) else None
        command = "python -m release " + " ".join(stage.argv) if stage.argv else ""
        sent = None if outcome is None or outcome.sent is None else Tally.of(outcome.sent)
        served = None if outcome is None else outcome.github
        result.append(Row(
            number, stage.title, stage_state(outcome), bool(outcome and outcome.resumed),
            stage_mode(stage, stages[:number - 1]),
            None if outcome is None else outcome.seconds,
            sent or served, command,
            "" if outcome is None else outcome.output.rstrip("\n"),
            len(stage_findings(number, outcome)) if outcome and stage_state(outcome) == "amber"
            else 0,
            counted=sent is not None,
            served=served if sent is not None and served != sent else None))
    return result


_RANK = ("ok", "refused", "not-run", "amber", "failed")


def coverage(stages: Sequence[Stage], table: Sequence[Row]) -> list[tuple[str, dict[str, Cell]]]:
    """Per version and step (in walkthrough order), its dry-run, real and rerun stages."""
    found: dict[str, dict[str, list[Row]]] = {}
    for stage, row in zip(stages, table, strict=True):
        if row.mode in MODES:
            version = stage.title[:stage.title.index("]") + 1] if stage.title.startswith("[") else ""
            step = f"{version} {stage.argv[0]}".strip()
            found.setdefault(step, {}).setdefault(row.mode, []).append(row)
    return [(step, {mode: Cell(max((r.state for r in cells), key=_RANK.index),
                               tuple((r.number, r.status) for r in cells))
                    for mode, cells in by_mode.items()})
            for step, by_mode in found.items()]


def counts(table: Sequence[Row]) -> dict[str, int]:
    """Stages by state and by mode, and how many an earlier run did."""
    tally = {key: sum(1 for row in table if row.state == key) for key in STATE_LABELS}
    tally.update({mode: sum(1 for row in table if row.mode == mode)
                  for mode in (*MODES, "refusal", "check")})
    tally["resumed"] = sum(1 for row in table if row.resumed)
    return tally


def secrets_in(*envs: Mapping[str, str]) -> set[str]:
    """Values of the variables that hold tokens and passwords (long enough to be one)."""
    return {value for env in envs for value in secret_values(env)}


def redact(text: str, secrets: Iterable[str]) -> str:
    return Scrubber(secrets)(text)


def _values(about: About, stages: Sequence[Stage], outcomes: Sequence[Outcome],
            verdict: Verdict) -> dict[str, object]:
    table = rows(stages, outcomes)
    fc = forecast(stages, outcomes)
    return {"about": about, "rows": table, "verdict": verdict, "counts": counts(table),
            "forecast": fc, "limits": LIMITS, "hours_per_build": WHEEL_BUILD_HOURS,
            "review_hours": REVIEW_HOURS, "poll_interval": POLL_INTERVAL, "poll_max": POLL_MAX,
            "pull_examples": [(n, changelog_requests(n)) for n in PULL_EXAMPLES],
            "pulls": [(span, n, changelog_requests(n)) for span, n in about.pulls],
            "batch": MAX_BATCH, "lanes": timeline(stages, outcomes),
            "coverage": coverage(stages, table), "colours": COLOURS}


def markdown(about: About, stages: Sequence[Stage], outcomes: Sequence[Outcome],
             verdict: Verdict) -> str:
    return render("rehearsal-report.md.j2", **_values(about, stages, outcomes, verdict))


def html(about: About, stages: Sequence[Stage], outcomes: Sequence[Outcome],
         verdict: Verdict) -> str:
    """One page that stands alone: styles and pictures inline, no script, nothing fetched."""
    values = _values(about, stages, outcomes, verdict)
    fc = values["forecast"]
    assert isinstance(fc, Forecast)
    return render("rehearsal-report.html.j2", **values, code=code_spans, timeline_svg=timeline_svg(
        values["lanes"]), budget_svg=budget_svg(fc),  # type: ignore[arg-type]
        matrix_svg=matrix_svg(values["coverage"]))  # type: ignore[arg-type]


def terminal_end(stages: Sequence[Stage], outcomes: Sequence[Outcome], verdict: Verdict,
                 workdir: Path, report: Path) -> str:
    """The lines a rehearsal ends with: one per failed or amber stage, the verdict, the totals,
    the forecast's two numbers and where the report is (every stage is in the report)."""
    table = rows(stages, outcomes)
    look = []
    for row, outcome in zip(table, outcomes, strict=False):
        if row.state not in ("failed", "amber"):
            continue
        found = stage_findings(row.number, outcome)
        first = (verdict.failure.error if row.state == "failed" and verdict.failure
                 else found[0].what if found else "")
        first = first if len(first) <= 110 else first[:109] + "…"
        more = f" (+{len(found) - 1} more)" if row.state == "amber" and len(found) > 1 else ""
        look.append({"number": row.number, "title": row.title, "state": row.state,
                     "code": outcome.code, "expected": outcome.stage.expect,
                     "findings": len(found), "first": first + more})
    return render("rehearsal-end.txt.j2", look=look, total=len(stages), verdict=verdict,
                  counts=counts(table), forecast=forecast(stages, outcomes), limits=LIMITS,
                  workdir=workdir, report=report)


def code_spans(text: str) -> Markup:
    """Text for the HTML page, escaped, with its `backticked` parts as code."""
    return Markup(_BACKTICKED.sub(r"<code>\1</code>", str(escape(text))))


_BACKTICKED = re.compile(r"`([^`]+)`")


def write_report(directory: Path, about: About, stages: Sequence[Stage],
                 outcomes: Sequence[Outcome], verdict: Verdict, secrets: Iterable[str]) -> Path:
    """The Markdown, the HTML page and the verdict's JSON into `directory`; returns the
    Markdown file's path."""
    secrets = set(secrets)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / MARKDOWN_NAME
    target.write_text(redact(markdown(about, stages, outcomes, verdict), secrets), encoding="utf-8")
    (directory / HTML_NAME).write_text(redact(html(about, stages, outcomes, verdict), secrets),
                                       encoding="utf-8")
    (directory / VERDICT_NAME).write_text(
        redact(json.dumps(verdict.as_dict(), indent=2), secrets) + "\n", encoding="utf-8")
    return target
