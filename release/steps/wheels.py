"""Build the release's wheels with the release workflow, or check files built elsewhere.

Without a mode it only shows the expected files: starting the workflow is a remote action and
needs `--dispatch`. `--run-id` follows a run that already exists; `--from-dir` and `--index-url`
check what a directory or a package index holds against the same matrix.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.version import Version

from release.context import Context
from release.errors import PreconditionError, UsageError
from release.plan import Call, Plan
from release.services.pypi import PackageIndex
from release.steps import Rechecks, Step
from release.steps.common import add_json_option, add_version, write_json
from release.version import ReleaseVersion
from release.wheels.dist_dir import list_dir
from release.wheels.file_set import FileSetReport, compare, is_dist_file, name_and_version
from release.wheels.matrix import Matrix, matrix_for

if TYPE_CHECKING:
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

ENVIRONMENTS = ("none", "testpypi", "pypi")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    add_json_option(parser, "the file check (the matrix, --from-dir or --index-url)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dispatch", action="store_true",
                      help="start the release workflow (a remote action), follow the run, "
                           "download and check its files")
    mode.add_argument("--run-id", type=int, metavar="ID",
                      help="follow an existing run of the workflow, download and check its files")
    mode.add_argument("--from-dir", type=Path, metavar="DIR", help="check the files in a local directory")
    mode.add_argument("--index-url", metavar="URL",
                      help="check the files a package index holds (its root or simple API URL)")
    parser.add_argument("--environment", choices=ENVIRONMENTS, default="none",
                        help="the workflow's upload environment (default none: build only)")
    parser.add_argument("--ref", help="branch or tag of the workflow repository to run "
                                      "(default: workflow_ref, else the maintenance branch)")
    parser.add_argument("--workflow-repo", help="owner/name (default: [tool.release.wheels])")
    parser.add_argument("--workflow", help="workflow file name (default: [tool.release.wheels])")
    parser.add_argument("--dest", type=Path, metavar="DIR",
                        help="where to download the files (default: dist/VERSION in the repo)")
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
    if ctx.option("json") and (ctx.option("dispatch") or ctx.option("run_id")):
        raise UsageError("--json is for the file check, not for following a run",
                         hint="drop --json, or check the files with --from-dir DIR or --index-url URL")
    if ctx.option("from_dir"):
        directory = Path(ctx.options["from_dir"]).resolve()
        return report(ctx, compare(str(directory), matrix.filenames(str(version)),
                                   list_dir(directory), matrix.distribution, str(version),
                                   labels=matrix.platform_labels(str(version))))
    if ctx.option("index_url"):
        return check_index(ctx, matrix, version, str(ctx.options["index_url"]))
    if ctx.option("dispatch") or ctx.option("run_id"):
        return build(ctx, matrix, version)
    return show(ctx, matrix, version)


def report(ctx: Context, result: FileSetReport) -> int:
    if ctx.option("json"):
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
    return report(ctx, index_report(matrix, version, url))


def index_report(matrix: Matrix, version: ReleaseVersion, url: str) -> FileSetReport:
    """What the index holds for this version (files of other versions are its history)."""
    index = PackageIndex(url)
    held = index.files(matrix.distribution)
    wanted = Version(str(version))
    mine = [name for name in held if _version_of(name) in (wanted, None)]
    return compare(index.project_url(matrix.distribution), matrix.filenames(str(version)), mine,
                   matrix.distribution, str(version), labels=matrix.platform_labels(str(version)))


def _version_of(name: str) -> Version | None:
    parsed = name_and_version(name)
    return parsed[1] if parsed else None


def show(ctx: Context, matrix: Matrix, version: ReleaseVersion) -> int:
    spec = WorkflowSpec.from_context(ctx, version)
    if ctx.option("json"):
        write_json(ctx, "wheels", {
            "where": "matrix", "distribution": matrix.distribution, "release": str(version),
            "expected": [item.filename for item in matrix.files(str(version))]})
        return 0
    print(f"{matrix.distribution} {version}: {matrix.describe(str(version))}", file=ctx.out)
    for item in matrix.files(str(version)):
        print(f"  {item.filename}", file=ctx.out)
    ctx.say(f"read-only: nothing dispatched. `--dispatch` runs {spec.workflow} in "
            f"{spec.repo} on {spec.ref} (environment {spec.environment}); `--run-id ID` follows "
            "a run; `--from-dir DIR` / `--index-url URL` check files")
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
        ref = ctx.option("ref") or wheels.workflow_ref or ctx.config.maintenance_branch
        dest = ctx.option("dest")
        return cls(
            repo=ctx.option("workflow_repo") or wheels.workflow_repo,
            workflow=ctx.option("workflow") or wheels.workflow,
            ref=version.format(ref),
            environment=ctx.option("environment", "none"),
            dest=Path(dest).resolve() if dest else ctx.repo / "dist" / str(version),
            poll_interval=float(ctx.option("poll_interval", 15.0)),
            timeout=float(ctx.option("timeout", 180.0)),
        )


def build(ctx: Context, matrix: Matrix, version: ReleaseVersion) -> int:
    from release.services.github_actions import GitHubActions
    from release.wheels.run import Followed, download, follow

    spec = WorkflowSpec.from_context(ctx, version)
    check_dest(spec.dest)
    service = ctx.github(spec.repo)
    actions = GitHubActions(service)
    dispatch = bool(ctx.option("dispatch"))
    if dispatch and not ctx.dry_run:
        service.require_token(f"dispatch {spec.workflow} in {spec.repo}")
    if dispatch and not actions.workflow_exists(spec.workflow):
        raise PreconditionError(f"{spec.repo} has no workflow {spec.workflow}",
                                hint="set workflow_repo / workflow in [tool.release.wheels]")
    state = Followed()
    if not dispatch:
        state.run = actions.run(int(ctx.options["run_id"]))

    plan = Plan(f"{spec.workflow} in {spec.repo} for {matrix.distribution} {version}")
    if dispatch:
        inputs = {"environment": spec.environment}
        plan.add(Call(f"dispatch {spec.workflow} in {spec.repo} on {spec.ref} with inputs "
                      f"{inputs} (POST /repos/{spec.repo}/actions/workflows/{spec.workflow}/"
                      "dispatches)",
                      lambda: setattr(state, "run", actions.dispatch(spec.workflow, spec.ref,
                                                                     inputs))))
    which = "the new run" if dispatch else f"run {ctx.options['run_id']}"
    plan.add(Call(f"follow {which} until it completes or waits for approval (first look after "
                  f"{spec.poll_interval:g} s, backing off; give up after {spec.timeout:g} min)",
                  lambda: follow(actions, state, ctx.err, spec.poll_interval, spec.timeout)))
    plan.add(Call(f"download its artifacts' wheels and sdist into {spec.dest} "
                  "(Pyodide wheels are never uploaded and are left out)",
                  lambda: download(actions, state, spec.dest)))
    expected = matrix.filenames(str(version))
    plan.verify(f"{spec.dest} holds exactly the {len(expected)} files of the matrix",
                lambda: compare(str(spec.dest), expected, list_dir(spec.dest),
                                matrix.distribution, str(version))
                .raise_for_problems(f"compare with the run's artifacts: {_run_url(state)}"))
    plan.notes += environment_notes(ctx, spec, version)
    ctx.execute(plan)
    if not ctx.dry_run:
        print(f"run {_run_url(state)}: {len(state.written)} files in {spec.dest}, exactly the "
              f"matrix ({matrix.describe(str(version))})", file=ctx.out)
        if state.left_out:
            print(f"left out (never uploaded): {', '.join(state.left_out)}", file=ctx.out)
        if state.run is not None and state.run.waiting:
            print(f"run {state.run.id} is waiting for approval of the {spec.environment} "
                  f"environment: the files check out; approve the deployment at "
                  f"{state.run.html_url} to upload them", file=ctx.out)
    return 0


def _run_url(state: Followed) -> str:
    return state.run.html_url if state.run is not None else "(no run)"


def check_dest(dest: Path) -> None:
    if dest.is_dir() and any(is_dist_file(name) for name in list_dir(dest)):
        raise PreconditionError(
            f"{dest} already holds wheels or an sdist; a download would mix two builds",
            hint=f"check them with --from-dir {dest}, or pass another --dest",
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

