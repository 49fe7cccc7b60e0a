"""Why each pull request is in a changelog or left out, and where that differs from NumPy's
`tools/changelog.py`.

NumPy's tool lists every `Merge pull request #N` / `Auto merge of #N` merge anywhere in the range
and every one-parent first-parent commit whose subject ends `(#N)`, then a person edits the file.
So a difference is one of: a two-parent commit with a squash subject (the tool misses it), a
fork-internal merge, the release's own pull request, a number left out or added on request, a
number GitHub does not know or merged elsewhere, a backport listed as its original.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from release.changelog.pulls import PullRef, Skipped

LISTED, LEFT_OUT = "listed", "left out"


@dataclass(frozen=True)
class Decision:
    """One number's fate: listed or left out, by which rule, from which commit."""

    number: int
    outcome: str  # LISTED or LEFT_OUT
    rule: str  # a short name: merge, squash, two-parent-squash, fork-internal, release-pr, ...
    commit: str  # full id ("" when no commit of the range names it)
    subject: str
    why: str
    numpy: str = ""  # what NumPy's tool does instead; "" when it does the same

    @property
    def differs(self) -> bool:
        return bool(self.numpy)


def listed(pull: PullRef, subject: str, end: str) -> Decision:
    """A pull request the git rules found and nothing removed."""
    if pull.kind == "squash" and pull.two_parents:
        return Decision(pull.number, LISTED, "two-parent-squash", pull.commit, subject,
                        f"a two-parent commit on the first-parent line of {end} whose subject ends "
                        f"(#{pull.number})",
                        "misses it (it reads `(#N)` subjects only from one-parent commits)")
    why = {"merge": f"a `Merge pull request #{pull.number}` merge in the range",
           "homu": f"an `Auto merge of #{pull.number}` merge in the range",
           "squash": f"a commit on the first-parent line of {end} whose subject ends (#{pull.number})"}
    return Decision(pull.number, LISTED, pull.kind, pull.commit, subject, why[pull.kind])


def fork_internal(skip: Skipped, end: str) -> Decision:
    owner = skip.subject.partition(" from ")[2].partition("/")[0] or "someone"
    return Decision(skip.number, LEFT_OUT, "fork-internal", skip.commit, skip.subject,
                    f"a merge off the first-parent line of {end} and of every branch and tag: it "
                    f"merged {owner}'s own pull request #{skip.number} into {owner}'s branch",
                    "lists it (NumPy removes it by hand)")


def release_pr(pull: PullRef, subject: str, prefix: str) -> Decision:
    return Decision(pull.number, LEFT_OUT, "release-pr", pull.commit, subject,
                    f"the release's own pull request (its title starts {prefix!r}); "
                    f"--include {pull.number} keeps it",
                    "lists it (NumPy removes it by hand)")


def excluded(pull: PullRef, subject: str) -> Decision:
    return Decision(pull.number, LEFT_OUT, "exclude", pull.commit, subject,
                    f"--exclude {pull.number}", "lists it")


def included(number: int, commit: str, subject: str, how: str) -> Decision:
    """`--include N`; `how`: "release-pr" (kept against that rule), "listed" (kept whatever
    GitHub says of its merge commit), "fork-internal" (a merge into someone's branch), "before"
    (a commit before the range names it), "unnamed"."""
    if how == "fork-internal":
        return Decision(number, LISTED, "include", commit, subject,
                        f"--include {number} keeps it though it merged into someone's own branch",
                        "lists it too")
    if how in ("release-pr", "listed"):
        against = "the release-PR rule" if how == "release-pr" else "where GitHub merged it"
        return Decision(number, LISTED, "include", commit, subject,
                        f"--include {number} keeps it whatever {against} says",
                        "lists it too" if how == "release-pr" else "")
    where = "found in the history before the range" if how == "before" else "named by no commit"
    return Decision(number, LISTED, "include", commit, subject,
                    f"--include {number}: {where}", "misses it (it reads only the range)")


