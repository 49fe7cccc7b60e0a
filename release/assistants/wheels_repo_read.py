"""Reading the release repository's branches (through the GitHub API, or a local checkout) and
the newest pins on the package index, for the release-repository rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from release.assistants.wheels_repo import (
    AREA,
    OPENBLAS,
    OPENBLAS_PATH,
    WORKFLOW_PATH,
    Branch,
    Expected,
    results,
)
from release.assistants.wheels_workflow import parse_pins, parse_workflow
from release.checks.result import CheckResult
from release.context import Context
from release.errors import UsageError
from release.services.github_files import file_texts
from release.services.pypi import PackageIndex
from release.version import ReleaseVersion
from release.wheels.file_set import name_and_version
from release.wheels.matrix import matrix_for

DEFAULT_INDEX = "https://pypi.org/simple/"
ENVIRONMENTS = ("none", "testpypi", "pypi")
Reader = Callable[[str, str], str | None]


@dataclass(frozen=True)
class Where:
    """Which branches of which repository, read how."""

    repo: str
    ref: str
    previous_ref: str | None
    checkout: Path | None
    index: str | None  # None: offline


@dataclass(frozen=True)
class WheelsRepoOptions:
    """The options the release repository's rows read (wheels-repo's; check has some of them)."""

    workflow_ref: str | None = None
    previous_ref: str | None = None
    checkout: Path | None = None
    offline: bool = False
    workflow_repo: str | None = None
    index_url: str | None = None


def where(ctx: Context, version: ReleaseVersion, *, index: bool = True) -> Where:
    """From the options; without `index` (or with --offline) the index is not asked."""
    wheels, opts = ctx.config.wheels, ctx.typed(WheelsRepoOptions)
    ref = version.format(opts.workflow_ref or wheels.workflow_ref or ctx.config.maintenance_branch)
    previous = opts.previous_ref
    if previous is None and version.minor > 0:
        previous = ctx.config.maintenance_branch.format(major=version.major, minor=version.minor - 1)
    offline = opts.offline or not index
    return Where(opts.workflow_repo or wheels.workflow_repo, ref, previous or None,
                 Path(opts.checkout).resolve() if opts.checkout else None,
                 None if offline else str(opts.index_url or DEFAULT_INDEX))


def collect(ctx: Context, version: ReleaseVersion, *, index: bool = True) -> list[CheckResult]:
    spot = where(ctx, version, index=index)
    read = _reader(ctx, spot)
    expected = Expected(version, version.tag(ctx.config.tag_format),
                        version.maintenance_branch(ctx.config.maintenance_branch), spot.repo,
                        matrix_for(ctx.config, version), ENVIRONMENTS)
    current = _branch(read, spot.ref)
    previous = _branch(read, spot.previous_ref) if spot.previous_ref else None
    if previous is not None and previous.workflow is None and previous.pins is None:
        previous = None
    newest = _newest(ctx.index(spot.index)) if spot.index else None
    rows = results(expected, current, previous, newest, _index_name(spot.index))
    if spot.previous_ref and previous is None:
        rows.append(CheckResult.warn(AREA, "previous branch", f"{spot.previous_ref} of {spot.repo} "
                                     "has no workflow to compare with", "give --previous-ref BRANCH"))
    return rows


def _branch(read: Reader, ref: str) -> Branch:
    text = read(ref, WORKFLOW_PATH)
    pins = read(ref, OPENBLAS_PATH)
    workflow = parse_workflow(text, f"{WORKFLOW_PATH} on {ref}") if text is not None else None
    return Branch(ref, workflow, parse_pins(pins) if pins is not None else None)


def _reader(ctx: Context, spot: Where) -> Reader:
    if spot.checkout is not None:
        return _checkout_reader(ctx, spot.checkout)
    service = ctx.github(spot.repo)
    refs = [ref for ref in (spot.ref, spot.previous_ref) if ref]
    texts = file_texts(service, [(ref, path) for ref in refs for path in (WORKFLOW_PATH, OPENBLAS_PATH)])
    return lambda ref, path: texts[(ref, path)] if (ref, path) in texts else service.file_text(path, ref)


def _checkout_reader(ctx: Context, path: Path) -> Reader:
    if not (path / ".git").exists() and not (path / "HEAD").is_file():
        raise UsageError(f"--checkout {path} is not a git checkout",
                         hint="clone the release repository, e.g. git clone https://github.com/"
                              "numpy/numpy-release")
    git = ctx.git_at(path)

    def read(ref: str, file: str) -> str | None:
        for candidate in (ref, f"origin/{ref}", f"upstream/{ref}"):
            if git.has_ref(f"{candidate}^{{commit}}"):
                return git.show_file(candidate, file)
        return None

    return read


def _newest(index: PackageIndex) -> dict[str, str]:
    """The newest final release of cibuildwheel and the OpenBLAS wheels on the index."""
    found = {}
    for project in ("cibuildwheel", *OPENBLAS):
        versions = [parsed[1] for name in index.files(project)
                    if (parsed := name_and_version(name)) is not None]
        finals = [v for v in versions if not v.is_prerelease]
        if finals:
            found[project] = str(max(finals))
    return found


def _index_name(index: str | None) -> str:
    return "the index" if index is None else index.rstrip("/").removesuffix("/simple")
