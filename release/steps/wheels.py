"""Build the release's wheels with the release workflow, or check files built elsewhere.

Without a mode it only shows the expected files: starting the workflow is a remote action and
needs `--dispatch`. `--run-id` follows a run that already exists; `--dist` and `--index-url`
check what a directory or a package index holds against the same matrix. A run's files are
checked from its artifact list; only what a later step needs is downloaded: every file with
`--dest DIR` (a local copy, for `upload`), else the sdist for the GitHub release when the run
uploads (testpypi, pypi), else nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from release.context import Context
from release.errors import PreconditionError, ReleaseError, UsageError
from release.journal import journal_path
from release.plan import LOCAL, READ, Call, Plan, Touches
from release.steps import Rechecks, Step
from release.steps.common import add_json_option, add_version, write_json
from release.version import ReleaseVersion
from release.wheels import dispatched
from release.wheels.dist_dir import list_dir
from release.wheels.file_set import FileSetReport, compare, index_report, is_dist_file
from release.wheels.matrix import Matrix, matrix_for
from release.wheels.metadata import require_matching_metadata

if TYPE_CHECKING:
    from release.services.github_actions import GitHubActions
    from release.wheels.run import Followed


def recheck(rechecks: Rechecks, argv: tuple[str, ...]) -> str | None:
    """A resumed rehearsal's look: a `--dispatch ... --dest DIR` run left every expected file in
    DIR."""
    if "--dest" not in argv:
        return None
    dest = Path(argv[argv.index("--dest") + 1])
    version = ReleaseVersion.parse(argv[1])
    wanted = [item.filename for item in matrix_for(rechecks.config, version).files(version)]
    missing = [name for name in wanted if not (dest / name).is_file()]
    return f"{dest} lacks {len(missing)} of {len(wanted)} files" if missing else None


STEP = Step(name="wheels", order=80, journaled=True, read_only=False,
            summary="Build wheels with the release workflow; verify the files",
            status=None, resume=recheck)


@dataclass(frozen=True)
class WheelsOptions:
    """The options argparse parsed for this step."""

    dest: Path | None
    dispatch: bool
    environment: str
    from_dir: Path | None
    index_url: str | None
    json: bool
    ref: str | None
    run_id: int | None
    workflow: str | None
    workflow_repo: str | None
    poll_interval: float
    timeout: float


ENVIRONMENTS = ("none", "testpypi", "pypi")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    add_json_option(parser, "the file check (the matrix, --dist or --index-url)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dispatch", action="store_true",
                      help="start the release workflow (a remote action), follow the run, "
                           "download and check its files")
    mode.add_argument("--run-id", type=int, metavar="ID",
                      help="follow an existing run of the workflow, download and check its files")
    mode.add_argument("--dist", "--from-dir", dest="from_dir", type=Path, metavar="DIR",
                      help="check the files in a local directory of distributions (--from-dir: "
                           "the earlier spelling, still accepted)")
    mode.add_argument("--index-url", metavar="URL",
                      help="check the files a package index holds (its root or simple API URL)")
    parser.add_argument("--environment", choices=ENVIRONMENTS, default="none",
                        help="the workflow's upload environment (default none: build only)")
    parser.add_argument("--ref", help="branch or tag of the workflow repository to run "
                                      "(default: workflow_ref, else the maintenance branch)")
    parser.add_argument("--workflow-repo", help="owner/name (default: [tool.release.wheels])")
    parser.add_argument("--workflow", help="workflow file name (default: [tool.release.wheels])")
    parser.add_argument("--dest", type=Path, metavar="DIR",
                        help="download every wheel and the sdist into DIR (for `upload`, or a "
                             "local copy); without it the run is checked from its artifact list "
                             "and only the sdist is downloaded, into dist/VERSION, when the "
                             "environment uploads (testpypi, pypi)")
    parser.add_argument("--poll-interval", type=float, default=15.0, metavar="SECONDS",
                        help="first wait between looks at the run (backs off to 120 s)")
    parser.add_argument("--timeout", type=float, default=180.0, metavar="MINUTES",
                        help="give up following the run after this long (default 180)")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; releases have wheels",
                         hint="give the release version, e.g. 2.4.0 or 2.4.0rc1")
    matrix = matrix_for(ctx.config, version)
    opts = ctx.typed(WheelsOptions)
    if opts.json and (opts.dispatch or opts.run_id):
        raise UsageError("--json is for the file check, not for following a run",
                         hint="drop --json, or check the files with --dist DIR or --index-url URL")
    if opts.from_dir:
        directory = opts.from_dir.resolve()
        expected = matrix.filenames(str(version))
        result = compare(str(directory), expected, list_dir(directory), matrix.distribution,
                         str(version), labels=matrix.platform_labels(str(version)))
        if result.ok:
            require_matching_metadata([directory / name for name in expected],
                                      matrix.distribution, str(version), str(directory))
        return report(ctx, result)
    if ctx.typed(WheelsOptions).index_url:
        return check_index(ctx, matrix, version, str(ctx.typed(WheelsOptions).index_url))
    if ctx.typed(WheelsOptions).dispatch or ctx.typed(WheelsOptions).run_id:
        return build(ctx, matrix, version)
    return show(ctx, matrix, version)


def report(ctx: Context, result: FileSetReport) -> int:
    if ctx.typed(WheelsOptions).json:
        write_json(ctx, "wheels", {
            "where": result.where, "complete": result.ok, "expected": list(result.expected),
            "missing": [{"file": name, "what": result.labels.get(name, "")} for name in result.missing],
            "unexpected": list(result.unexpected), "wrong_version": list(result.wrong_version),
            "wrong_project": list(result.wrong_project), "ignored": list(result.ignored)})
        return 0 if result.ok else 1
    for line in result.lines():
        print(line, file=ctx.out)
    result.raise_for_problems("the report above names every file; rebuild or remove them")
    return 0


def check_index(ctx: Context, matrix: Matrix, version: ReleaseVersion, url: str) -> int:
    return report(ctx, index_report(matrix, version, ctx.index(url)))


def show(ctx: Context, matrix: Matrix, version: ReleaseVersion) -> int:
    spec = WorkflowSpec.from_context(ctx, version)
    if ctx.typed(WheelsOptions).json:
        write_json(ctx, "wheels", {
            "where": "matrix", "distribution": matrix.distribution, "release": str(version),
            "expected": [item.filename for item in matrix.files(str(version))]})
        return 0
    print(f"{matrix.distribution} {version}: {matrix.describe(str(version))}", file=ctx.out)
    for item in matrix.files(str(version)):
        print(f"  {item.filename}", file=ctx.out)
    ctx.say(f"read-only: nothing dispatched. `--dispatch` runs {spec.workflow} in "
            f"{spec.repo} on {spec.ref} (environment {spec.environment}); `--run-id ID` follows "
            "a run; `--dist DIR` / `--index-url URL` check files")
    return 0


@dataclass(frozen=True)
class WorkflowSpec:
    repo: str
    workflow: str
    ref: str
    environment: str
    dest: Path
    poll_interval: float
    timeout: float

    @classmethod
    def from_context(cls, ctx: Context, version: ReleaseVersion) -> WorkflowSpec:
        wheels = ctx.config.wheels
        ref = ctx.typed(WheelsOptions).ref or wheels.workflow_ref or ctx.config.maintenance_branch
        dest = ctx.typed(WheelsOptions).dest
        return cls(
            repo=ctx.typed(WheelsOptions).workflow_repo or wheels.workflow_repo,
            workflow=ctx.typed(WheelsOptions).workflow or wheels.workflow,
            ref=version.format(ref),
            environment=ctx.typed(WheelsOptions).environment,
            dest=Path(dest).resolve() if dest else ctx.repo / "dist" / str(version),
            poll_interval=_wait(ctx.typed(WheelsOptions).poll_interval, "poll_interval", 15.0,
                                "seconds", zero=True),
            timeout=_wait(ctx.typed(WheelsOptions).timeout, "timeout", 180.0, "minutes", zero=False),
        )


def _wait(value: float, name: str, default: float, unit: str, *, zero: bool) -> float:
    """A wait given on the command line, checked before anything leaves the machine (a bad one
    found after the dispatch would leave a build running that nobody follows)."""
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
        flag = "--" + name.replace("_", "-")
        kind = "a number of" if zero else "a positive number of"
        raise UsageError(f"{flag} {value:g} is not {kind} {unit}",
                         hint=f"e.g. {flag} {default:g}; nothing was dispatched")
    return value


def downloads(ctx: Context, spec: WorkflowSpec) -> str:
    """What a run's check downloads: "all" (a local copy asked for with --dest), "sdist" (the
    GitHub release's asset, when the run uploads) or "none" (a test build)."""
    if ctx.typed(WheelsOptions).dest is not None:
        return "all"
    return "none" if spec.environment == "none" else "sdist"


