"""Fragment checks shared by the notes step and the preflight table."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from release.changelog.pulls import credited_numbers, pulls_in_range
from release.checks.result import CheckResult, range_unknown
from release.errors import PreconditionError
from release.notes.fragments import (
    BadFragment,
    Fragment,
    Towncrier,
    fragment_names,
    missed_fragments,
    unreadable_fragments,
    validate,
)
from release.repo.revision_range import RevisionRange
from release.services.git import GitService

AREA = "fragments"


def range_numbers(git: GitService, span: RevisionRange) -> set[int]:
    """Every PR number the range merged, backported originals included."""
    return credited_numbers(pulls_in_range(git, span.start, span.end))


def outside_range(fragments: Sequence[Fragment], numbers: set[int]) -> list[Fragment]:
    return [fragment for fragment in fragments if fragment.pr not in numbers]


def bad_fragments_error(tc: Towncrier, bad: Sequence[BadFragment]) -> PreconditionError:
    return PreconditionError(
        f"{len(bad)} misnamed file(s) in {tc.directory}: "
        + ", ".join(map(str, bad)),
        hint=f"rename them to <PR>.<type>{tc.extension} (types: {', '.join(tc.types)}) or delete them",
    )


def fragment_results(git: GitService, tc: Towncrier,
                     span: Callable[[], RevisionRange]) -> list[CheckResult]:
    """The names row, and the PRs row against the release range (`span()` resolves it)."""
    good, bad = validate(tc, fragment_names(tc))
    results = []
    if bad:
        error = bad_fragments_error(tc, bad)
        results.append(CheckResult.fail(AREA, "fragment names", error.message, error.hint or ""))
    elif problem := (missed_fragments(tc, git.tracked_files(), good, feature=False)
                     or unreadable_fragments(tc, good)):
        results.append(CheckResult.fail(AREA, "fragment names", problem.message, problem.hint or ""))
    else:
        results.append(CheckResult.ok(AREA, "fragment names",
                                      f"{len(good)} fragments in {tc.directory}, all named right"))
    try:
        revisions = span()
    except PreconditionError as exc:
        results.append(range_unknown(AREA, "fragment PRs", exc))
        return results
    stray = outside_range(good, range_numbers(git, revisions))
    if stray:
        results.append(CheckResult.warn(
            AREA, "fragment PRs",
            f"not merged in {revisions}: " + ", ".join(f"{f.name} (#{f.pr})" for f in stray),
            "check the PR numbers in the names; a fragment for an unmerged PR stays out"))
    else:
        results.append(CheckResult.ok(AREA, "fragment PRs", f"every fragment's PR is in {revisions}"))
    return results

