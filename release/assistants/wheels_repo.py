"""The release repository (numpy/numpy-release) checked before the wheels are built: what it will
build (`SOURCE_REF_TO_BUILD`), whether the `wheels` step can start it, its pins, and its matrix
against the one this release must ship.

A `main` left in `SOURCE_REF_TO_BUILD` on a maintenance branch builds numpy's main; only the
`pypi` path's `check_version` job would notice, after an hour of builds. Pure: texts in, rows out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from release.assistants.wheels_workflow import Pin, WheelsWorkflow, is_commit_pin
from release.checks.result import CheckResult
from release.version import ReleaseVersion
from release.wheels.matrix import PLATFORMS, Matrix
from release.wheels.platform_tiers import platform_tier

AREA = "release repo"
WORKFLOW_PATH = ".github/workflows/wheels.yml"
OPENBLAS_PATH = "requirements/openblas_requirements.txt"
OPENBLAS = ("scipy-openblas32", "scipy-openblas64")
DISPATCH_INPUT = "environment"


@dataclass(frozen=True)
class Branch:
    """One branch of the release repository as read: its workflow and OpenBLAS pins."""

    ref: str
    workflow: WheelsWorkflow | None
    pins: Mapping[str, str] | None


@dataclass(frozen=True)
class Expected:
    """What this release needs from the repository."""

    version: ReleaseVersion
    tag: str
    branch: str  # the project's maintenance branch
    repo: str  # owner/name of the release repository
    matrix: Matrix
    environments: tuple[str, ...]


def results(expected: Expected, current: Branch, previous: Branch | None,
            newest: Mapping[str, str] | None, index: str) -> list[CheckResult]:
    """Every row; `newest` maps a package to its newest release on `index` (None: not looked)."""
    workflow = current.workflow
    if workflow is None:
        return [CheckResult.fail(AREA, "wheels.yml", f"no {WORKFLOW_PATH} on {current.ref} of "
                                 f"{expected.repo}", f"check --workflow-ref (is {current.ref} the "
                                 "branch the wheels are built from?)")]
    rows = [source_ref(expected, current.ref, workflow), dispatch_input(expected, workflow)]
    prev_workflow = previous.workflow if previous else None
    rows.append(cibuildwheel(expected, current.ref, workflow.cibuildwheel,
                             prev_workflow.cibuildwheel if prev_workflow else None,
                             previous.ref if previous else "", newest, index))
    rows += openblas(expected, current, previous, newest, index)
    rows += matrix_rows(expected, workflow)
    if workflow.nightly_on_dispatch:
        rows.append(CheckResult.warn(
            AREA, "nightly upload", f"a dispatch with environment none on {current.ref} also "
            "uploads its wheels to the nightly channel (scientific-python-nightly-wheels)",
            "expected for numpy-release; rehearse with `--environment testpypi` to avoid it"))
    return rows


def source_ref(expected: Expected, ref: str, workflow: WheelsWorkflow) -> CheckResult:
    found = workflow.source_ref
    allowed = (expected.tag, expected.branch)
    fix = (f"on {ref} of {expected.repo}: sed -i 's|^\\(  SOURCE_REF_TO_BUILD:\\).*|\\1 "
           f"{expected.branch}|' {WORKFLOW_PATH} && git commit -am 'Set SOURCE_REF_TO_BUILD to "
           f"{expected.branch}' (then open the pull request)")
    if found is None:
        return CheckResult.fail(AREA, "SOURCE_REF_TO_BUILD", f"{WORKFLOW_PATH} on {ref} sets no "
                                "SOURCE_REF_TO_BUILD: the build has no numpy ref to check out", fix)
    if found in allowed:
        return CheckResult.ok(AREA, "SOURCE_REF_TO_BUILD", f"{found} (on {ref})")
    why = (f"builds {found}, not {expected.version}"
           + ("'s maintenance branch" if found != expected.branch else ""))
    return CheckResult.fail(
        AREA, "SOURCE_REF_TO_BUILD",
        f"{found} on {ref} {why}: it must name {expected.tag} or {expected.branch}; only the pypi "
        "path's check_version job would notice, after the builds", fix)


def dispatch_input(expected: Expected, workflow: WheelsWorkflow) -> CheckResult:
    name = "workflow_dispatch input"
    if DISPATCH_INPUT not in workflow.dispatch_inputs:
        have = ", ".join(workflow.dispatch_inputs) or "no workflow_dispatch inputs"
        return CheckResult.fail(
            AREA, name, f"the `wheels` step sends `{DISPATCH_INPUT}`, the workflow declares {have}: "
            "GitHub refuses the dispatch (422 Unexpected inputs)",
            f"declare `workflow_dispatch: inputs: {DISPATCH_INPUT}:` (type choice, options "
            f"{list(expected.environments)}) in {WORKFLOW_PATH}")
    options = workflow.dispatch_inputs[DISPATCH_INPUT]
    missing = [e for e in expected.environments if options and e not in options]
    if missing:
        return CheckResult.fail(
            AREA, name, f"`{DISPATCH_INPUT}` offers {', '.join(options)}; the `wheels` step may send "
            f"{', '.join(missing)}", f"add {', '.join(missing)} to its options in {WORKFLOW_PATH}")
    return CheckResult.ok(AREA, name, f"{DISPATCH_INPUT}: {', '.join(options) or 'free text'}")


def cibuildwheel(expected: Expected, ref: str, pin: Pin | None, previous: Pin | None,
                 previous_ref: str, newest: Mapping[str, str] | None, index: str) -> CheckResult:
    name = "cibuildwheel"
    if pin is None:
        return CheckResult.fail(AREA, name, f"{WORKFLOW_PATH} on {ref} does not use "
                                "pypa/cibuildwheel", "check the workflow file and --workflow-ref")
    update = ("gh api repos/pypa/cibuildwheel/commits/v{v} --jq .sha, then "
              f"`uses: pypa/cibuildwheel@<sha> # v{{v}}` in {WORKFLOW_PATH} on {ref}")
    detail = f"v{pin.version} on {ref}"
    problems = []
    if not is_commit_pin(pin):
        problems.append(f"pinned by {pin.ref}, not by a commit")
    older_than_previous = _older(pin.version, previous.version if previous else None)
    if previous is not None:
        detail += f", v{previous.version} on {previous_ref}"
    if older_than_previous:
        problems.append(f"older than {previous_ref}'s v{previous.version if previous else ''}")
    latest = (newest or {}).get("cibuildwheel")
    if latest:
        detail += f", newest on {index}: {latest}"
    if latest and _older(pin.version, latest):
        problems.append(f"{latest} is out")
    if not problems:
        return CheckResult.ok(AREA, name, detail)
    target = latest or (previous.version if previous else pin.version)
    return CheckResult.warn(AREA, name, f"{detail}: {'; '.join(problems)}", update.format(v=target))


def openblas(expected: Expected, current: Branch, previous: Branch | None,
             newest: Mapping[str, str] | None, index: str) -> list[CheckResult]:
    if current.pins is None:
        return [CheckResult.fail(AREA, "OpenBLAS", f"no {OPENBLAS_PATH} on {current.ref}",
                                 f"check --workflow-ref; numpy-release keeps the pins in {OPENBLAS_PATH}")]
    rows = []
    for package in OPENBLAS:
        pinned = current.pins.get(package)
        name = f"OpenBLAS ({package})"
        if pinned is None:
            rows.append(CheckResult.fail(AREA, name, f"{OPENBLAS_PATH} on {current.ref} does not pin "
                                         f"{package}", f"add `{package}==VERSION` to {OPENBLAS_PATH}"))
            continue
        before = (previous.pins or {}).get(package) if previous else None
        latest = (newest or {}).get(package)
        detail = f"{pinned} on {current.ref}"
        detail += f", {before} on {previous.ref}" if before and previous else ""
        detail += f", newest on {index}: {latest}" if latest else ""
        problems = []
        if _older(pinned, before):
            problems.append("older than the previous branch's")
        if latest and _older(pinned, latest):
            problems.append(f"{latest} is out")
        if problems:
            target = latest or before or pinned
            rows.append(CheckResult.warn(
                AREA, name, f"{detail}: {'; '.join(problems)}",
                f"on {current.ref}: sed -i 's/^{package}==.*/{package}=={target}/' {OPENBLAS_PATH}"))
        else:
            rows.append(CheckResult.ok(AREA, name, detail))
    pinned_set = {current.pins.get(p) for p in OPENBLAS} - {None}
    if len(pinned_set) > 1:
        rows.append(CheckResult.warn(AREA, "OpenBLAS (32 and 64)", "the two builds pin different "
                                     f"versions: {', '.join(sorted(str(v) for v in pinned_set))}",
                                     f"pin both to one version in {OPENBLAS_PATH}"))
    return rows


def matrix_rows(expected: Expected, workflow: WheelsWorkflow) -> list[CheckResult]:
    """The Python list, the platforms and the wheel jobs against the release's matrix."""
    matrix = expected.matrix
    want_pythons = {i.name for i in matrix.interpreters}
    have_pythons = set(workflow.pythons)
    rows = [_difference("Python list", want_pythons, have_pythons, matrix.source,
                        f"the `python:` list of the build matrix in {WORKFLOW_PATH}")]
    want_platforms = {p.key for p in matrix.platforms}
    have_platforms = {row.key for row in workflow.rows}
    rows.append(_platforms(want_platforms, have_platforms, matrix.source))
    wanted = {(f.interpreter, f.platform) for f in matrix.files(str(expected.version)) if not f.is_sdist}
    built = {combo for combo in workflow.builds() if combo[1] in PLATFORMS}
    missing, extra = sorted(wanted - built), sorted(built - wanted)
    detail = f"{len(built)} wheel jobs for PyPI, {len(wanted)} expected ({matrix.source})"
    if missing or extra:
        parts = ([f"not built: {_combos(missing)}"] if missing else []) + (
            [f"not expected: {_combos(extra)}"] if extra else [])
        return [*rows, CheckResult.fail(AREA, "wheel jobs", f"{detail}; {'; '.join(parts)}",
                                        f"adjust `exclude:` in {WORKFLOW_PATH}, or the matrix in "
                                        "[tool.release.wheels] if the release changes it")]
    return [*rows, CheckResult.ok(AREA, "wheel jobs", detail)]