def backport(pull: PullRef, original: int, subject: str) -> Decision:
    return Decision(pull.number, LEFT_OUT, "backport", pull.commit, subject,
                    f"--backports: listed as #{original}, the pull request it backports",
                    f"lists #{pull.number}, not #{original}")


def credited_earlier(pull: PullRef, subject: str) -> Decision:
    return Decision(pull.number, LEFT_OUT, "credited-earlier", pull.commit, subject,
                    "--backports: already credited by an earlier release of the series", "lists it")


def not_on_github(pull: PullRef, subject: str, repo: str) -> Decision:
    return Decision(pull.number, LEFT_OUT, "not-a-pull-request", pull.commit, subject,
                    f"GitHub has no pull request #{pull.number} in {repo}",
                    "stops with GitHub's 404 error")


def merged_elsewhere(pull: PullRef, subject: str, repo: str, merge_commit: str) -> Decision:
    return Decision(pull.number, LEFT_OUT, "merged-elsewhere", pull.commit, subject,
                    f"GitHub's merge commit for {repo}#{pull.number} ({merge_commit[:10]}) is not "
                    "in the range", "lists it")


def report(decisions: Sequence[Decision], span: str, listed_count: int) -> str:
    """The differences from NumPy's tool first, each with its commit and rule, then a count of
    the rest by rule."""
    final = list(by_number(decisions).values())
    lines = [f"changelog for {span}: {listed_count} pull requests listed"]
    differ = sorted((d for d in final if d.differs), key=lambda d: d.number)
    if differ:
        lines.append(f"{len(differ)} where this differs from NumPy's tools/changelog.py:")
    else:
        lines.append("NumPy's tools/changelog.py would list the same pull requests")
    for decision in differ:
        commit = decision.commit[:10] if decision.commit else "-"
        number = f"#{decision.number}"
        lines.append(f"  {number:<7}{decision.outcome:<9}{commit:<10}  {decision.subject}")
        lines.append(f"          rule {decision.rule}: {decision.why}; NumPy's tool {decision.numpy}")
    same = [d for d in final if not d.differs]
    if same:
        counts = Counter(d.rule for d in same)
        by_rule = ", ".join(f"{rule} {count}" for rule, count in sorted(counts.items()))
        lines.append(f"the other {len(same)}: the same in both ({by_rule})")
    return "\n".join(lines) + "\n"


def by_number(decisions: Iterable[Decision]) -> dict[int, Decision]:
    """The deciding word on each number: a later decision (a selection) overrides discovery."""
    found: dict[int, Decision] = {}
    for decision in decisions:
        found[decision.number] = decision
    return found


def against_published(ours_only: Iterable[int], theirs_only: Iterable[int],
                      decisions: Mapping[int, Decision]) -> list[str]:
    """Each number only one of two changelogs lists, explained: NumPy's tool missed it, a rule
    here left it out, or a person edited the published file."""
    lines = []
    for number in sorted(ours_only):
        decision = decisions.get(number)
        if decision is not None and decision.differs:
            lines.append(f"#{number}: NumPy's tool missed it ({decision.rule}, commit "
                         f"{decision.commit[:10]}: {decision.why})")
        else:
            lines.append(f"#{number}: NumPy's tool lists it too; removed by hand from the published "
                         f"changelog (changelog --exclude {number})")
    for number in sorted(theirs_only):
        decision = decisions.get(number)
        if decision is not None and decision.outcome == LEFT_OUT:
            lines.append(f"#{number}: left out here ({decision.rule}, commit {decision.commit[:10]}: "
                         f"{decision.why}); the published changelog kept it (changelog --include "
                         f"{number})")
        else:
            lines.append(f"#{number}: no commit of the range names it; added by hand to the "
                         f"published changelog (changelog --include {number})")
    return lines