def build(ctx: Context, matrix: Matrix, version: ReleaseVersion) -> int:
    from release.wheels.run import Followed, follow

    spec = WorkflowSpec.from_context(ctx, version)
    copy = downloads(ctx, spec)
    service = ctx.github(spec.repo)
    actions = ctx.actions(service)
    dispatch = bool(ctx.typed(WheelsOptions).dispatch)
    if dispatch and not ctx.dry_run:
        service.require_token(f"dispatch {spec.workflow} in {spec.repo}")
    if dispatch and not actions.workflow_exists(spec.workflow):
        raise PreconditionError(f"{spec.repo} has no workflow {spec.workflow}",
                                hint="set workflow_repo / workflow in [tool.release.wheels]")
    record_path = _record_path(ctx, version)
    wanted = dispatched.Dispatched(spec.repo, spec.workflow, spec.ref, spec.environment)
    earlier = dispatched.load(record_path) if record_path else None
    if earlier is not None and not earlier.same_build(wanted):
        earlier = None
    state = Followed()
    run_id = ctx.typed(WheelsOptions).run_id
    if not dispatch:
        assert run_id is not None  # --run-id, or --dispatch
        state.run = actions.run(run_id)
    elif earlier is not None:
        state.run = dispatched.started_run(actions, earlier)
    if copy != "none" and not (dispatch and earlier is not None and state.run is not None
                               and earlier.run_id == state.run.id
                               and earlier.downloaded_to == str(spec.dest)):
        check_dest(spec.dest)  # a download over the same run's files is the one exception

    plan = Plan(f"{spec.workflow} in {spec.repo} for {matrix.distribution} {version}")
    if dispatch and state.run is None:
        _add_dispatch(plan, spec, actions, state, record_path, wanted)
        which = "the new run"
    else:
        assert state.run is not None
        which = f"run {state.run.id}"
        if dispatch:
            plan.notes.append(f"run {state.run.id} ({state.run.html_url}) is the one an earlier "
                              f"`wheels --dispatch` started for {version}: it is followed, "
                              f"nothing is dispatched again (to build afresh, cancel it first)")
    plan.add(Call(f"follow {which} until it completes or waits for approval (first look after "
                  f"{spec.poll_interval:g} s, backing off; give up after {spec.timeout:g} min)",
                  lambda: follow(actions, state, ctx.err, spec.poll_interval, spec.timeout),
                  effect=READ))
    expected = matrix.filenames(str(version))
    ignored: list[str] = []

    def listed() -> None:
        ignored.extend(_check_listed(actions, state, matrix, version))

    from_list = (f"checked against the {len(expected)} files of the matrix from the run's "
                 "artifact list (names, sizes; one request per 100 artifacts)")
    sdist = next((item.filename for item in matrix.files(str(version)) if item.is_sdist), None)
    if copy == "all":
        plan.add(_Download(f"download its artifacts' wheels and sdist into {spec.dest}, once "
                           f"{from_list} (Pyodide wheels are never uploaded and are left out)",
                           lambda: _download(actions, state, spec.dest, record_path, dispatch,
                                             listed), spec.dest))
        plan.verify(f"{spec.dest} holds exactly the {len(expected)} files of the matrix",
                    lambda: _check_download(spec.dest, expected, matrix.distribution, str(version),
                                            _run_url(state)))
    elif copy == "sdist" and sdist is not None:
        plan.add(_Download(f"download the sdist {sdist} into {spec.dest} for the GitHub release, "
                           f"once {from_list} (`--dest DIR` downloads every file)",
                           lambda: _download(actions, state, spec.dest, record_path, dispatch,
                                             listed, sdist_only=True), spec.dest))
        plan.verify(f"{spec.dest} holds the sdist {sdist} of {matrix.distribution} {version}",
                    lambda: _check_sdist(spec.dest, sdist, matrix.distribution, str(version),
                                         _run_url(state)))
    else:
        plan.verify(f"the run's artifacts hold the {len(expected)} files of the matrix, read "
                    "from its artifact list (names, sizes; one request per 100 artifacts); "
                    "nothing is downloaded (`--dest DIR` for a local copy)", listed)
    plan.notes += environment_notes(ctx, spec, version)
    ctx.execute(plan)
    if not ctx.dry_run:
        _say_done(ctx, state, spec, copy, matrix.describe(str(version)), ignored)
        if state.run is not None and state.run.waiting:
            print(f"run {state.run.id} is waiting for approval of the {spec.environment} "
                  f"environment: the files check out; approve the deployment at "
                  f"{state.run.html_url} to upload them", file=ctx.out)
    return 0


