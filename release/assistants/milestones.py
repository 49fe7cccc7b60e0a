"""Milestone triage: what is still open on the release's milestone, grouped as the walkthrough
reads it (open pull requests, open issues, pull requests closed without a merge), and the plan
that moves the open ones to the next release's milestone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from release.errors import VerificationError
from release.plan import Call, Plan
from release.services.github_triage import MilestoneItem, MilestoneView

GROUPS = ("open pull requests", "open issues", "closed unmerged pull requests")


@dataclass(frozen=True)
class Triage:
    milestone: MilestoneView
    groups: dict[str, tuple[MilestoneItem, ...]]
    done: int  # merged pull requests and closed issues

    @property
    def to_move(self) -> tuple[MilestoneItem, ...]:
        return self.groups["open pull requests"] + self.groups["open issues"]


def triage(view: MilestoneView) -> Triage:
    groups = {
        "open pull requests": tuple(i for i in view.items if i.is_pull and i.state == "open"),
        "open issues": tuple(i for i in view.items if not i.is_pull and i.state == "open"),
        "closed unmerged pull requests": tuple(i for i in view.items
                                               if i.is_pull and i.state == "closed" and not i.merged),
    }
    done = sum(1 for i in view.items if i.state == "closed" and (i.merged or not i.is_pull))
    return Triage(view, groups, done)


def move_plan(found: Triage, target: MilestoneView, repo: str,
              move: Callable[[int, int | None], None],
              reread: Callable[[], tuple[MilestoneView | None, MilestoneView | None]]) -> Plan:
    """One call per open item, then a check that each is on `target` and none is left open."""
    source = found.milestone
    plan = Plan(f"move {len(found.to_move)} open items from {source.title!r} to {target.title!r}")
    for item in found.to_move:
        kind = "pull request" if item.is_pull else "issue"
        plan.add(Call(f"move {kind} #{item.number} ({item.title}) to milestone {target.title!r}",
                      partial(move, item.number, target.number),
                      undo=f"gh api -X PATCH repos/{repo}/issues/{item.number} -F milestone={source.number}"))

    def check() -> None:
        before, after = reread()
        numbers = {i.number for i in found.to_move}
        left = sorted(i.number for i in (before.items if before else ()) if i.number in numbers)
        missing = sorted(numbers - {i.number for i in (after.items if after else ())})
        if left or missing:
            raise VerificationError(f"not moved: {', '.join(f'#{n}' for n in left + missing)}",
                                    hint="rerun; items already moved are left alone")

    plan.verify(f"every moved item is on {target.title!r}", check)
    return plan
