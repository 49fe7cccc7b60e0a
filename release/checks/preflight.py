"""The preflight checks that belong to no single step: versions, tags, branch, tree, files.

Each function looks and returns CheckResults; nothing here changes the repository.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Sequence

from packaging.version import InvalidVersion, Version

from release.changelog.authors import authors_listed
from release.checks.result import CheckResult
from release.context import Context
from release.errors import PreconditionError, ReleaseError
from release.identities.findings import Finding
from release.notes.fragments import load_towncrier
from release.notes.index import entry_target, has_entry
from release.output import invocation
from release.profiles.versions import before_release
from release.repo.pyproject_file import read_version
from release.repo.revision_range import start_tag
from release.version import ReleaseVersion


def require_series(version: ReleaseVersion, pyproject_text: str | None, where: str) -> None:
    """A version the checked-out project cannot be releasing is an error, before anything runs."""
    if pyproject_text is None:
        raise PreconditionError(f"{where} is missing", hint="check --repo")
    try:
        found = Version(read_version(pyproject_text, where))
    except InvalidVersion:
        raise PreconditionError(f"{where} has no valid version",
                                hint="set version = \"X.Y.Z\" in its [project] table") from None
    if found.release[:2] != (version.major, version.minor):
        raise PreconditionError(
            f"{where} says {found}; {version} is not a {found.major}.{found.minor} release",
            hint=f"check the version, or check out {version.maintenance_branch()}")


def version_results(ctx: Context, version: ReleaseVersion) -> list[CheckResult]:
    cfg, git = ctx.config, ctx.git
    results = []
    text = git.show_file("HEAD", cfg.pyproject)
    found = read_version(text, cfg.pyproject) if text is not None else None
    name = f"{cfg.pyproject} version"
    if found == str(version):
        results.append(CheckResult.ok("versions", name, found))
    elif found is not None and before_release(found, version):
        results.append(CheckResult.warn("versions", name, f"{found}; the release PR sets {version}",
                                        invocation.command("prepare", version)))
    else:
        results.append(CheckResult.fail("versions", name, f"{found or 'missing'}, not {version}",
                                        f'set version = "{version}" in {cfg.pyproject}'))
    results += _tag_absent(ctx, version)
    results.append(_start_tag(ctx, version))
    return results


def _tag_absent(ctx: Context, version: ReleaseVersion) -> list[CheckResult]:
    """The release tag exists neither locally nor on the upstream remote (when there is one)."""
    git, remote = ctx.git, ctx.config.upstream_remote
    tag = version.tag(ctx.config.tag_format)
    results = []
    has_remote = remote in git.remotes()
    on_remote = None
    if has_remote:
        try:
            on_remote = git.remote_tag_object(remote, tag)
        except ReleaseError as exc:
            results.append(CheckResult.warn("versions", f"tag {tag} on {remote}",
                                            f"cannot ask {remote}: {exc.message}",
                                            exc.hint or f"git ls-remote --tags {remote} {tag}"))
    local = git.tag_object(tag)
    if local is not None or on_remote is not None:
        where = "locally" if local is not None else f"on {remote}"
        results.append(CheckResult.fail("versions", f"tag {tag}", f"already exists {where}",
                                        "the release was tagged already; check the version"))
    else:
        asked = f"locally and on {remote}" if has_remote else f"locally; no {remote} remote"
        results.append(CheckResult.ok("versions", f"tag {tag}", f"absent ({asked})"))
    if not has_remote:  # offline or not: the remote is local configuration, and tag needs it
        results.append(CheckResult.fail(
            "repository", f"{remote} remote", "missing: tag, prepare and branch push to it",
            f"git remote add {remote} URL, or set upstream_remote in [tool.release]"))
    return results


def _start_tag(ctx: Context, version: ReleaseVersion) -> CheckResult:
    tag, what = start_tag(ctx.config, version, ctx.git.tags())
    if ctx.git.tag_object(tag) is None:
        return CheckResult.fail("versions", f"{what} {tag}", "missing",
                                f"git fetch {ctx.config.upstream_remote} --tags")
    return CheckResult.ok("versions", f"{what} {tag}", "present")


def tree_results(ctx: Context, version: ReleaseVersion) -> list[CheckResult]:
    cfg, git = ctx.config, ctx.git
    wanted = version.format(cfg.release_branch or cfg.maintenance_branch)
    branch = git.current_branch()
    results = []
    if branch == wanted:
        results.append(CheckResult.ok("repository", "branch", wanted))
    else:
        results.append(CheckResult.fail("repository", "branch",
                                        f"on {branch or 'a detached HEAD'}, not {wanted}",
                                        f"git checkout {wanted}"))
    dirty = git.status_lines()
    if dirty:
        results.append(CheckResult.fail("repository", "work tree",
                                        f"{len(dirty)} changed or untracked (first: {dirty[0][3:]})",
                                        "commit or stash them (git status)"))
    else:
        results.append(CheckResult.ok("repository", "work tree", "clean"))
    return results


def file_results(ctx: Context, version: ReleaseVersion) -> list[CheckResult]:
    cfg = ctx.config
    changelog, notes = ctx.path(cfg.changelog, version), ctx.path(cfg.notes, version)
    results = []
    if cfg.credits == "authors":
        results.append(authors_result(ctx, version, notes))
    elif (ctx.repo / changelog).is_file():
        results.append(CheckResult.ok("files", "changelog", changelog))
    else:
        results.append(CheckResult.warn("files", "changelog", f"{changelog} does not exist yet",
                                        invocation.command("changelog", version)))
    notes_file = ctx.repo / notes
    include = _towncrier_include(ctx)
    if not notes_file.is_file():
        results.append(CheckResult.fail("files", "notes", f"{notes} does not exist",
                                        invocation.command("notes", version)))
    elif version.is_final and include and f".. include:: {include}" in notes_file.read_text(
            encoding="utf-8"):
        results.append(CheckResult.warn("files", "notes", f"{notes} still includes {include}",
                                        "merge the towncrier output into the notes and drop the include"))
    else:
        results.append(CheckResult.ok("files", "notes", notes))
    index = ctx.repo / cfg.release_index
    target = entry_target(cfg.release_index, notes)
    if index.is_file() and has_entry(index.read_text(encoding="utf-8"), target):
        results.append(CheckResult.ok("files", "release index", f"{cfg.release_index} lists {target}"))
    else:
        results.append(CheckResult.fail("files", "release index",
                                        f"{cfg.release_index} does not list {target}",
                                        invocation.command("notes", version)
                                        + f" (adds `{version.base} <{target}>`)"))
    return results


def authors_result(ctx: Context, version: ReleaseVersion, notes: str) -> CheckResult:
    """Under `credits = "authors"` the notes hold the Authors list: a skeleton's lone
    `* Name (commits)` line means it is still to be filled."""
    path = ctx.repo / notes
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    listed = authors_listed(text)
    if listed:
        return CheckResult.ok("files", "authors", f"{notes} lists {listed} authors")
    return CheckResult.warn("files", "authors", f"{notes} has no Authors list yet",
                            invocation.command("notes", version))


def _towncrier_include(ctx: Context) -> str | None:
    """The file name the notes include for towncrier's output (NumPy: notes-towncrier.rst);
    None when towncrier is not set up (the fragments rows report that)."""
    try:
        return posixpath.basename(load_towncrier(ctx.repo, ctx.config.pyproject).output)
    except PreconditionError:
        return None


def mailmap_summary(findings: Sequence[Finding], version: ReleaseVersion) -> CheckResult:
    """The identities row: errors fail it; other findings are counted by kind in a warning."""
    errors = [finding.detail for finding in findings if finding.is_error]
    if errors:
        return CheckResult.fail("mailmap", "identities", "; ".join(errors),
                                "fix the .mailmap line (git skips it)")
    if findings:
        counts = Counter(finding.kind for finding in findings)
        detail = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
        return CheckResult.warn("mailmap", "identities", f"{len(findings)} problems: {detail}",
                                invocation.command("mailmap", version))
    return CheckResult.ok("mailmap", "identities", "no identity problems")