def _check_listed(actions: GitHubActions, state: Followed, matrix: Matrix,
                  version: ReleaseVersion) -> list[str]:
    """The wheel set from the run's artifact list; returns the artifacts never uploaded."""
    from release.wheels.run import check_listed

    result = check_listed(actions, state, matrix.files(str(version)),
                          matrix.platform_labels(str(version)), matrix.distribution, str(version))
    result.raise_for_problems(f"compare with the run's artifacts: {_run_url(state)}")
    return list(result.ignored)


def _say_done(ctx: Context, state: Followed, spec: WorkflowSpec, copy: str, matrix: str,
              ignored: list[str]) -> None:
    run = _run_url(state)
    how = "from its artifact list" if state.listed else "by downloading them to a temporary directory"
    if copy == "all":
        print(f"run {run}: {len(state.written)} files in {spec.dest}, exactly the matrix "
              f"({matrix})", file=ctx.out)
    elif copy == "sdist":
        print(f"run {run}: exactly the matrix ({matrix}), checked {how}; the sdist is in "
              f"{spec.dest} for the GitHub release (`--dest DIR` downloads every file)",
              file=ctx.out)
    else:
        kept = "nothing downloaded" if state.listed else "nothing kept"
        print(f"run {run}: exactly the matrix ({matrix}), checked {how}; {kept} (`--dest DIR` "
              "for a local copy)", file=ctx.out)
    left_out = state.left_out or ignored
    if left_out:
        print(f"left out (never uploaded): {', '.join(left_out)}", file=ctx.out)
    if state.unchanged:
        ctx.say(f"GitHub answered {state.unchanged} of the looks at the run with 304 (unchanged; "
                "not counted against the rate limit)")


