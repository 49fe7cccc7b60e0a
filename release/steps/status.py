"""Where a release stands: one row per walkthrough step, looked up in the repository, its
remotes, the package index, GitHub and the doc and website repositories. Read only: it changes
nothing, and it exits 0 whenever it could look (it is a report, not a gate)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from rich.table import Table

from release.context import Context
from release.errors import ReleaseError, UsageError
from release.journal import journal_path, last_success, read_entries
from release.notes.index import entry_target, has_entry
from release.output import invocation
from release.profiles.versions import after_release
from release.repo.pyproject_file import read_version
from release.services.git import GitService
from release.sites.doc_site import INDEX, has_series_link
from release.steps import Step, steps
from release.steps.common import (
    COULD_NOT_LOOK,
    NOT_DONE,
    add_json_option,
    add_version,
    option_path,
    write_json,
)
from release.steps.wheels import index_report
from release.templating import render
from release.version import ReleaseVersion
from release.wheels.matrix import matrix_for


class State(StrEnum):
    DONE = "done"
    NOT_YET = "not yet"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"


_STYLE = {State.DONE: "green", State.NOT_YET: "yellow", State.UNKNOWN: "dim",
          State.SKIPPED: "dim"}


@dataclass(frozen=True)
class Found:
    """What a step's look found, and for `not yet` the command that does it."""

    state: State
    detail: str
    next: str = ""


@dataclass(frozen=True)
class Row:
    """One walkthrough step's row: the step's look (see its `Step.status`) and what it found."""

    step: str
    state: State
    detail: str
    next: str = ""


STEP = Step(name="status", summary="Show which steps of a release are done, from the real remotes",
            order=180, journaled=False, read_only=True, status=None, resume=None)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    parser.add_argument("--offline", action="store_true",
                        help="look only at the local repository (no remotes, no GitHub)")
    parser.add_argument("--index-url", metavar="URL",
                        help="the package index to look for the release's files (root or simple URL)")
    parser.add_argument("--doc-repo", metavar="PATH",
                        help="a clone of the numpy/doc-shaped repository (default: docs.doc_repo)")
    parser.add_argument("--website-repo", metavar="PATH",
                        help="a clone of the numpy.org-shaped website (default: docs.website_repo)")
    add_json_option(parser, "every step's state")


EXIT_STATUS = ("0  every applicable step is done (skipped ones count)",
               "3  a step is not done yet",
               "4  a place could not be looked at, and no step is known to be not done",
               "2  bad input (a usage error); 1 another error")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; look at a release",
                         hint=f"nox -s status -- {version.base}")
    ctx.git  # noqa: B018 - a path that is not a repository is bad input, reported before looking
    rows = with_journal(ctx, version, [look(ctx, version, step) for step in looked_at()])
    states = {row.state for row in rows}
    code = NOT_DONE if State.NOT_YET in states else COULD_NOT_LOOK if State.UNKNOWN in states else 0
    if ctx.option("json"):
        write_json(ctx, "status", {
            "project": ctx.config.project, "release": str(version), "done": code == 0,
            "exit_code": code,
            "steps": [{"step": row.step, "state": str(row.state), "detail": row.detail,
                       "next": row.next} for row in rows]})
    else:
        ctx.out.write(table(rows, f"Status of {ctx.config.project} {version}"))
    return code


def looked_at() -> list[Step]:
    """The steps with a status row, in the table's order."""
    found = [step for step in steps() if step.status is not None]
    return sorted(found, key=lambda step: step.status.order if step.status else 0)


def look(ctx: Context, version: ReleaseVersion, step: Step) -> Row:
    """`step`'s row; a place that cannot be looked at (a remote down, a file unreadable) is
    `unknown`."""
    assert step.status is not None
    try:
        found = step.status.find(ctx, version)
    except ReleaseError as exc:
        found = Found(State.UNKNOWN, f"could not look: {exc.message}", exc.hint or "")
    return Row(step.status.row, found.state, found.detail, found.next)


def with_journal(ctx: Context, version: ReleaseVersion, rows: list[Row]) -> list[Row]:
    """Each row with what the release journal says of its step: when it finished, or that it
    finished but its result is not where it should be."""
    entries = read_entries(journal_path(ctx.git, version))
    by_name = {step.status.row: step.name for step in looked_at()
               if step.status is not None and step.journaled}
    found = []
    for row in rows:
        entry = last_success(entries, by_name[row.step]) if row.step in by_name else None
        if entry is not None and row.state is State.DONE:
            row = replace(row, detail=f"{row.detail}; the journal: `{entry.step}` finished "
                                      f"{entry.ended}")
        elif entry is not None and row.state is State.NOT_YET:
            row = replace(row, detail=f"{row.detail}; the journal says `{entry.step}` finished "
                                      f"{entry.ended}, but its result is not there (interrupted "
                                      "after that, or undone since)")
        elif entry is not None and row.state is State.UNKNOWN:
            row = replace(row, detail=f"{row.detail}; the journal says `{entry.step}` finished "
                                      f"{entry.ended}")
        found.append(row)
    return found


