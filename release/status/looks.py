"""Each step's look: a function from the Context and the version to what `status` shows for the
step's result (done, not yet with the command that does it, unknown, skipped). A step names its
look in its `STEP = Step(status=Look(find=...))`."""

from __future__ import annotations

from pathlib import Path

from release.context import Context
from release.errors import UsageError
from release.notes.index import entry_target, has_entry
from release.output import invocation
from release.profiles.versions import after_release, next_candidate
from release.repo.pyproject_file import read_version
from release.services.git import GitService
from release.sites.doc_site import INDEX, has_series_link
from release.sites.news_page import release_url
from release.status import Found, LookOptions, State
from release.status.on_github import OnGitHub
from release.templating import render
from release.version import ReleaseVersion
from release.wheels.file_set import index_report
from release.wheels.matrix import matrix_for


def _option_path(ctx: Context, given: Path | None, configured: str) -> Path:
    """A path option (the CLI has made it relative to where the user is), else the configured
    value (relative to the project)."""
    if given:
        return Path(given).resolve()
    return (ctx.repo / configured).expanduser().resolve()


def _cmd(step: str, version: ReleaseVersion, *args: str) -> str:
    return invocation.command(step, version, *args)


def _branch_sha(git: GitService, branch: str) -> str | None:
    return git.rev_parse(f"refs/heads/{branch}") if git.has_ref(f"refs/heads/{branch}") else None


def _branch_refs(ctx: Context, branch: str) -> list[str]:
    """The local branch, then the upstream remote's tip of it when that differs and this clone
    has its commit (a fetch brings it); `--offline` looks at the local branch only."""
    git, remote = ctx.git, ctx.config.upstream_remote
    refs = [f"refs/heads/{branch}"] if _branch_sha(git, branch) else []
    if ctx.typed(LookOptions).offline or remote not in git.remotes():
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


def release_pr(ctx: Context, version: ReleaseVersion, seen: OnGitHub) -> Found:
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
    detail += seen.open_pull(seen.branches()[0])
    return Found(State.NOT_YET, detail,
               _cmd("prepare", version, "--push") + f", then merge the PR into {branch}")


def tag(ctx: Context, version: ReleaseVersion, seen: OnGitHub) -> Found:
    git, cfg = ctx.git, ctx.config
    tag_name = version.tag(cfg.tag_format)
    local = git.tag_object(tag_name)
    push = _cmd("tag", version, "--push")
    if ctx.typed(LookOptions).offline:
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


def index_files(ctx: Context, version: ReleaseVersion, seen: OnGitHub) -> Found:
    url = ctx.typed(LookOptions).index_url
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


def github_release(ctx: Context, version: ReleaseVersion, seen: OnGitHub) -> Found:
    if ctx.typed(LookOptions).offline:
        return Found(State.UNKNOWN, "not looked at (--offline)")
    if not ctx.github().has_token:
        return Found(State.UNKNOWN, "unknown (no token): drafts are visible only with "
                   "GITHUB_TOKEN or GH_TOKEN")
    tag_name = version.tag(ctx.config.tag_format)
    found = seen.get().release
    publish = _cmd("github-release", version, "--dist", str(ctx.repo / "dist" / str(version)),
                   "--publish")
    if found is None:
        return Found(State.NOT_YET, f"no release for {tag_name} on {ctx.config.github_repo}",
                   publish)
    assets = sorted(found.assets)
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
              "changelog": Path(ctx.path(cfg.changelog, version)).name,
              "checksums": "README.txt", "log": "Changelog"}
    missing = [wanted[kind] for kind in cfg.github.release_assets
               if kind in wanted and wanted[kind] not in present]
    if "sdist" in cfg.github.release_assets and not any(n.endswith(".tar.gz") for n in present):
        missing.append("the sdist")
    return missing


def docs(ctx: Context, version: ReleaseVersion, seen: OnGitHub) -> Found:
    if version.is_prerelease:
        return Found(State.SKIPPED, "documentation is not merged for pre-releases")
    cfg = ctx.config.docs
    if not (ctx.typed(LookOptions).doc_repo or cfg.doc_repo):
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
    opts = ctx.typed(LookOptions)
    root = _option_path(ctx, opts.doc_repo if option == "doc_repo" else opts.website_repo,
                        configured)
    if not root.is_dir():
        flag = "--" + option.replace("_", "-")
        raise UsageError(f"{what} repository {root} does not exist", hint=f"check {flag}")
    return root


def reset_branch(ctx: Context, version: ReleaseVersion, seen: OnGitHub) -> Found:
    candidate = next_candidate(ctx.config, version)
    if not version.is_final and candidate is None:
        return Found(State.SKIPPED, "the maintenance branch is not reset after a pre-release")
    git, cfg = ctx.git, ctx.config
    following, says = candidate or version.next_patch(), after_release(cfg, version)
    maintenance = version.maintenance_branch(cfg.maintenance_branch)
    begin = f"begin-{following}"
    for ref in [*_branch_refs(ctx, maintenance), f"refs/heads/{begin}"]:
        if git.has_ref(ref) and _says(ctx, ref, says):
            tail = f"; merge its pull request into {maintenance}" if begin in ref else ""
            return Found(State.DONE, f"{_ref_name(ctx, ref)} says {says}{tail}"
                         f"{seen.open_pull(begin) if tail else ''}")
    return Found(State.NOT_YET, f"neither {maintenance} nor {begin} says {says}"
                 f"{seen.open_pull(begin)}", _cmd("reset-branch", version, "--push"))


def announcement(ctx: Context, version: ReleaseVersion, seen: OnGitHub) -> Found:
    if version.is_prerelease:
        return Found(State.SKIPPED, "pre-releases are not announced on the website")
    cfg = ctx.config.docs
    if not (ctx.typed(LookOptions).website_repo or cfg.website_repo):
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
    marker = "\x00"
    line = render("news-release-line.md.j2", project=ctx.config.project, version=str(version),
                  url=release_url(ctx.config, version), date=marker)
    return line.split(marker)[0]


def main_updated(ctx: Context, version: ReleaseVersion, seen: OnGitHub) -> Found:
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
                       f"{cfg.release_index} entry{tail}{seen.open_pull(work) if tail else ''}")
    ref = f"refs/heads/{cfg.main_branch}"
    lacks = [f for f in files if git.show_file(ref, f) is None]
    if not has_entry(git.show_file(ref, cfg.release_index) or "", target):
        lacks.append(f"the {cfg.release_index} entry")
    return Found(State.NOT_YET, f"{cfg.main_branch} lacks {', '.join(lacks)}{seen.open_pull(work)}",
               _cmd("post-release", version, "--push"))
