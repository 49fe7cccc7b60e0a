"""What the real release will cost: GitHub requests against the hourly limits, and hours.

The rehearsal measures what each step asks of GitHub and how long it takes against the
stand-ins; the real release adds what the stand-ins shorten (the wheel builds run for about an
hour, and the wheels step polls them meanwhile) and what no machine does (reviews). Resumed
stages count with the figures their earlier run kept in the rehearsal journal.

Requests are counted as GitHub counts them: a 304 to a conditional request is free. The wheels
step's looks at a run are conditional, so the looks the real builds add (the run unchanged
between its status changes, which the rehearsal's own looks already met and paid for) are
answered 304; they are shown, and counted only in `rest`, every request made.

The rehearsal's release builds download every file (`--dest`) for `upload`, its stand-in for
numpy-release's own upload to PyPI; in the real release (the walkthrough's environment `pypi`)
the workflow uploads and the wheels step downloads only the sdist for the GitHub release, so the
forecast leaves the other downloads out and says how many (`local_copy`: what uploading from a
local copy instead would add).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from release.rehearsal.runner import Outcome, Stage, Tally
from release.services.github_graphql import MAX_BATCH

# numpy-release's README: a wheel build "takes about 1 hour"; the walkthrough runs it twice,
# once with environment `none` to test and once for the release.
WHEEL_BUILD_HOURS = 1.0
# Not measured anywhere: the time a release PR waits for its review and CI before it is merged.
# The timeline draws it at this length and says it is assumed.
REVIEW_HOURS = 0.5
# GitHub's primary limits per hour (REST requests; GraphQL points alike).
LIMITS = (("personal token", 5000), ("`GITHUB_TOKEN` in Actions", 1000))
# How the wheels step polls a run: its default interval, backing off x1.5 up to two minutes.
POLL_INTERVAL, POLL_BACKOFF, POLL_MAX = 15.0, 1.5, 120.0
# NumPy 2.0.0 named about 1,080 pull requests (v1.26.0..v2.0.0), the largest range so far.
PULL_EXAMPLES = (30, 300, 1080)


@dataclass(frozen=True)
class Forecast:
    """The rehearsal's GitHub use and time, and what the real release adds to them."""

    used: Tally
    seconds: float
    builds: int
    resumed: int = 0  # stages whose figures come from an earlier run
    # per step (its command's name; the rehearsal's own work as "rehearsal"): GitHub requests
    # counted against the limit (REST and GraphQL), most first
    steps: tuple[tuple[str, int], ...] = ()
    # artifact downloads of the rehearsal's release builds beyond the sdist: the real release's
    # workflow uploads the wheels itself, so it does not make them
    local_copy: int = 0

    @property
    def polls_per_build(self) -> int:
        return polls_per_build(WHEEL_BUILD_HOURS * 3600)

    @property
    def polls(self) -> int:
        """Status look-ups while the real builds run, which the stand-in's quick runs skip."""
        return self.builds * self.polls_per_build

    @property
    def rest(self) -> int:
        """Every REST request, 304s included (how requests were counted before polls were
        conditional)."""
        return self.used.rest + self.polls

    @property
    def counted(self) -> int:
        """REST requests GitHub's primary limit counts: the real builds' added looks find the
        run unchanged and are answered 304; the release builds download the sdist only."""
        return self.used.counted - self.local_copy

    @property
    def free(self) -> int:
        """REST requests answered 304, the real builds' added looks among them."""
        return self.used.free + self.polls

    @property
    def build_hours(self) -> float:
        return self.builds * WHEEL_BUILD_HOURS

    @property
    def hours(self) -> float:
        return self.build_hours + self.seconds / 3600

    def budget(self) -> list[tuple[str, int, str, str]]:
        """(what, count, share of a personal token's hour, share of GITHUB_TOKEN's hour)."""
        personal, actions = (limit for _, limit in LIMITS)
        return [(what, count, f"{count / personal:.1%}", f"{count / actions:.1%}")
                for what, count in (("REST requests", self.counted),
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


def is_build(stage: Stage) -> bool:
    return stage.argv[:1] == ("wheels",) and "--dispatch" in stage.argv


def forecast(stages: Sequence[Stage], outcomes: Sequence[Outcome]) -> Forecast:
    """Every stage that has an outcome counts, resumed ones with their earlier run's figures."""
    used = sum((outcome.github for outcome in outcomes), Tally())
    builds = sum(1 for stage in stages if is_build(stage))
    return Forecast(used, sum(outcome.seconds for outcome in outcomes), builds,
                    sum(1 for outcome in outcomes if outcome.resumed), by_step(outcomes),
                    sum(local_copy(outcome) for outcome in outcomes))


def local_copy(outcome: Outcome) -> int:
    """A build's downloads beyond the sdist when it copies every file for `upload` (`--dest`)."""
    if not (is_build(outcome.stage) and "--dest" in outcome.stage.argv):
        return 0
    return max(0, outcome.github.downloads - 1)


def by_step(outcomes: Sequence[Outcome]) -> tuple[tuple[str, int], ...]:
    """Counted GitHub requests of the real release per step, most first (steps that cost
    nothing left out)."""
    cost: dict[str, int] = {}
    for outcome in outcomes:
        step = outcome.stage.argv[0] if outcome.stage.argv else "rehearsal"
        spent = outcome.github.counted + outcome.github.graphql - local_copy(outcome)
        cost[step] = cost.get(step, 0) + spent
    return tuple(sorted(((step, n) for step, n in cost.items() if n), key=lambda item: -item[1]))


@dataclass(frozen=True)
class Span:
    """One stretch of the real release's timeline, in hours from its start."""

    label: str
    start: float
    hours: float
    kind: str  # steps, build, review
    stages: tuple[int, ...] = ()

    @property
    def end(self) -> float:
        return self.start + self.hours


def timeline(stages: Sequence[Stage], outcomes: Sequence[Outcome]) -> list[tuple[str, list[Span]]]:
    """Per version, the real release in order: runs of steps (their measured time), the wheel
    builds, and the release PR's review. Dry runs, reruns and the rehearsal's own checks are
    left out: the real release does not repeat them."""
    lanes: dict[str, list[Span]] = {}
    group: dict[str, list[tuple[int, Stage]]] = {}
    for number, stage in enumerate(stages, 1):
        version = stage.title[1:stage.title.index("]")] if stage.title.startswith("[") else ""
        lane, steps = lanes.setdefault(version, []), group.setdefault(version, [])
        seconds = outcomes[number - 1].seconds if number <= len(outcomes) else 0.0
        if is_build(stage) or _is_review(stage):
            _flush(lane, steps, outcomes)
            hours = WHEEL_BUILD_HOURS if is_build(stage) else REVIEW_HOURS
            label = (("test wheel build" if "test" in stage.title else "release wheel build")
                     if is_build(stage) else "release PR review (assumed)")
            lane.append(Span(label, _end(lane), hours + seconds / 3600,
                             "build" if is_build(stage) else "review", (number,)))
        elif stage.argv and not stage.refusal and "--dry-run" not in stage.argv \
                and not _repeats(stage, stages[:number - 1]):
            steps.append((number, stage))
    for version, lane in lanes.items():
        _flush(lane, group[version], outcomes)
    return list(lanes.items())


def _is_review(stage: Stage) -> bool:
    return stage.action is not None and "merge the release PR" in stage.title


def _repeats(stage: Stage, before: Sequence[Stage]) -> bool:
    return any(earlier.argv == stage.argv for earlier in before)


def _end(lane: list[Span]) -> float:
    return lane[-1].end if lane else 0.0


def _flush(lane: list[Span], steps: list[tuple[int, Stage]], outcomes: Sequence[Outcome]) -> None:
    if not steps:
        return
    names = list(dict.fromkeys(stage.argv[0] for _, stage in steps))
    seconds = sum(outcomes[n - 1].seconds for n, _ in steps if n <= len(outcomes))
    lane.append(Span(", ".join(names), _end(lane), seconds / 3600, "steps",
                     tuple(n for n, _ in steps)))
    steps.clear()