def _cmd(step: str, version: ReleaseVersion, *args: str) -> str:
    return invocation.command(step, version, *args)


def _branch_sha(git: GitService, branch: str) -> str | None:
    return git.rev_parse(f"refs/heads/{branch}") if git.has_ref(f"refs/heads/{branch}") else None


def _branch_refs(ctx: Context, branch: str) -> list[str]:
    """The local branch, then the upstream remote's tip of it when that differs and this clone
    has its commit (a fetch brings it); `--offline` looks at the local branch only."""
    git, remote = ctx.git, ctx.config.upstream_remote
    refs = [f"refs/heads/{branch}"] if _branch_sha(git, branch) else []
    if ctx.option("offline") or remote not in git.remotes():
        return refs
    tips = [r.sha for r in git.remote_refs(remote, f"refs/heads/{branch}")
            if r.name == f"refs/heads/{branch}"]
    if tips and git.ok(["cat-file", "-e", f"{tips[0]}^{{commit}}"]) and (
            not refs or git.rev_parse(refs[0]) != tips[0]):
        refs.append(tips[0])
    return refs


def _ref_name(ctx: Context, ref: str) -> str:
    if ref.startswith(("refs/heads/", "refs/tags/")):
        return ref.removeprefix("refs/heads/").removeprefix("refs/tags/")
    return f"{ctx.config.upstream_remote}'s tip {ref[:12]}"


def _says(ctx: Context, ref: str, wanted: str) -> bool:
    text = ctx.git.show_file(ref, ctx.config.pyproject)
    return text is not None and read_version(text, f"{ref}:{ctx.config.pyproject}") == wanted


def _release_files(ctx: Context, version: ReleaseVersion) -> list[str]:
    notes = ctx.path(ctx.config.notes, version)
    if ctx.config.credits == "authors":  # the credits are in the notes
        return [notes]
    return [notes, ctx.path(ctx.config.changelog, version)]


def release_pr(ctx: Context, version: ReleaseVersion) -> Found:
    """The release commit: the tag's commit, else the maintenance branch, says VERSION and holds
    the notes and changelog."""
    git, cfg = ctx.git, ctx.config
    branch = version.maintenance_branch(cfg.maintenance_branch)
    tag_name = version.tag(cfg.tag_format)
    refs = [f"refs/tags/{tag_name}"] if git.tag_object(tag_name) else []
    refs += _branch_refs(ctx, branch)
    if not refs:
        return Found(State.NOT_YET, f"there is no local branch {branch}",
                   f"git fetch {cfg.upstream_remote} {branch}:{branch}")
    files = _release_files(ctx, version)
    for ref in refs:
        if _says(ctx, ref, str(version)) and all(git.show_file(ref, f) is not None for f in files):
            return Found(State.DONE, f"{_ref_name(ctx, ref)} says {version} and has {', '.join(files)}")
    missing = [f for f in files if git.show_file(refs[-1], f) is None]
    text = git.show_file(refs[-1], cfg.pyproject)
    says = read_version(text, cfg.pyproject) if text is not None else "nothing"
    detail = f"{branch} says {says}" + (f"; lacks {', '.join(missing)}" if missing else "")
    return Found(State.NOT_YET, detail,
               _cmd("prepare", version, "--push") + f", then merge the PR into {branch}")


def tag(ctx: Context, version: ReleaseVersion) -> Found:
    git, cfg = ctx.git, ctx.config
    tag_name = version.tag(cfg.tag_format)
    local = git.tag_object(tag_name)
    push = _cmd("tag", version, "--push")
    if ctx.option("offline"):
        if local is None:
            return Found(State.NOT_YET, f"no local tag {tag_name}", push)
        return Found(State.UNKNOWN, f"{tag_name} is local ({local[:12]}); "
                   f"{cfg.upstream_remote} not looked at (--offline)")
    remote = git.remote_tag_object(cfg.upstream_remote, tag_name)
    if local is not None and remote == local:
        return Found(State.DONE, f"{tag_name} -> {local[:12]}, the same on {cfg.upstream_remote}")
    if local is None and remote is None:
        return Found(State.NOT_YET, f"no tag {tag_name} here or on {cfg.upstream_remote}", push)
    if remote is None:
        return Found(State.NOT_YET, f"{tag_name} is local only, not on {cfg.upstream_remote}",
                   push)
    if local is None:
        return Found(State.NOT_YET, f"{cfg.upstream_remote} has {tag_name}, this clone does not",
                   f"git fetch {cfg.upstream_remote} tag {tag_name}")
    return Found(State.NOT_YET, f"{tag_name} here ({local[:12]}) differs from "
               f"{cfg.upstream_remote}'s ({remote[:12]})",
               f"git ls-remote {cfg.upstream_remote} refs/tags/{tag_name}; sort it out by hand")