def _difference(name: str, want: set[str], have: set[str], source: str, where: str) -> CheckResult:
    missing, extra = sorted(want - have), sorted(have - want)
    if not missing and not extra:
        return CheckResult.ok(AREA, name, f"{' '.join(sorted(have))} ({source})")
    parts = ([f"missing {' '.join(missing)}"] if missing else []) + (
        [f"not expected {' '.join(extra)}"] if extra else [])
    fix = "; ".join(([f"add {', '.join(repr(m) for m in missing)}"] if missing else [])
                    + ([f"remove {', '.join(repr(e) for e in extra)}"] if extra else []))
    return CheckResult.fail(AREA, name, f"{'; '.join(parts)} against {source}", f"{fix} in {where}")


def _platforms(want: set[str], have: set[str], source: str) -> CheckResult:
    problems, fixes = [], []
    for key in sorted(want - have):
        problems.append(f"no build row for {key} ({_tier(key)})")
        fixes.append(f"add its buildplat row for {key}")
    for key in sorted(have - want):
        if key not in PLATFORMS:
            continue
        tier = platform_tier(key)
        reason = "its tier gets no wheels on PyPI" if not tier.wheels_on_pypi else "not in the matrix"
        problems.append(f"{key} still built ({tier.describe()}): {reason}")
        fixes.append(f"remove the buildplat row for {key}")
    if not problems:
        return CheckResult.ok(AREA, "platforms", f"{len(have & want)} build rows ({source})")
    return CheckResult.fail(AREA, "platforms", "; ".join(problems), f"{'; '.join(fixes)} in {WORKFLOW_PATH}")


def _tier(key: str) -> str:
    try:
        return platform_tier(key).describe()
    except KeyError:
        return "not in NEP 57's table"


def _combos(items: list[tuple[str, str]]) -> str:
    shown = [f"{python}:{platform}" for python, platform in items[:6]]
    more = f" and {len(items) - 6} more" if len(items) > 6 else ""
    return ", ".join(shown) + more


def _older(version: str, than: str | None) -> bool:
    if not than:
        return False
    try:
        return Version(version) < Version(than)
    except InvalidVersion:
        return False
