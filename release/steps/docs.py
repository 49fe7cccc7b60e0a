"""Merge the built HTML into the numpy/doc-shaped repository: the series directory, the index
section, the version switcher, the `stable` link, update.py, one commit; --push publishes it."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from release.context import Context
from release.errors import PreconditionError, UsageError, VerificationError
from release.plan import Action, Plan, RunCommand, WriteFile
from release.repo.branch_commit import add_checked_out_push, git_command
from release.repo.tree_sync import PointSymlink, Source, SyncTree, files_under, zip_tree
from release.services.git import GitService
from release.sites import scipy_doc_merge
from release.sites.doc_site import (
    INDEX,
    VERSIONS,
    Switcher,
    broken_links,
    has_series_link,
    insert_section,
    section_links,
    series_directories,
    series_key,
)
from release.status import looks
from release.steps import Look, Step, by_status
from release.steps.common import add_push_option, add_version, option_path
from release.templating import render
from release.version import ReleaseVersion

STEP = Step(name="docs", order=120, journaled=True, read_only=False,
            summary="Publish the built docs (a numpy/doc-shaped repository, or docs.scipy.org)",
            status=Look(row="docs", order=5, find=looks.docs), resume=by_status)


@dataclass(frozen=True)
class DocsOptions:
    """The options argparse parsed for this step."""

    doc_repo: Path | None
    built: Path | None
    push: bool
    upload_dir: Path | None


UPDATE_SCRIPT = "update.py"
VERSION_WARNING = "_static/versionwarning.js"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    add_push_option(parser, "the doc repository's branch to its remote")
    parser.add_argument("--doc-repo", type=Path, metavar="PATH",
                        help="a clone of the numpy/doc-shaped repository (default: docs.doc_repo)")
    parser.add_argument("--built", type=Path, metavar="DIR",
                        help="the built HTML (default: docs.built_html in the project)")
    parser.add_argument("--upload-dir", type=Path, metavar="DIR",
                        help='doc_site = "docs-scipy-org": the served doc tree to put the release '
                             "folder and the link into (default: docs.upload_dir; without it the "
                             "upload stays yours)")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; there are no docs to merge",
                         hint="pass the release version, e.g. 2.4.0")
    if version.is_prerelease:
        print(f"skipped: documentation is not merged for pre-releases ({version}); nothing to do",
              file=ctx.out)
        return 0
    if ctx.config.doc_site == "docs-scipy-org":
        return _docs_scipy_org(ctx, version)
    if ctx.typed(DocsOptions).upload_dir:
        raise UsageError("--upload-dir is for doc_site = \"docs-scipy-org\"",
                         hint="this project's docs merge into a numpy/doc-shaped repository")
    merge = DocMerge.from_context(ctx, version)
    plan = merge.plan()
    if not plan.actions:
        print(f"the documentation for v{version} is already in {merge.root}; nothing to do",
              file=ctx.out)
        return 0
    ctx.execute(plan)
    if not ctx.dry_run:
        print(f"{merge.root}: {merge.git.head()[:12]} {merge.message}", file=ctx.out)
    return 0


def _docs_scipy_org(ctx: Context, version: ReleaseVersion) -> int:
    cfg = ctx.config.docs
    if version.is_patch and not cfg.patch_releases:
        print(f"skipped: {ctx.config.project} publishes documentation for X.Y.0 releases only "
              f"(docs.patch_releases = false); nothing to do for {version}", file=ctx.out)
        return 0
    if not ctx.typed(DocsOptions).doc_repo and not cfg.doc_repo:
        raise UsageError("no documentation repository given",
                         hint="pass --doc-repo PATH (a clone of scipy/docs.scipy.org) or set "
                              "docs.doc_repo")
    root = option_path(ctx, ctx.typed(DocsOptions).doc_repo, cfg.doc_repo)
    if not root.is_dir():
        raise UsageError(f"documentation repository {root} does not exist", hint="check --doc-repo")
    return scipy_doc_merge.run(ctx, version, root,
                               option_path(ctx, ctx.typed(DocsOptions).built, cfg.built_html))


@dataclass
class DocMerge:
    """Everything the merge reads before deciding anything."""

    ctx: Context
    version: ReleaseVersion
    root: Path
    built: Path
    git: GitService
    index_text: str
    switcher: Switcher

    @classmethod
    def from_context(cls, ctx: Context, version: ReleaseVersion) -> DocMerge:
        cfg = ctx.config.docs
        option = ctx.typed(DocsOptions).doc_repo
        if not option and not cfg.doc_repo:
            raise UsageError("no documentation repository given",
                             hint="pass --doc-repo PATH (a clone of numpy/doc) or set docs.doc_repo")
        root = option_path(ctx, ctx.typed(DocsOptions).doc_repo, cfg.doc_repo)
        if not root.is_dir():
            raise UsageError(f"documentation repository {root} does not exist", hint="check --doc-repo")
        git = ctx.git_at(root)
        built = option_path(ctx, ctx.typed(DocsOptions).built, cfg.built_html)
        if not (built / "index.html").is_file():
            raise PreconditionError(f"{built} holds no built HTML (index.html is missing)",
                                    hint="build the docs first (spin docs), or pass --built DIR")
        index_path, versions_path = root / INDEX, root / VERSIONS
        for path in (index_path, versions_path):
            if not path.is_file():
                raise PreconditionError(f"{path} is missing",
                                        hint="is --doc-repo a clone of the numpy/doc-shaped repository?")
        dirty = git.status_lines()
        if dirty:
            raise PreconditionError(
                f"the documentation repository {root} is not clean ({dirty[0][3:]})",
                hint=f"git -C {root} status; commit or discard the changes, then rerun",
            )
        switcher = Switcher.parse(versions_path.read_text(encoding="utf-8"), str(versions_path))
        return cls(ctx, version, root, built, git, index_path.read_text(encoding="utf-8"), switcher)

    @property
    def series(self) -> str:
        return self.version.series

    @property
    def message(self) -> str:
        cfg = self.ctx.config
        return cfg.docs.doc_commit_message.format(version=self.version, project=cfg.project)

    def is_newest(self) -> bool:
        key = series_key(self.series)
        known = [*series_directories(self.root), self.switcher.stable_series()]
        return all(key >= series_key(s) for s in known if s.replace(".", "").isdigit())

    def downloads(self) -> list[tuple[str, str]]:
        package = self.ctx.config.package
        names = [(f"{package}-html.zip", "HTML+zip"), (f"{package}-ref.pdf", "Reference Guide PDF"),
                 (f"{package}-user.pdf", "User Guide PDF")]
        files = self.files
        return [(f"{self.series}/{name}", label) for name, label in names if name in files]

    @cached_property
    def files(self) -> dict[str, Source]:
        """The series directory's wanted content: the build plus the HTML zip NumPy ships."""
        built = files_under(self.built)
        files: dict[str, Source] = dict(built)
        zip_name = f"{self.ctx.config.package}-html.zip"
        if zip_name not in files:
            files[zip_name] = zip_tree({rel: p for rel, p in built.items()
                                        if not rel.endswith((".zip", ".pdf"))})
        return files

    def new_index(self) -> tuple[str, list[str]]:
        if has_series_link(self.index_text, self.series):
            return self.index_text, []
        section = render("doc-index-section.html.j2", version=str(self.version), series=self.series,
                         project=self.ctx.config.project, downloads=self.downloads())
        return (insert_section(self.index_text, section, str(self.root / INDEX), self.series),
                section_links(section))

    def plan(self) -> Plan:
        index, links = self.new_index()
        newest = self.is_newest()
        switcher = self.switcher.with_series(self.series, self.ctx.config.docs.doc_url)
        changes: list[Action] = [
            SyncTree(self.root, self.series, self.files, str(self.built), unchanged=_post_processed),
            WriteFile(self.root, INDEX, index),
            WriteFile(self.root, VERSIONS, switcher.dump()),
        ]
        if newest:
            changes.append(PointSymlink(self.root, "stable", self.series))
        todo = [a for a in changes if not getattr(a, "is_noop", lambda: False)()]
        plan = Plan(f"merge the v{self.version} documentation into {self.root}")
        if todo:
            plan.extend(todo)
            if (self.root / UPDATE_SCRIPT).is_file():
                plan.add(RunCommand((sys.executable, UPDATE_SCRIPT), runner=self._run_update,
                                    cwd=self.root, note="numpy/doc's own script: version warnings"))
            plan.add(git_command(self.git, self.root, "add", "--all"))
            plan.add(git_command(self.git, self.root, "commit", "--quiet", "-m", self.message))
            self._add_checks(plan, links, newest)
        self._add_push(plan)
        return plan

    def _run_update(self, argv: Sequence[str]) -> None:
        done = subprocess.run(list(argv), cwd=self.root, capture_output=True, text=True,  # noqa: S603 - fixed argv
                              check=False)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise VerificationError(f"{UPDATE_SCRIPT} failed in {self.root}: {last}",
                                    hint=f"run `python3 {UPDATE_SCRIPT}` there by hand to see why")
        for line in done.stdout.splitlines():
            self.ctx.say(f"{UPDATE_SCRIPT}: {line}")

    def _add_checks(self, plan: Plan, links: list[str], newest: bool) -> None:
        plan.verify(f"every link added to {INDEX} opens a file in the repository",
                    lambda: self._check_links(links))
        plan.verify(f"{VERSIONS} is valid JSON with exactly one preferred entry"
                    + (f", {self.series} (stable)" if newest else f", listing {self.series}"),
                    lambda: self._check_switcher(newest))
        if newest:
            plan.verify(f"stable -> {self.series}", self._check_stable)
        if (self.root / UPDATE_SCRIPT).is_file():
            plan.verify(f"{self.series}/ pages load the old-version warning", self._check_warning)
        plan.verify(f"HEAD is {self.message!r} and the work tree is clean", self._check_commit)

    def _check_links(self, links: list[str]) -> None:
        index = (self.root / INDEX).read_text(encoding="utf-8")
        broken = broken_links(self.root, index, [self.series, *links])
        if broken:
            raise VerificationError(f"{INDEX} links to {broken[0]}, which is not a file in {self.root}",
                                    hint=f"look at {self.root / broken[0]}")

    def _check_switcher(self, newest: bool) -> None:
        switcher = Switcher.parse((self.root / VERSIONS).read_text(encoding="utf-8"), VERSIONS)
        if newest:
            entry = switcher.preferred
            if entry["version"] != self.series or entry["name"] != f"{self.series} (stable)":
                raise VerificationError(f"{VERSIONS}: the preferred entry is {entry!r}",
                                        hint=f"it should name {self.series} (stable)")
        elif not switcher.has_plain(self.series):
            raise VerificationError(f"{VERSIONS} does not list {self.series}", hint="edit it by hand")

    def _check_stable(self) -> None:
        link = self.root / "stable"
        if not link.is_symlink() or str(link.readlink()) != self.series:
            raise VerificationError(f"stable does not point at {self.series}",
                                    hint=f"ln -sfn {self.series} stable")

    def _check_warning(self) -> None:
        warning = self.root / VERSION_WARNING
        latest = f'"": "{self.series}"'
        if (self.is_newest() and warning.is_file()
                and latest not in warning.read_text(encoding="utf-8")):
            raise VerificationError(f"{VERSION_WARNING} does not name {self.series} as latest",
                                    hint=f"run python3 {UPDATE_SCRIPT} in {self.root}")
        for doctools in (self.root / self.series).rglob("_static/doctools.js"):
            if "versionwarning.js" not in doctools.read_text(encoding="utf-8"):
                raise VerificationError(f"{doctools} does not load versionwarning.js",
                                        hint=f"run python3 {UPDATE_SCRIPT} in {self.root}")

    def _check_commit(self) -> None:
        subject = self.git.run(["log", "-1", "--format=%s"]).strip()
        if subject != self.message or self.git.status_lines():
            raise VerificationError(f"the doc repository's HEAD is {subject!r}",
                                    hint=f"git -C {self.root} status")

    def _add_push(self, plan: Plan) -> None:
        add_checked_out_push(plan, self.ctx, self.git, self.root, self.ctx.config.docs.doc_remote,
                             push=self.ctx.typed(DocsOptions).push, committed=bool(plan.actions),
                             remote_key="docs.doc_remote")


def _post_processed(rel: str, wanted: bytes, present: bytes) -> bool:
    """update.py appends the version-warning loader to every `_static/doctools.js`; such a file
    is the build plus that line, and counts as up to date."""
    return (rel.endswith("_static/doctools.js") and present.startswith(wanted)
            and b"versionwarning.js" in present[len(wanted):])