def index_files(ctx: Context, version: ReleaseVersion) -> Found:
    url = ctx.option("index_url")
    if not url:
        return Found(State.UNKNOWN, "not looked at: pass --index-url URL")
    report = index_report(matrix_for(ctx.config, version), version, ctx.index(str(url)))
    summary = f"{report.found_expected} of {len(report.expected)} expected files"
    if report.ok:
        return Found(State.DONE, f"{summary} at {report.where}")
    problems = "; ".join(f"{label}: {len(names)}" for label, names in report.problems())
    dist = ctx.repo / "dist" / str(version)
    nxt = (_cmd("upload", version, "--dist", str(dist), "--upload") if dist.is_dir()
           else _cmd("wheels", version, "--dispatch") + ", then " +
           _cmd("upload", version, "--dist", str(dist), "--upload"))
    return Found(State.NOT_YET, f"{summary} ({problems})", nxt)


def github_release(ctx: Context, version: ReleaseVersion) -> Found:
    if ctx.option("offline"):
        return Found(State.UNKNOWN, "not looked at (--offline)")
    service = ctx.github()
    if not service.has_token:
        return Found(State.UNKNOWN, "unknown (no token): drafts are visible only with "
                   "GITHUB_TOKEN or GH_TOKEN")
    tag_name = version.tag(ctx.config.tag_format)
    found = ctx.releases(service).find(tag_name)
    publish = _cmd("github-release", version, "--dist", str(ctx.repo / "dist" / str(version)),
                   "--publish")
    if found is None:
        return Found(State.NOT_YET, f"no release for {tag_name} on {ctx.config.github_repo}",
                   publish)
    assets = sorted(asset.name for asset in found.assets)
    if found.draft:
        return Found(State.NOT_YET, f"a draft for {tag_name} with {len(assets)} assets",
                   publish)
    missing = _missing_assets(ctx, version, assets)
    if missing:
        return Found(State.NOT_YET, f"published without {', '.join(missing)}", publish)
    kind = "pre-release" if found.prerelease else "release"
    return Found(State.DONE, f"{kind} {found.title!r} published with {', '.join(assets)}")


def _missing_assets(ctx: Context, version: ReleaseVersion, present: list[str]) -> list[str]:
    """The configured assets whose names are known without building them."""
    cfg = ctx.config
    wanted = {"readme": "README.rst",
              "notes": Path(ctx.path(cfg.notes, version)).name,
              "changelog": Path(ctx.path(cfg.changelog, version)).name}
    missing = [wanted[kind] for kind in cfg.github.release_assets
               if kind in wanted and wanted[kind] not in present]
    if "sdist" in cfg.github.release_assets and not any(n.endswith(".tar.gz") for n in present):
        missing.append("the sdist")
    return missing


def docs(ctx: Context, version: ReleaseVersion) -> Found:
    if version.is_prerelease:
        return Found(State.SKIPPED, "documentation is not merged for pre-releases")
    cfg = ctx.config.docs
    if not (ctx.option("doc_repo") or cfg.doc_repo):
        return Found(State.UNKNOWN, "not looked at: pass --doc-repo PATH")
    root = _side_repo(ctx, "doc_repo", cfg.doc_repo, "documentation")
    git = ctx.git_at(root)
    message = cfg.doc_commit_message.format(version=version, project=ctx.config.project)
    committed = git.run(["log", "--format=%h", "--fixed-strings", f"--grep={message}", "HEAD"])
    index = root / INDEX
    linked = index.is_file() and has_series_link(index.read_text(encoding="utf-8"), version.series)
    if committed.strip() or (version.is_feature and linked and (root / version.series).is_dir()):
        return Found(State.DONE, f"{root} has the {version.series} documentation"
                   + (f" ({message!r})" if committed.strip() else ""))
    if version.is_patch:
        return Found(State.SKIPPED, f"{root} has no commit {message!r}; a patch release's "
                   "docs are merged only when wanted")
    return Found(State.NOT_YET, f"{root} does not link {version.series}",
               _cmd("docs", version, "--doc-repo", str(root), "--built", "DIR", "--push"))


