"""Small but valid wheels and sdists for any name, version and tag, byte-for-byte reproducible.

`twine check` passes them and pypiserver accepts them, so the upload and wheel steps run on real
files without building anything.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import tarfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from release.config import Config
from release.errors import UsageError
from release.fakes.github import FakeGitHub
from release.fakes.github_workflows import NUMPY_RELEASE_WORKFLOW
from release.fakes.release_repo import seed_release_repo
from release.repo.upper_bounds import requirements
from release.version import ReleaseVersion
from release.wheels.matrix import ExpectedFile, matrix_for, sdist_name

_EPOCH = (1980, 1, 1, 0, 0, 0)


def metadata(name: str, version: str, note: str = "") -> str:
    """Core metadata with a Markdown description, so `twine check` has something to render."""
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {name}\n"
        f"Version: {version}\n"
        f"Summary: {name}, a project rehearsing its releases\n"
        "Requires-Python: >=3.11\n"
        "Description-Content-Type: text/markdown\n"
        "\n"
        f"# {name} {version}\n\nRelease rehearsal build{note}.\n"
    )


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def wheel_bytes(filename: str, project: str, note: str = "") -> bytes:
    """A wheel named `filename`: one module, METADATA, WHEEL (every tag) and RECORD."""
    _, version, _, tags = parse_wheel_filename(filename)
    stem = filename.split("-")[0]
    dist_info = f"{stem}-{version}.dist-info"
    tag_lines = "".join(f"Tag: {tag}\n" for tag in sorted(str(t) for t in tags))
    files = {
        f"{stem}/__init__.py": f'__version__ = "{version}"\n'.encode(),
        f"{dist_info}/METADATA": metadata(project, str(version), note).encode(),
        f"{dist_info}/WHEEL": ("Wheel-Version: 1.0\nGenerator: release.fakes.dists\n"
                               f"Root-Is-Purelib: false\n{tag_lines}").encode(),
    }
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def sdist_bytes(filename: str, project: str, note: str = "") -> bytes:
    """An sdist named `filename`: `{stem}/PKG-INFO` and a pyproject.toml, gzip without mtime."""
    _, version = parse_sdist_filename(filename)
    root = filename[: -len(".tar.gz")]
    files = {
        f"{root}/PKG-INFO": metadata(project, str(version), note).encode(),
        f"{root}/pyproject.toml": f'[project]\nname = "{project}"\nversion = "{version}"\n'.encode(),
    }
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path, data in files.items():
            info = tarfile.TarInfo(path)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            archive.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


def dist_bytes(filename: str, project: str, note: str = "") -> bytes:
    if filename.endswith(".whl"):
        return wheel_bytes(filename, project, note)
    return sdist_bytes(filename, project, note)


def write_dists(dest: Path, filenames: Iterable[str], project: str, note: str = "") -> list[Path]:
    """Write one valid file per name into `dest`; `note` changes the bytes (and so the hashes)."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for filename in filenames:
        path = dest / filename
        path.write_bytes(dist_bytes(filename, project, note))
        written.append(path)
    return written


def workflow_artifacts(files: Iterable[ExpectedFile], project: str, version: str
                       ) -> dict[str, dict[str, bytes]]:
    """What numpy-release's run leaves: one artifact per job, named `{python}-{platform}-{blas}`
    (`cp312-manylinux_x86_64-`, `cp313-macosx_arm64-accelerate`), an `sdist` artifact, and the
    Pyodide wheel that is built but never uploaded."""
    found: dict[str, dict[str, bytes]] = {}
    stem = ""
    for item in files:
        stem = item.filename.split("-")[0]
        if item.is_sdist:
            name = "sdist"
        else:
            name = f"{item.interpreter}-{item.platform}" + ("" if "-" in item.platform else "-")
        found[name] = {item.filename: dist_bytes(item.filename, project)}
    if stem:
        pyodide = f"{stem}-{version}-cp313-cp313-pyodide_2025_0_wasm32.whl"
        found["cp313-pyodide_wasm32-"] = {pyodide: dist_bytes(pyodide, project)}
    return found


def given_files(source: Path, version: str) -> dict[str, bytes]:
    """The sdist and wheels of `version` in a directory of real builds, by file name."""
    wanted = Version(version)
    found: dict[str, bytes] = {}
    for path in sorted(source.iterdir()) if source.is_dir() else []:
        try:
            if path.name.endswith(".whl"):
                built = parse_wheel_filename(path.name)[1]
            elif path.name.endswith((".tar.gz", ".zip")):
                built = parse_sdist_filename(path.name)[1]
            else:
                continue
        except (InvalidWheelFilename, InvalidSdistFilename):
            continue
        if built == wanted and path.is_file():
            found[path.name] = path.read_bytes()
    if not found:
        raise UsageError(f"{source} holds no sdist or wheel of {version}",
                         hint="pass --dist a directory with the release's built files "
                              "(e.g. the artifacts of a numpy-release run with environment none)")
    return found


def seed_wheel_workflow(github: FakeGitHub, config: Config, version: str,
                        conclusion: str = "success", given: Path | None = None,
                        source: str | None = None) -> list[str]:
    """Give the fake GitHub the project's workflow repository (with the maintenance branch) and
    a wheel workflow whose runs leave the release's artifacts and, for the testpypi and pypi
    environments, wait for approval; returns the names of the files its runs leave. With
    `given`, the runs leave the real files in that directory instead of stand-ins. `source`
    replaces the workflow file on the branch (default: numpy-release's shape for the matrix);
    its workflow_dispatch inputs decide what a dispatch may carry."""
    release = ReleaseVersion.parse(version)
    files = matrix_for(config, release).files(version)
    if given is not None:
        built = given_files(given, version)
        artifacts = {f"dist-{number}": {name: data}
                     for number, (name, data) in enumerate(built.items(), 1)}
    else:
        artifacts = workflow_artifacts(files, config.package, version)
    wheels = config.wheels
    ref = release.format(wheels.workflow_ref or config.maintenance_branch)
    try:
        github.repo(wheels.workflow_repo)
    except KeyError:
        github.add_repo(wheels.workflow_repo, "main")
    github.add_ref(wheels.workflow_repo, f"heads/{ref}", "ab" * 20)
    seed_release_repo(github, config, release, ref)
    if source is not None:
        github.add_file(wheels.workflow_repo, ref, f".github/workflows/{wheels.workflow}", source)
    # Like numpy-release: the testpypi and pypi upload jobs wait for an approval.
    github.add_workflow(wheels.workflow_repo, wheels.workflow, "Wheel builder",
                        artifacts=artifacts,
                        conclusion=conclusion, approval_environments=("testpypi", "pypi"),
                        source=source or NUMPY_RELEASE_WORKFLOW)
    return sorted(built) if given is not None else [item.filename for item in files]


def seed_build_requirements(dest: Path, pyproject: str, where: str) -> list[str]:
    """One sdist per build requirement with a lower bound, at that version (what an index holds
    at least), so the upper bounds a new maintenance branch pins can be read from a stand-in
    index; NumPy's bound comes from the toolkit's own data, so it gets none."""
    written = []
    for table, text in requirements(pyproject, where):
        req = Requirement(text)
        lower = [s.version for s in req.specifier if s.operator == ">="]
        if table != "build-system.requires" or not lower or canonicalize_name(req.name) == "numpy":
            continue
        filename = sdist_name(req.name, lower[0])
        write_dists(dest, [filename], req.name)
        written.append(filename)
    return written