def _record_path(ctx: Context, version: ReleaseVersion) -> Path | None:
    """Where the dispatched run is recorded (None when the project is no git repository)."""
    try:
        return journal_path(ctx.git, version, "wheels-run")
    except ReleaseError:
        return None


def _save(path: Path | None, record: dispatched.Dispatched) -> None:
    if path is not None:
        dispatched.save(path, record)


def _add_dispatch(plan: Plan, spec: WorkflowSpec, actions: GitHubActions, state: Followed,
                  record_path: Path | None, wanted: dispatched.Dispatched) -> None:
    """The dispatch, recorded before (with the runs there were) and after (with its run)."""
    inputs = {"environment": spec.environment}

    def start() -> None:
        before = actions.dispatch_runs(spec.workflow, spec.ref)
        pending = dataclasses.replace(wanted, before=sorted(before))
        _save(record_path, pending)
        state.run = actions.dispatch(spec.workflow, spec.ref, inputs, before=before)
        _save(record_path, dispatched.with_run(pending, state.run))

    plan.add(Call(f"dispatch {spec.workflow} in {spec.repo} on {spec.ref} with inputs "
                  f"{inputs} (POST /repos/{spec.repo}/actions/workflows/{spec.workflow}/"
                  "dispatches)", start,
                  undo=f"cancel the run on https://github.com/{spec.repo}/actions "
                       f"(gh run cancel RUN_ID -R {spec.repo})"))


@dataclass(frozen=True)
class _Download:
    """The run's files into `dest` (a directory the run may create): put back on failure."""

    summary: str
    func: Callable[[], object]
    dest: Path
    effect = LOCAL

    def describe(self) -> str:
        return self.summary

    def touches(self) -> Touches:
        return Touches(files=(self.dest,))

    def apply(self) -> None:
        self.func()


def _download(actions: GitHubActions, state: Followed, dest: Path, record_path: Path | None,
              dispatch: bool, listed: Callable[[], None], *, sdist_only: bool = False) -> None:
    """The wheel set is checked from the artifact list before anything is downloaded."""
    from release.wheels.run import download

    listed()
    download(actions, state, dest, sdist_only=sdist_only)
    earlier = dispatched.load(record_path) if record_path else None
    if dispatch and earlier is not None and state.run is not None and earlier.run_id == state.run.id:
        _save(record_path, dataclasses.replace(earlier, downloaded_to=str(dest)))


def _check_sdist(dest: Path, sdist: str, distribution: str, version: str, run_url: str) -> None:
    from release.wheels.run import check_sdist

    check_sdist(dest, sdist, distribution, version, run_url)


def _check_download(dest: Path, expected: list[str], distribution: str, version: str,
                    run_url: str) -> None:
    compare(str(dest), expected, list_dir(dest), distribution, version).raise_for_problems(
        f"compare with the run's artifacts: {run_url}")
    require_matching_metadata([dest / name for name in expected], distribution, version, str(dest))


def _run_url(state: Followed) -> str:
    return state.run.html_url if state.run is not None else "(no run)"


def check_dest(dest: Path) -> None:
    if dest.is_dir() and any(is_dist_file(name) for name in list_dir(dest)):
        raise PreconditionError(
            f"{dest} already holds wheels or an sdist; a download would mix two builds",
            hint=f"check them with --dist {dest}, or pass another --dest",
        )


def environment_notes(ctx: Context, spec: WorkflowSpec, version: ReleaseVersion) -> list[str]:
    notes = []
    if spec.environment != "none":
        notes.append(f"environment {spec.environment}: the workflow uploads once the "
                     f"{spec.environment} environment is approved on {spec.repo}'s deployments "
                     "page; check the files verified here before approving")
    elif spec.repo == "numpy/numpy-release" and (version.major, version.minor) >= (2, 5):
        notes.append("numpy-release 2.5.x and main also upload a `none` dispatch to the "
                     "scientific-python nightly channel")
    return notes

