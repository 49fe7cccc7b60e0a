"""The docs step under `doc_site = "docs-scipy-org"` (SciPy): the release's row on the front page
(`index.rst` in a scipy/docs.scipy.org clone, "Add SciPy X.Y.Z") and, given the served tree
(`--upload-dir`, e.g. a mount of the doc server's `/srv/docs_scipy_org/doc`), what SciPy's
`make upload` and the release manager's edit there do: `scipy-X.Y.Z/` with the HTML and
`scipy-html-X.Y.Z.zip`, the `scipy` link to the newest release, and `try_examples.json` with the
interactive examples switched on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from packaging.version import InvalidVersion, Version

from release.context import Context
from release.errors import PreconditionError, UsageError, VerificationError
from release.plan import REMOTE, Plan, WriteFile
from release.repo.branch_commit import add_checked_out_push, git_command
from release.repo.tree_sync import PointSymlink, Source, SyncTree, files_under, zip_tree
from release.services.git import GitService
from release.sites.scipy_docs import (
    INDEX,
    TRY_EXAMPLES,
    enable_try_examples,
    latest_zip,
    release_dir,
    release_rows,
    with_release,
)
from release.version import ReleaseVersion


@dataclass(frozen=True)
class ScipyDocsOptions:
    """What the docs step's options say to SciPy's doc site (`--upload-dir`, `--push`)."""

    upload_dir: Path | None = None
    push: bool = False


@dataclass(frozen=True)
class ServerTree(SyncTree):
    """The release's folder in the served tree: it is the doc server, so it cannot be put back."""

    effect = REMOTE


@dataclass(frozen=True)
class ServerLink(PointSymlink):
    effect = REMOTE


def run(ctx: Context, version: ReleaseVersion, root: Path, built: Path) -> int:
    merge = ScipyDocMerge(ctx, version, root, built)
    plan = merge.plan()
    if not plan.actions:
        print(f"the {version} documentation is already in {root}"
              + (f" and {merge.upload_dir}" if merge.upload_dir else "") + "; nothing to do",
              file=ctx.out)
        return 0
    ctx.execute(plan)
    if not ctx.dry_run:
        print(f"{root}: {merge.git.head()[:12]} {merge.message}", file=ctx.out)
    return 0


