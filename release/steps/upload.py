"""Upload the release's wheels, then its sdist, to a package index; skip what is already there.

The sdist goes last so that pip never sees a release with only the source to build (NumPy's
rule since the old HOWTO_RELEASE). A rerun after an interruption uploads only what is missing;
a file the index holds with other bytes is an error, never overwritten.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from release.context import Context
from release.errors import PreconditionError, UsageError, VerificationError
from release.plan import Call, DryRunExecutor, Plan
from release.services.pypi import (
    PYPI_UPLOAD,
    IndexFile,
    PackageIndex,
    Uploader,
    check_dists,
    check_url,
    index_for_upload,
    require_credentials,
)
from release.status import looks
from release.steps import Look, Step, by_status
from release.steps.common import add_version
from release.wheels.dist_dir import list_dir, sha256
from release.wheels.file_set import compare
from release.wheels.matrix import ExpectedFile, matrix_for
from release.wheels.metadata import require_matching_metadata

STEP = Step(name="upload", order=110, journaled=True, read_only=False,
            summary="Upload wheels, then the sdist, to the package index",
            status=Look(row="wheels on the index", order=3, find=looks.index_files), resume=by_status)


@dataclass(frozen=True)
class UploadOptions:
    """The options argparse parsed for this step."""

    from_dir: Path
    index_url: str | None
    repository_url: str
    upload: bool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    parser.add_argument("--dist", "--from-dir", dest="from_dir", type=Path, required=True,
                        metavar="DIR", help="the directory with every wheel and the sdist of the "
                                            "release (--from-dir: the earlier spelling, still accepted)")
    parser.add_argument("--repository-url", default=PYPI_UPLOAD,
                        help=f"where to upload (default {PYPI_UPLOAD}; TestPyPI: "
                             "https://test.pypi.org/legacy/; a local pypiserver: its root URL)")
    parser.add_argument("--index-url",
                        help="where to see what is already uploaded (default: the simple API "
                             "that belongs to --repository-url)")
    parser.add_argument("--upload", action="store_true",
                        help="upload (irreversible: an index never takes a file back); without "
                             "it, show what would be uploaded")


@dataclass(frozen=True)
class Pending:
    path: Path
    sha256: str
    size: int


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; it is never uploaded",
                         hint="upload a release (X.Y.Z) or a pre-release (X.Y.ZrcN)")
    matrix = matrix_for(ctx.config, version)
    dist = Path(ctx.typed(UploadOptions).from_dir).resolve()
    repository = check_url(str(ctx.typed(UploadOptions).repository_url))
    index = ctx.index(ctx.typed(UploadOptions).index_url or index_for_upload(repository))

    files = check_dist_dir(ctx, dist, matrix.files(str(version)), matrix.distribution,
                           str(version))
    on_index = index.files(matrix.distribution)
    pending = [p for p in files if not already_there(p, on_index, index.url)]
    skipped = len(files) - len(pending)
    apply = bool(ctx.typed(UploadOptions).upload) and not ctx.dry_run
    credentials = require_credentials(ctx.env) if apply and pending else None

    uploader = ctx.uploader(repository, credentials) if credentials else None
    plan = build_plan(pending, repository, index, uploader, files, matrix.distribution)
    plan.title = (f"upload {matrix.distribution} {version} to {repository}: "
                  f"{len(pending)} of {len(files)} files")
    if skipped:
        plan.notes.append(f"{skipped} files already on {index.url} with the same sha256; skipped")
    if not pending:
        print(f"all {len(files)} files of {matrix.distribution} {version} are already on "
              f"{index.url}; nothing to upload", file=ctx.out)
        if apply:
            ctx.execute(plan)  # no actions: the check that every file is there, as uploaded
        return 0
    if not apply:
        if not ctx.dry_run:
            plan.notes.append("nothing uploaded; add --upload to upload (irreversible)")
        DryRunExecutor(ctx.out).execute(plan)
        return 0
    ctx.execute(plan)
    print(f"uploaded {len(pending)} files; all {len(files)} files of {matrix.distribution} "
          f"{version} are on {index.url}", file=ctx.out)
    return 0


def check_dist_dir(
    ctx: Context, dist: Path, expected: list[ExpectedFile], distribution: str, version: str
) -> list[Pending]:
    """The dist dir holds exactly the matrix (by name) and twine check passes every file."""
    report = compare(str(dist), [e.filename for e in expected], list_dir(dist), distribution,
                     version)
    if not report.ok:
        for line in report.lines():
            print(line, file=ctx.out)
        raise PreconditionError(report.summary() + "; nothing uploaded",
                                hint="rebuild or download the missing files; remove the others")
    ordered = [e for e in expected if not e.is_sdist] + [e for e in expected if e.is_sdist]
    paths = [dist / e.filename for e in ordered]
    require_matching_metadata(paths, distribution, version, str(dist))
    failed = check_dists(paths)
    if failed:
        raise PreconditionError(
            f"twine check fails for {len(failed)} files ({', '.join(failed[:3])}); nothing uploaded",
            hint=f"run `python -m twine check {dist / failed[0]}` to see why",
        )
    return [Pending(p, sha256(p), p.stat().st_size) for p in paths]


def already_there(item: Pending, on_index: dict[str, IndexFile], where: str) -> bool:
    found = on_index.get(item.path.name)
    if found is None:
        return False
    have = found.sha256
    if have != item.sha256:
        raise PreconditionError(
            f"{item.path.name} is already on {where} with sha256 {have or '(none listed)'}, "
            f"but the local file has {item.sha256}; nothing uploaded",
            hint="an index never replaces a file; find out which build is the real one",
        )
    return True


def build_plan(
    pending: list[Pending],
    repository: str,
    index: PackageIndex,
    uploader: Uploader | None,
    files: list[Pending],
    distribution: str,
) -> Plan:
    plan = Plan("upload")
    for item in pending:
        plan.add(Call(
            f"upload {item.path.name} ({item.size} bytes, sha256 {item.sha256[:16]}…) "
            f"to {repository}",
            _uploading(uploader, item.path),
            undo=f"none: an index never takes {item.path.name} again; yank the release there "
                 "if it must go",
        ))
    plan.verify(f"every one of the {len(files)} files is on {index.url} once, with its sha256",
                lambda: verify_on_index(index, files, distribution))
    return plan


def _uploading(uploader: Uploader | None, path: Path) -> Callable[[], None]:
    def go() -> None:
        assert uploader is not None, "credentials are checked before the plan is applied"
        uploader.upload(path)

    return go


def verify_on_index(index: PackageIndex, files: list[Pending], distribution: str,
                    sleep: Callable[[float], None] = time.sleep) -> None:
    """Every file listed with its sha256; PyPI's cached pages can lag a moment behind uploads."""
    for attempt in range(4):
        listed = index.files(distribution)
        wrong = [f.path.name for f in files
                 if f.path.name not in listed or listed[f.path.name].sha256 != f.sha256]
        if not wrong:
            return
        if attempt < 3:
            sleep(2.0 ** attempt)
    raise VerificationError(
        f"{len(wrong)} files are not on {index.url} as uploaded: {', '.join(wrong[:3])}",
        hint="rerun the upload; files already there are skipped",
    )
