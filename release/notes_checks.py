"""Fragment checks shared by the notes step and the preflight table."""

from __future__ import annotations

from collections.abc import Sequence

from release.checks import CheckResult
from release.config import Config
from release.errors import PreconditionError
from release.fragments import BadFragment, Fragment, Towncrier, fragment_names, validate
from release.pulls import pulls_in_range
from release.revision_range import resolve
from release.services.git import GitService
from release.version import ReleaseVersion

AREA = "fragments"


def range_numbers(git: GitService, config: Config, version: ReleaseVersion) -> tuple[str, set[int]]:
    """The release range and every PR number it merged, backported originals included."""
    span = resolve(git, config, version)
    numbers: set[int] = set()
    for pull in pulls_in_range(git, span.start, span.end):
        numbers.add(pull.number)
        if pull.original is not None:
            numbers.add(pull.original)
    return str(span), numbers


def outside_range(fragments: Sequence[Fragment], numbers: set[int]) -> list[Fragment]:
    return [fragment for fragment in fragments if fragment.pr not in numbers]


def bad_fragments_error(tc: Towncrier, bad: Sequence[BadFragment]) -> PreconditionError:
    return PreconditionError(
        f"{len(bad)} misnamed file(s) in {tc.directory}: "
        + ", ".join(map(str, bad)),
        hint=f"rename them to <PR>.<type>{tc.extension} (types: {', '.join(tc.types)}) or delete them",
    )


def fragment_results(git: GitService, config: Config, tc: Towncrier,
                     version: ReleaseVersion) -> list[CheckResult]:
    good, bad = validate(tc, fragment_names(tc))
    results = []
    if bad:
        error = bad_fragments_error(tc, bad)
        results.append(CheckResult.fail(AREA, "fragment names", error.message, error.hint or ""))
    else:
        results.append(CheckResult.ok(AREA, "fragment names",
                                      f"{len(good)} fragments in {tc.directory}, all named right"))
    try:
        span, numbers = range_numbers(git, config, version)
    except PreconditionError as exc:
        results.append(CheckResult.warn(AREA, "fragment PRs", f"cannot tell the range: {exc.message}",
                                        exc.hint or ""))
        return results
    stray = outside_range(good, numbers)
    if stray:
        results.append(CheckResult.warn(
            AREA, "fragment PRs",
            f"not merged in {span}: " + ", ".join(f"{f.name} (#{f.pr})" for f in stray),
            "check the PR numbers in the names; a fragment for an unmerged PR stays out"))
    else:
        results.append(CheckResult.ok(AREA, "fragment PRs", f"every fragment's PR is in {span}"))
    return results