@dataclass
class ScipyDocMerge:
    ctx: Context
    version: ReleaseVersion
    root: Path
    built: Path

    @cached_property
    def git(self) -> GitService:
        return self.ctx.git_at(self.root)

    @property
    def package(self) -> str:
        return self.ctx.config.package

    @property
    def folder(self) -> str:
        return release_dir(self.package, str(self.version))

    @property
    def message(self) -> str:
        cfg = self.ctx.config
        return cfg.docs.doc_commit_message.format(version=self.version, project=cfg.project)

    @cached_property
    def upload_dir(self) -> Path | None:
        given = self.ctx.typed(ScipyDocsOptions).upload_dir or self.ctx.config.docs.upload_dir
        if not given:
            return None
        path = Path(given).expanduser().resolve()
        if not path.is_dir():
            raise UsageError(f"upload directory {path} does not exist",
                             hint="pass --upload-dir the served doc root (e.g. a mount of "
                                  "/srv/docs_scipy_org/doc)")
        return path

    def index_text(self) -> str:
        path = self.root / INDEX
        if not path.is_file():
            raise PreconditionError(f"{path} is missing",
                                    hint="is --doc-repo a clone of the docs.scipy.org-shaped "
                                         "repository?")
        dirty = self.git.status_lines()
        if dirty:
            raise PreconditionError(
                f"the documentation repository {self.root} is not clean ({dirty[0][3:]})",
                hint=f"git -C {self.root} status; commit or discard the changes, then rerun")
        return path.read_text(encoding="utf-8")

    def is_newest(self, index: str) -> bool:
        listed = [*release_rows(index, self.package)]
        if self.upload_dir is not None:
            prefix = f"{self.package}-"
            listed += [p.name[len(prefix):] for p in self.upload_dir.iterdir()
                       if p.is_dir() and p.name.startswith(prefix)]
        return all(_older_or_other(v, self.version) for v in listed)

    def files(self) -> dict[str, Source]:
        """The build, its zip (as `make dist` makes it) and try_examples.json switched on."""
        built = files_under(self.built)
        files: dict[str, Source] = dict(built)
        zip_name = f"{self.package}-html-{self.version}.zip"
        files.pop(f"{self.package}-html.zip", None)
        files[zip_name] = zip_tree({rel: p for rel, p in built.items()
                                    if not rel.endswith((".zip", ".pdf"))})
        if TRY_EXAMPLES in built:
            text = built[TRY_EXAMPLES].read_text(encoding="utf-8")
            files[TRY_EXAMPLES] = enable_try_examples(text, str(built[TRY_EXAMPLES])).encode()
        return files

    def plan(self) -> Plan:
        index = self.index_text()
        if not (self.built / "index.html").is_file():
            raise PreconditionError(f"{self.built} holds no built HTML (index.html is missing)",
                                    hint="build the docs first (cd doc && make dist), or pass "
                                         "--built DIR")
        newest = self.is_newest(index)
        row = self.ctx.render("doc-index-row.html.j2", folder=self.folder,
                              project=self.ctx.config.project, version=str(self.version),
                              package=self.package)
        new_index = with_release(index, row, self.package, str(self.version), str(self.root / INDEX))
        plan = Plan(f"publish the {self.version} documentation on docs.scipy.org")
        if self.upload_dir is not None:
            tree = ServerTree(self.upload_dir, self.folder, self.files(), str(self.built))
            link = ServerLink(self.upload_dir, self.package, self.folder)
            actions: list[ServerTree | ServerLink] = [tree, *([link] if newest else [])]
            plan.extend([a for a in actions if not a.is_noop()])
        else:
            plan.notes.append(f"the HTML is not uploaded (no --upload-dir): cd doc && make dist && "
                              f"make upload USERNAME=... RELEASE={self.version}, then remove \".*\" "
                              f"from ignore_patterns in {self.folder}/{TRY_EXAMPLES} on the server")
        committed = new_index != index
        if committed:
            plan.add(WriteFile(self.root, INDEX, new_index))
            plan.add(git_command(self.git, self.root, "add", "--", INDEX))
            plan.add(git_command(self.git, self.root, "commit", "--quiet", "-m", self.message))
        if plan.actions:
            self._add_checks(plan, newest)
        self._add_push(plan, committed)
        return plan

    def _add_checks(self, plan: Plan, newest: bool) -> None:
        plan.verify(f"{INDEX} lists {self.folder}/"
                    + (f" and its zip as the latest {self.package}" if newest else ""),
                    lambda: self._check_index(newest))
        if self.upload_dir is not None:
            plan.verify(f"{self.folder}/ opens index.html and holds its zip"
                        + (f"; {self.package} -> {self.folder}" if newest else ""),
                        lambda: self._check_upload(newest))

    def _check_index(self, newest: bool) -> None:
        text = (self.root / INDEX).read_text(encoding="utf-8")
        if str(self.version) not in release_rows(text, self.package):
            raise VerificationError(f"{INDEX} does not list {self.folder}/",
                                    hint=f"look at git -C {self.root} show HEAD")
        if newest and latest_zip(text, self.package) != str(self.version):
            raise VerificationError(f"{INDEX}'s latest {self.package} zip is not {self.version}'s",
                                    hint=f"edit {self.root / INDEX} by hand")

    def _check_upload(self, newest: bool) -> None:
        assert self.upload_dir is not None
        folder = self.upload_dir / self.folder
        for name in ("index.html", f"{self.package}-html-{self.version}.zip"):
            if not (folder / name).is_file():
                raise VerificationError(f"{folder / name} is missing", hint="upload it again")
        link = self.upload_dir / self.package
        if newest and (not link.is_symlink() or str(link.readlink()) != self.folder):
            raise VerificationError(f"{link} does not point at {self.folder}",
                                    hint=f"ln -snf {self.folder} {link}")

    def _add_push(self, plan: Plan, committed: bool) -> None:
        add_checked_out_push(plan, self.ctx, self.git, self.root, self.ctx.config.docs.doc_remote,
                             push=self.ctx.typed(ScipyDocsOptions).push, committed=committed,
                             remote_key="docs.doc_remote")


def _older_or_other(listed: str, version: ReleaseVersion) -> bool:
    try:
        return Version(listed) < Version(str(version))
    except InvalidVersion:
        return True
