"""A run's files as its artifact list shows them, so the wheel set is checked without a download.

numpy-release leaves one artifact per build job, named `{python}-{platform}-{blas}`
(`cp312-manylinux_x86_64-` with a trailing dash when there is no BLAS variant,
`cp313-macosx_arm64-accelerate`), and one named `sdist`: the matrix says which names a complete
run lists. One list request (100 artifacts a page) gives every name, size and digest, where a
download costs one request per artifact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from release.services.github_actions import ArtifactInfo
from release.wheels.file_set import FileSetReport
from release.wheels.matrix import ExpectedFile

SDIST_ARTIFACT = "sdist"


def artifact_name(item: ExpectedFile) -> str:
    """The artifact numpy-release's job for `item` leaves."""
    if item.is_sdist:
        return SDIST_ARTIFACT
    return f"{item.interpreter}-{item.platform}" + ("" if "-" in item.platform else "-")


def never_uploaded(name: str) -> bool:
    """The Pyodide job's artifact (`cp313-pyodide_wasm32-`): built, never uploaded."""
    return "pyodide" in name or "wasm" in name or "emscripten" in name


def follows_scheme(artifacts: Sequence[ArtifactInfo], files: Sequence[ExpectedFile]) -> bool:
    """Whether the run names its artifacts as the matrix's jobs are named (a workflow naming
    them otherwise must have its files downloaded to be checked)."""
    wanted = {artifact_name(item) for item in files}
    return any(artifact.name in wanted for artifact in artifacts)


def listed_report(where: str, artifacts: Sequence[ArtifactInfo], files: Sequence[ExpectedFile],
                  labels: Mapping[str, str]) -> FileSetReport:
    """The matrix's files against the run's artifact list: a file is there when its job's
    artifact is listed, unexpired and not empty; an artifact no job of the matrix names is
    reported by its name."""
    by_name = {artifact.name: artifact for artifact in artifacts}
    wanted = {artifact_name(item): item.filename for item in files}
    missing, notes = [], dict(labels)
    for item in files:
        artifact = by_name.get(artifact_name(item))
        if artifact is None or artifact.expired or artifact.size == 0:
            missing.append(item.filename)
            why = "no artifact" if artifact is None else "expired" if artifact.expired else "empty"
            notes[item.filename] = f"{labels.get(item.filename, item.platform)}; artifact " \
                                   f"{artifact_name(item)}: {why}"
    extra = sorted(f"artifact {name}" for name in by_name
                   if name not in wanted and not never_uploaded(name))
    ignored = sorted(f"artifact {name}" for name in by_name if never_uploaded(name))
    return FileSetReport(where=where, expected=tuple(item.filename for item in files),
                         missing=tuple(missing), unexpected=tuple(extra), wrong_version=(),
                         wrong_project=(), ignored=tuple(ignored), labels=notes)
