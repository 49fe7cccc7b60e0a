"""numpy-release's `.github/workflows/wheels.yml` and `openblas_requirements.txt`, read into values.

The file is YAML; the cibuildwheel version sits only in the comment after the pinned commit
(`uses: pypa/cibuildwheel@<sha> # v3.4.1`), which a YAML parser drops, so that line is read as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from release.errors import PreconditionError

_CIBW_RE = re.compile(r"uses:\s*pypa/cibuildwheel@(?P<ref>[\w.\-]+)\s*(?:#\s*v?(?P<version>[\w.\-]+))?")
_PIN_RE = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._\-]*)\s*==\s*(?P<version>[^\s;#]+)")


@dataclass(frozen=True)
class Pin:
    """A pinned tool: its version (from the comment for an action pinned by commit) and the ref."""

    name: str
    version: str
    ref: str = ""


@dataclass(frozen=True)
class BuildRow:
    """One `buildplat` row: runner, platform, BLAS variant ("" for none)."""

    runner: str
    platform: str
    blas: str

    @property
    def key(self) -> str:
        """The wheel matrix's platform key: `macosx_arm64-accelerate`, `win_amd64`."""
        return f"{self.platform}-{self.blas}" if self.blas else self.platform


@dataclass(frozen=True)
class WheelsWorkflow:
    """What the release check needs from the workflow file."""

    where: str
    source_ref: str | None
    dispatch_inputs: dict[str, tuple[str, ...]]
    cibuildwheel: Pin | None
    rows: tuple[BuildRow, ...]
    pythons: tuple[str, ...]
    excluded: frozenset[tuple[str, str]]
    included: frozenset[tuple[str, str]]
    nightly_on_dispatch: bool

    def builds(self) -> frozenset[tuple[str, str]]:
        """(interpreter, platform key) of every wheel job, includes added and excludes removed."""
        combos = {(python, row.key) for python in self.pythons for row in self.rows}
        return frozenset((combos - self.excluded) | self.included)


def parse_workflow(text: str, where: str) -> WheelsWorkflow:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PreconditionError(f"{where} is not valid YAML: {str(exc).splitlines()[0]}",
                                hint="fix the workflow file; GitHub would not run it either") from None
    if not isinstance(data, dict):
        raise PreconditionError(f"{where} is not a workflow (no mapping at the top)",
                                hint="check the file and the branch it was read from")
    env = data.get("env") or {}
    # YAML 1.1 reads the key `on` as True.
    triggers = data.get("on", data.get(True)) or {}
    jobs = data.get("jobs") or {}
    matrix = _matrix(jobs)
    rows = [_row(item) for item in matrix.get("buildplat") or ()]
    return WheelsWorkflow(
        where=where,
        source_ref=_text(env.get("SOURCE_REF_TO_BUILD")) if isinstance(env, dict) else None,
        dispatch_inputs=_dispatch_inputs(triggers),
        cibuildwheel=_cibuildwheel(text),
        rows=tuple(r for r in rows if r is not None),
        pythons=tuple(str(p) for p in matrix.get("python") or ()),
        excluded=frozenset(_combos(matrix.get("exclude"), matrix.get("python"))),
        included=frozenset(_combos(matrix.get("include"), matrix.get("python"))),
        nightly_on_dispatch=_nightly_on_dispatch(jobs),
    )


def parse_pins(text: str) -> dict[str, str]:
    """`name==version` lines of a requirements file (markers and comments left aside)."""
    pins = {}
    for line in text.splitlines():
        match = _PIN_RE.match(line)
        if match:
            pins[match["name"].lower()] = match["version"]
    return pins


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _dispatch_inputs(triggers: Any) -> dict[str, tuple[str, ...]]:
    """Each workflow_dispatch input with its choices (empty for a free-form input)."""
    if not isinstance(triggers, dict) or "workflow_dispatch" not in triggers:
        return {}
    inputs = (triggers.get("workflow_dispatch") or {}).get("inputs") or {}
    return {str(name): tuple(str(o) for o in (spec or {}).get("options") or ())
            for name, spec in inputs.items()}


def _matrix(jobs: dict[str, Any]) -> dict[str, Any]:
    """The matrix of the job that builds with cibuildwheel (numpy-release: `build_wheels`)."""
    for job in jobs.values():
        if not isinstance(job, dict):
            continue
        steps = job.get("steps") or ()
        if any("cibuildwheel" in str(step.get("uses", "")) for step in steps if isinstance(step, dict)):
            matrix = (job.get("strategy") or {}).get("matrix") or {}
            return matrix if isinstance(matrix, dict) else {}
    return {}


def _row(item: Any) -> BuildRow | None:
    if isinstance(item, list) and len(item) >= 2:
        return BuildRow(str(item[0]), str(item[1]), str(item[2]) if len(item) > 2 else "")
    return None


def _combos(entries: Any, pythons: Any) -> list[tuple[str, str]]:
    """Exclude/include entries as (interpreter, platform key); an entry without `python` means
    every interpreter of the matrix."""
    found = []
    for entry in entries or ():
        if not isinstance(entry, dict):
            continue
        row = _row(entry.get("buildplat"))
        if row is None:
            continue
        names = [str(entry["python"])] if "python" in entry else [str(p) for p in pythons or ()]
        found += [(name, row.key) for name in names]
    return found


def _cibuildwheel(text: str) -> Pin | None:
    match = _CIBW_RE.search(text)
    if match is None:
        return None
    ref = match["ref"]
    version = match["version"] or (ref.removeprefix("v") if not _is_sha(ref) else "")
    return Pin("cibuildwheel", version, ref)


def _is_sha(ref: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{40}", ref))


def is_commit_pin(pin: Pin) -> bool:
    return _is_sha(pin.ref)


def _nightly_on_dispatch(jobs: dict[str, Any]) -> bool:
    """A job that uploads to the nightly channel also on a `workflow_dispatch` (numpy-release
    2.5.x's `nightly_upload`): a rehearsal with environment `none` then publishes nightlies."""
    for job in jobs.values():
        if not isinstance(job, dict):
            continue
        condition = str(job.get("if", ""))
        steps = " ".join(str(step.get("run", "")) for step in job.get("steps") or ()
                         if isinstance(step, dict))
        if "workflow_dispatch" in condition and "anaconda" in steps and "upload" in steps:
            return True
    return False