def _side_repo(ctx: Context, option: str, configured: str, what: str) -> Path:
    """The doc or website clone named by --doc-repo/--website-repo or the config."""
    root = option_path(ctx, option, configured)
    if not root.is_dir():
        flag = "--" + option.replace("_", "-")
        raise UsageError(f"{what} repository {root} does not exist", hint=f"check {flag}")
    return root


def reset_branch(ctx: Context, version: ReleaseVersion) -> Found:
    if not version.is_final:
        return Found(State.SKIPPED, "the maintenance branch is not reset after a pre-release")
    git, cfg = ctx.git, ctx.config
    following, says = version.next_patch(), after_release(cfg, version)
    maintenance = version.maintenance_branch(cfg.maintenance_branch)
    begin = f"begin-{following}"
    for ref in [*_branch_refs(ctx, maintenance), f"refs/heads/{begin}"]:
        if git.has_ref(ref) and _says(ctx, ref, says):
            tail = f"; merge its pull request into {maintenance}" if begin in ref else ""
            return Found(State.DONE, f"{_ref_name(ctx, ref)} says {says}{tail}")
    return Found(State.NOT_YET, f"neither {maintenance} nor {begin} says {says}",
               _cmd("reset-branch", version, "--push"))


def announcement(ctx: Context, version: ReleaseVersion) -> Found:
    if version.is_prerelease:
        return Found(State.SKIPPED, "pre-releases are not announced on the website")
    cfg = ctx.config.docs
    if not (ctx.option("website_repo") or cfg.website_repo):
        return Found(State.UNKNOWN, "not looked at: pass --website-repo PATH")
    root = _side_repo(ctx, "website_repo", cfg.website_repo, "website")
    git = ctx.git_at(root)
    line = _release_line_start(ctx, version)
    branch = version.format(cfg.website_branch, package=ctx.config.package)
    refs = ["HEAD", cfg.website_base] + ([branch] if git.has_ref(f"refs/heads/{branch}") else [])
    for ref in refs:
        text = git.show_file(ref, cfg.news_file) if ref == "HEAD" or git.has_ref(ref) else None
        if text is not None and line in text:
            return Found(State.DONE, f"{cfg.news_file} on {ref} lists {ctx.config.project} "
                       f"{version}")
    return Found(State.NOT_YET, f"{cfg.news_file} does not list {ctx.config.project} {version}",
               _cmd("announce", version, "--website-repo", str(root), "--push", "--send"))


def _release_line_start(ctx: Context, version: ReleaseVersion) -> str:
    """The releases-list line up to its date (the date is the day it was announced)."""
    from release.steps.announce import release_url

    marker = "\x00"
    line = render("news-release-line.md.j2", project=ctx.config.project, version=str(version),
                  url=release_url(ctx, version), date=marker)
    return line.split(marker)[0]


def main_updated(ctx: Context, version: ReleaseVersion) -> Found:
    if not version.is_final:
        return Found(State.SKIPPED, "main is not updated after a pre-release")
    git, cfg = ctx.git, ctx.config
    files = _release_files(ctx, version)
    target = entry_target(cfg.release_index, files[0])
    work = f"post-{version}-release-update"
    for ref in [*_branch_refs(ctx, cfg.main_branch), f"refs/heads/{work}"]:
        if not git.has_ref(ref):
            continue
        index = git.show_file(ref, cfg.release_index) or ""
        if all(git.show_file(ref, f) is not None for f in files) and has_entry(index, target):
            tail = f"; merge its pull request into {cfg.main_branch}" if work in ref else ""
            return Found(State.DONE, f"{_ref_name(ctx, ref)} has the notes, changelog and "
                       f"{cfg.release_index} entry{tail}")
    ref = f"refs/heads/{cfg.main_branch}"
    lacks = [f for f in files if git.show_file(ref, f) is None]
    if not has_entry(git.show_file(ref, cfg.release_index) or "", target):
        lacks.append(f"the {cfg.release_index} entry")
    return Found(State.NOT_YET, f"{cfg.main_branch} lacks {', '.join(lacks)}",
               _cmd("post-release", version, "--push"))


def table(rows: list[Row], title: str) -> str:
    grid = Table(title=title, title_justify="left")
    for column in ("step", "status", "detail", "next"):
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(row.step, f"[{_STYLE[row.state]}]{row.state.value}[/]", row.detail,
                     row.next if row.state is not State.DONE else "")
    return invocation.render(grid)
