"""Every preflight check for a release in one table: versions, branch and tree, C-API,
fragments, contributor identities, changelog and notes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

from release.checks.capi_check import capi_results
from release.checks.notes import fragment_results
from release.checks.preflight import file_results, mailmap_summary, tree_results, version_results
from release.checks.result import CheckResult, Status, for_table, range_unknown, table, worst
from release.context import Context
from release.errors import PreconditionError, ReleaseError
from release.identities.propose import propose
from release.notes.fragments import load_towncrier
from release.output import invocation
from release.repo.files import RepoFiles
from release.repo.revision_range import RevisionRange, resolve
from release.steps import Step
from release.steps.common import COULD_NOT_LOOK, add_json_option, add_version, write_json
from release.version import ReleaseVersion

STEP = Step(name="check", order=10, journaled=False, read_only=True,
            summary="Run every preflight check for a release and show one table",
            status=None, resume=None)


@dataclass(frozen=True)
class CheckOptions:
    """The options argparse parsed for this step."""

    json: bool
    offline: bool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    parser.add_argument("--offline", action="store_true",
                        help="do not ask GitHub about contributor identities")
    add_json_option(parser, "every check")


EXIT_STATUS = ("0  no check failed (warnings allowed)",
               "1  a check failed",
               "4  a check could not run (a file or a place it needed was missing), none failed",
               "2  bad input (a usage error)")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise ReleaseError(f"{version} is a development version; check a release",
                           hint=f"nox -s check -- {version.base}")
    results: list[CheckResult] = []
    results += version_results(ctx, version)
    results += tree_results(ctx, version)
    work_tree = RepoFiles(ctx.git, ctx.repo, None)
    results += _guarded("C-API", lambda: capi_results(work_tree, ctx.config, version))
    span = cache(partial(resolve, ctx.git, ctx.config, version))  # one lookup for both areas
    if ctx.config.fragments_dir:
        results += _guarded("fragments", lambda: fragment_results(
            ctx.git, load_towncrier(ctx.repo, ctx.config.pyproject), span))
    else:
        results.append(CheckResult.ok("fragments", "fragments", "none to check: fragments_dir = \"\" "
                                      "(notes written by hand)"))
    identities: list[CheckResult] = []
    results += _guarded("mailmap", lambda: [_mailmap(ctx, version, span, identities)])
    results += file_results(ctx, version)
    results += _guarded("release repo", lambda: _release_repo(ctx, version))
    # The identities row counts problems; the findings are the problems themselves. The doctor's
    # rows are the doctor step's to report: they describe this machine and token, not the release.
    ctx.note(*(result for result in results if not (identities and result.area == "mailmap")),
             *identities)
    results += _guarded("doctor", lambda: _facilities(ctx))
    fails = [r for r in results if r.status is Status.FAIL]
    could_not = [r for r in fails if r.name == "could not run"]
    code = 1 if len(fails) > len(could_not) else COULD_NOT_LOOK if could_not else 0
    if ctx.typed(CheckOptions).json:
        write_json(ctx, "check", {
            "project": ctx.config.project, "release": str(version), "worst": worst(results).value,
            "exit_code": code,
            "checks": [r.as_dict() for r in results]})
    else:
        ctx.out.write(table(for_table(results), f"Preflight for {ctx.config.project} {version}: "
                                     f"{worst(results).value}"))
    return code


def _guarded(area: str, compute: Callable[[], list[CheckResult]]) -> list[CheckResult]:
    """A check that cannot run (a file missing, a configuration unreadable) is a failed row, not
    a crash; a range that cannot be told is the rows' own warning (`range_unknown`)."""
    try:
        return compute()
    except ReleaseError as exc:
        return [CheckResult.fail(area, "could not run", exc.message, exc.hint or "")]


def _mailmap(ctx: Context, version: ReleaseVersion, span: Callable[[], RevisionRange],
             identities: list[CheckResult]) -> CheckResult:
    """The identities row; each problem's own result goes into `identities`."""
    try:
        revisions = span()
    except PreconditionError as exc:
        return range_unknown("mailmap", "identities", exc)
    found = propose(ctx.git, ctx.repo, ctx.config, revisions, say=ctx.say,
                    github=None if ctx.typed(CheckOptions).offline else ctx.github)
    identities.extend(finding.result(ctx.config.mailmap) for finding in found.findings)
    return mailmap_summary(found.findings, version)


def _not_asking_github(ctx: Context) -> str:
    """Why check leaves GitHub alone ("" when it asks): --offline, or no token to ask with."""
    if ctx.typed(CheckOptions).offline:
        return "--offline"
    if not (ctx.env.get("GITHUB_TOKEN") or ctx.env.get("GH_TOKEN")):
        return "no GITHUB_TOKEN or GH_TOKEN"
    return ""


def _release_repo(ctx: Context, version: ReleaseVersion) -> list[CheckResult]:
    """The release repository's rows (`wheels-repo`, without the package index), read through the
    GitHub API; offline or without a token one row saying it was not looked at."""
    from release.assistants.wheels_repo import AREA
    from release.assistants.wheels_repo_read import collect

    why = _not_asking_github(ctx)
    if why:
        return [CheckResult.warn(AREA, "release repository", f"not looked at ({why})",
                                 invocation.command("wheels-repo", version))]
    return collect(ctx, version, index=False)


def _facilities(ctx: Context) -> list[CheckResult]:
    """doctor's rows: the token and access each step needs (not offline or without a token:
    `doctor` says what is missing), gpg, pandoc, the SMTP login, the index credentials."""
    from release.assistants.doctor_read import collect as doctor_rows

    why = _not_asking_github(ctx)
    return doctor_rows(ctx, probe_writes=False, offline=bool(why), why=why or "--offline")
