"""The rehearsal's report: what ran, how it went, and what the real release will cost.

Written as Markdown (a template) and as one self-contained HTML page (pandoc), also when the
rehearsal fails, since that is when someone reads it. Every text passes through `redact` first:
the stand-ins' tokens and passwords, and any the user's environment holds, never reach the files.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from release.changelog.pulls import pulls_in_range
from release.errors import ReleaseError, UsageError
from release.fakes.stand_ins import StandIns
from release.redact import Scrubber, secret_values
from release.rehearsal.runner import Outcome, Stage, Tally
from release.repo.revision_range import resolve
from release.services.git import GitService
from release.services.github_graphql import MAX_BATCH
from release.services.pandoc import markdown_to_html
from release.templating import render
from release.version import ReleaseVersion

MARKDOWN_NAME = "rehearsal-report.md"
HTML_NAME = "rehearsal-report.html"

# numpy-release's README: a wheel build "takes about 1 hour"; the walkthrough runs it twice,
# once with environment `none` to test and once for the release.
WHEEL_BUILD_HOURS = 1.0
# GitHub's primary limits per hour (REST requests; GraphQL points alike).
LIMITS = (("personal token", 5000), ("`GITHUB_TOKEN` in Actions", 1000))
# How the wheels step polls a run: its default interval, backing off x1.5 up to two minutes.
POLL_INTERVAL, POLL_BACKOFF, POLL_MAX = 15.0, 1.5, 120.0
# NumPy 2.0.0 named about 1,080 pull requests (v1.26.0..v2.0.0), the largest range so far.
PULL_EXAMPLES = (30, 300, 1080)


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
    git, config = GitService(project.repo), stand_ins.config()
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
    status: str
    seconds: float | None
    github: Tally | None
    command: str
    output: str

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


def _backtick_runs(line: str) -> Iterable[str]:
    run = ""
    for char in line + " ":
        if char == "`":
            run += char
        elif run:
            yield run
            run = ""


def stage_status(outcome: Outcome | None) -> str:
    """ok, warn (an advisory stage's finding), FAILED, resumed (done by an earlier run), not run."""
    if outcome is None:
        return "not run"
    if outcome.resumed:
        return "resumed"
    if outcome.ok:
        return "ok"
    return "warn" if outcome.stage.advisory else "FAILED"


def rows(stages: Sequence[Stage], outcomes: Sequence[Outcome]) -> list[Row]:
    """One row per planned stage; the stages after a failure are there too, as `not run`."""
    result = []
    for number, stage in enumerate(stages, 1):
        outcome = outcomes[number - 1] if number <= len(outcomes) else None
        command = "python -m release " + " ".join(stage.argv) if stage.argv else ""
        result.append(Row(
            number, stage.title, stage_status(outcome),
            None if outcome is None or outcome.resumed else outcome.seconds,
            None if outcome is None or outcome.resumed else outcome.github, command,
            "" if outcome is None else outcome.output.rstrip("\n")))
    return result


@dataclass(frozen=True)
class Forecast:
    """The rehearsal's GitHub use and time, and what the real release adds to them."""

    used: Tally
    seconds: float
    builds: int

    @property
    def polls_per_build(self) -> int:
        return polls_per_build(WHEEL_BUILD_HOURS * 3600)

    @property
    def polls(self) -> int:
        """Status look-ups while the real builds run, which the stand-in's quick runs skip."""
        return self.builds * self.polls_per_build

    @property
    def rest(self) -> int:
        return self.used.rest + self.polls

    @property
    def hours(self) -> float:
        return self.builds * WHEEL_BUILD_HOURS + self.seconds / 3600

    def budget(self) -> list[tuple[str, int, str, str]]:
        """(what, count, share of a personal token's hour, share of GITHUB_TOKEN's hour)."""
        personal, actions = (limit for _, limit in LIMITS)
        return [(what, count, f"{count / personal:.1%}", f"{count / actions:.1%}")
                for what, count in (("REST requests", self.rest),
                                    ("GraphQL points", self.used.points))]


def polls_per_build(seconds: float) -> int:
    waited, wait, polls = 0.0, POLL_INTERVAL, 1
    while waited + wait <= seconds:
        waited += wait
        polls += 1
        wait = min(wait * POLL_BACKOFF, POLL_MAX)
    return polls


def changelog_requests(pulls: int) -> int:
    """The rate-limit look-up, then one GraphQL query (one point) per 100 pull requests."""
    return 1 + math.ceil(pulls / MAX_BATCH)


def forecast(stages: Sequence[Stage], outcomes: Sequence[Outcome]) -> Forecast:
    ran = [outcome for outcome in outcomes if not outcome.resumed]
    used = sum((outcome.github for outcome in ran), Tally())
    builds = sum(1 for stage in stages if stage.argv[:1] == ("wheels",) and "--dispatch" in stage.argv)
    return Forecast(used, sum(outcome.seconds for outcome in ran), builds)


def secrets_in(*envs: Mapping[str, str]) -> set[str]:
    """Values of the variables that hold tokens and passwords (long enough to be one)."""
    return {value for env in envs for value in secret_values(env)}


def redact(text: str, secrets: Iterable[str]) -> str:
    return Scrubber(secrets)(text)


def markdown(about: About, stages: Sequence[Stage], outcomes: Sequence[Outcome]) -> str:
    """Green when every stage ran and none failed; findings (warn) are counted, not fatal."""
    table = rows(stages, outcomes)
    counts = {status: sum(1 for row in table if row.status == status)
              for status in ("ok", "warn", "FAILED", "resumed", "not run")}
    green = not counts["FAILED"] and not counts["not run"]
    return render("rehearsal-report.md.j2", about=about, rows=table, green=green, counts=counts,
                  forecast=forecast(stages, outcomes), limits=LIMITS,
                  hours_per_build=WHEEL_BUILD_HOURS, poll_interval=POLL_INTERVAL,
                  poll_max=POLL_MAX, pull_examples=[(n, changelog_requests(n))
                                                    for n in PULL_EXAMPLES],
                  pulls=[(span, n, changelog_requests(n)) for span, n in about.pulls],
                  batch=MAX_BATCH)


def write_report(directory: Path, about: About, stages: Sequence[Stage],
                 outcomes: Sequence[Outcome], secrets: Iterable[str]) -> Path:
    """Both files into `directory`; returns the Markdown file's path."""
    text = redact(markdown(about, stages, outcomes), secrets)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / MARKDOWN_NAME
    target.write_text(text, encoding="utf-8")
    title = f"Rehearsal of {about.project} {', '.join(about.versions)}"
    (directory / HTML_NAME).write_text(markdown_to_html(text, title), encoding="utf-8")
    return target
