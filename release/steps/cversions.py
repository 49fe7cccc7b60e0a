"""Check the C-API version: meson.build, cversions.txt and numpyconfig.h against numpy_api.py."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from release.checks.capi_check import (
    capi_results,
    check_capi,
    load_capi_files,
    missing_cversions_line,
    no_capi,
)
from release.checks.preflight import require_series
from release.checks.result import Status, as_lines, failed
from release.context import Context
from release.errors import UsageError, VerificationError
from release.plan import Plan, WriteFile
from release.repo.files import RepoFiles
from release.repo.pyproject_file import read_version
from release.steps import Step
from release.steps.common import add_version
from release.version import ReleaseVersion

STEP = Step(name="cversions", order=30, journaled=True, read_only=False,
            summary="Check the C-API version and hash in the three places",
            status=None, resume=None)


@dataclass(frozen=True)
class CversionsOptions:
    """The options argparse parsed for this step."""

    version: ReleaseVersion | None
    fix: bool
    ref: str | None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser, optional=True)
    parser.add_argument("--ref", help="check the files at this commit instead of the work tree")
    parser.add_argument("--fix", action="store_true",
                        help="add the missing cversions.txt line (work tree only)")


def run(ctx: Context) -> int:
    ref = ctx.typed(CversionsOptions).ref
    if ctx.typed(CversionsOptions).fix and ref:
        raise UsageError("--fix writes the work tree; it cannot be combined with --ref",
                         hint="drop --ref, or check out the commit first")
    files = RepoFiles(ctx.git, ctx.repo, ref)
    version = release_version(ctx, files)
    if not ctx.config.cversions:
        ctx.say(f"C-API checks for {ctx.config.project} {version}: skipped")
        ctx.out.write(as_lines([no_capi(ctx.config)]))
        return 0
    capi = load_capi_files(files, ctx.config)
    results = check_capi(capi, version.major, version.minor, ctx.config.project)
    ctx.say(f"C-API checks for {ctx.config.project} {version} "
            f"({'at ' + ref if ref else 'work tree'}):")
    ctx.out.write(as_lines(results))
    ctx.note(*results)
    if not ctx.typed(CversionsOptions).fix:
        return 1 if failed(results) else 0
    addition = missing_cversions_line(capi, ctx.config.project, version.major, version.minor)
    if addition is None:
        ctx.say("--fix: cversions.txt needs no new line"
                + ("; the failures above need the edits their fix lines show" if failed(results) else ""))
        return 1 if failed(results) else 0
    text = capi.cversions + ("" if capi.cversions.endswith("\n") or not capi.cversions else "\n")
    plan = Plan(f"add the C-API version line to {capi.cversions_path}")
    plan.add(WriteFile(ctx.repo, capi.cversions_path, text + addition))
    plan.verify(f"{capi.cversions_path} matches meson.build and numpy_api.py",
                lambda: _verify(ctx, version))
    ctx.execute(plan)
    if ctx.dry_run:
        return 1 if failed(results) else 0
    after = capi_results(RepoFiles(ctx.git, ctx.repo, None), ctx.config, version)
    ctx.say("after the fix:")
    ctx.out.write(as_lines(after))
    return 1 if failed(after) else 0


def release_version(ctx: Context, files: RepoFiles) -> ReleaseVersion:
    """The version argument, else the pyproject version at --ref (or in the work tree, like the
    C-API files it is checked with)."""
    path = ctx.config.pyproject
    text = files.read(path)
    if ctx.typed(CversionsOptions).version:
        version = ctx.version()
        require_series(version, text, files.where(path))
        return version
    if text is None:
        raise UsageError(f"no version given and {path} is missing", hint="pass the version")
    return ReleaseVersion.parse(read_version(text, path))


def _verify(ctx: Context, version: ReleaseVersion) -> None:
    bad = [r for r in capi_results(RepoFiles(ctx.git, ctx.repo, None), ctx.config, version)
           if r.name == "cversions.txt hash" and r.status is not Status.PASS]
    if bad:
        raise VerificationError(f"cversions.txt still does not match: {bad[0].detail}",
                                hint=bad[0].fix)
