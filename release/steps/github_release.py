"""The GitHub release: body from the notes, the sdist, README.rst and changelog as assets (SciPy:
the sdist, README.txt with the checksums of every distribution, and Changelog, the `git log`).

Releases are immutable once published, so the order is GitHub's own advice: a draft, every
asset uploaded, every asset checked (name, size, sha256), and only then publish. `--draft`
stages and verifies the draft; `--publish` also publishes. Without either, the step writes
`release/README.rst` and `release/README.md` (what tools/write_release.py writes) and shows
what it would do on GitHub. A rerun picks up the draft and repairs only what is missing or
wrong; a published release is checked and never touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import jinja2

from release.context import Context
from release.errors import ConfigError, PreconditionError, UsageError, VerificationError
from release.notes.authors_section import without_lists
from release.plan import READ, Call, DryRunExecutor, Plan, WriteFile
from release.repo.preconditions import require_remote
from release.repo.revision_range import infer_start
from release.services.github_releases import GitHubReleases, RemoteRelease
from release.status import looks
from release.steps import Look, Step, by_status
from release.steps.common import add_version
from release.version import ReleaseVersion

if TYPE_CHECKING:
    from release.services.pypi import PackageIndex
from release.wheels.assets import (
    LocalAsset,
    RemoteAsset,
    check_kinds,
    checksums,
    compare,
    find_sdist,
    read_sdist,
)
from release.wheels.matrix import matrix_for, sdist_name
from release.wheels.release_body import release_markdown

STEP = Step(name="github-release", order=100, journaled=True, read_only=False,
            summary="Make the GitHub release; verify assets",
            status=Look(row="GitHub release", order=4, find=looks.github_release), resume=by_status)


@dataclass(frozen=True)
class GitHubReleaseOptions:
    """The options argparse parsed for this step."""

    dist: Path | None
    draft: bool
    index_url: str | None
    publish: bool
    sdist: Path | None


BODY_LIMIT = 125_000  # GitHub refuses longer release bodies
OUT_DIR = "release"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    parser.add_argument("--dist", type=Path, metavar="DIR",
                        help="directory holding the sdist (the file uploaded to the package index)")
    parser.add_argument("--sdist", type=Path, metavar="PATH", help="the sdist itself")
    parser.add_argument("--index-url", metavar="URL",
                        help="check that the sdist is the one this index serves (its simple API, "
                             "e.g. https://pypi.org/simple/)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--draft", action="store_true",
                      help="create or repair the draft release and its assets on GitHub and verify "
                           "them; do not publish")
    mode.add_argument("--publish", action="store_true",
                      help="do what --draft does, then publish the release (immutable: no undo)")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; it gets no GitHub release",
                         hint="give the release version, e.g. 2.4.0 or 2.4.0rc1")
    spec = ReleaseSpec.build(ctx, version)
    opts = ctx.typed(GitHubReleaseOptions)
    mode = "publish" if opts.publish else "draft" if opts.draft else ""
    github = ctx.releases()
    if not mode and not github.service.has_token:
        plan = build_plan(ctx, spec, github, None, "")
        plan.notes.append("no GITHUB_TOKEN (or GH_TOKEN), so the release on GitHub was not looked at")
        ctx.execute(plan)
        return 0
    existing = github.find(spec.tag)
    if existing is not None and not existing.draft:
        _write_local(ctx, spec, github)  # what a run stopped after publishing had not written
        return check_published(ctx, spec, existing)
    plan = build_plan(ctx, spec, github, existing, mode)
    ctx.execute(plan)
    if not mode:
        preview = build_plan(ctx, spec, github, existing, "publish", local=False)
        preview.title = "on GitHub, with --draft (up to the check) or --publish (all)"
        DryRunExecutor(ctx.out).execute(preview)
    elif not ctx.dry_run:
        done = github.find(spec.tag)
        state = "draft" if done is None or done.draft else "published"
        print(f"{spec.tag} ({state}): {done.url if done else ''}", file=ctx.out)
    return 0


@dataclass(frozen=True)
class ReleaseSpec:
    """Everything the release should be, computed from the tag before anything is changed."""

    version: ReleaseVersion
    tag: str
    title: str
    prerelease: bool
    readme_rst: str
    body: str
    assets: tuple[LocalAsset, ...]

    @classmethod
    def build(cls, ctx: Context, version: ReleaseVersion) -> ReleaseSpec:
        cfg = ctx.config
        tag = version.tag(cfg.tag_format)
        check_tag(ctx, tag, version)
        check_kinds(cfg.github.release_assets)
        notes_path = ctx.path(cfg.notes, version)
        notes = _file_at(ctx, tag, notes_path, "notes")
        # SciPy's release descriptions leave out the issue and pull-request lists
        body = release_markdown(without_lists(notes) if cfg.credits == "authors" else notes)
        if len(body) > BODY_LIMIT:
            raise PreconditionError(
                f"the release body is {len(body)} characters; GitHub takes at most {BODY_LIMIT}",
                hint=f"shorten {notes_path}",
            )
        return cls(version, tag, _title(ctx, version, tag), version.is_prerelease, notes, body,
                   _assets(ctx, version, tag, notes_path, notes))


def _title(ctx: Context, version: ReleaseVersion, tag: str) -> str:
    pattern = ctx.config.github.release_title
    when = tag_date(ctx, tag)
    try:
        return pattern.format(version=version, date=when, tag=tag, project=ctx.config.project)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"release_title {pattern!r} cannot be filled: {exc}",
                          hint="use {version}, {tag}, {project} and {date} (e.g. {date:%B %d, %Y})"
                          ) from None


def tag_date(ctx: Context, tag: str) -> dt.date:
    """The tag's date (the tagger's for an annotated tag): the day the release was made."""
    out = ctx.git.run(["for-each-ref", "--format=%(creatordate:short)", f"refs/tags/{tag}"])
    return dt.date.fromisoformat(out.strip())


def check_tag(ctx: Context, tag: str, version: ReleaseVersion) -> None:
    git, remote = ctx.git, ctx.config.upstream_remote
    local = git.tag_object(tag)
    if local is None:
        raise PreconditionError(f"there is no tag {tag} here",
                                hint=f"tag and push the release first: nox -s tag -- {version} --push")
    require_remote(git, remote, "upstream_remote")
    there = git.remote_tag_object(remote, tag)
    if there is None:
        raise PreconditionError(
            f"{tag} is not on {remote}; GitHub would create the tag itself from a branch",
            hint=f"push it first: nox -s tag -- {version} --push",
        )
    if there != local:
        raise PreconditionError(f"{tag} on {remote} ({there[:12]}) is not the local tag "
                                f"({local[:12]})", hint=f"git fetch {remote} --tags and look")


def _file_at(ctx: Context, tag: str, path: str, kind: str) -> str:
    text = ctx.git.show_file(tag, path)
    if text is None:
        raise PreconditionError(f"the {kind} {path} is not in {tag}",
                                hint="the release PR must add it before tagging")
    return text


def _assets(ctx: Context, version: ReleaseVersion, tag: str, notes_path: str,
            notes: str) -> tuple[LocalAsset, ...]:
    cfg = ctx.config
    assets: list[LocalAsset] = []
    for kind in cfg.github.release_assets:
        if kind == "readme":
            assets.append(LocalAsset(kind, "README.rst", notes.encode(), f"{tag}:{notes_path}"))
        elif kind == "notes":
            assets.append(LocalAsset(kind, PurePosixPath(notes_path).name, notes.encode(),
                                     f"{tag}:{notes_path}"))
        elif kind == "changelog":
            path = ctx.path(cfg.changelog, version)
            text = _file_at(ctx, tag, path, "changelog")
            assets.append(LocalAsset(kind, PurePosixPath(path).name, text.encode(), f"{tag}:{path}"))
        elif kind == "sdist":
            assets.append(_sdist(ctx, version, tag))
        elif kind == "checksums":
            assets.append(_readme_with_checksums(ctx, version, tag, notes_path, notes))
        elif kind == "log":
            assets.append(_git_log(ctx, version, tag))
    names = [asset.name for asset in assets]
    if len(set(names)) != len(names):
        raise ConfigError(f"two release assets share a name: {', '.join(names)}",
                          hint="list each kind once in release_assets")
    return tuple(assets)


def _sdist(ctx: Context, version: ReleaseVersion, tag: str) -> LocalAsset:
    pyproject = _file_at(ctx, tag, ctx.config.pyproject, "pyproject")
    project_name = str(tomllib.loads(pyproject).get("project", {}).get("name", ctx.config.package))
    name = sdist_name(project_name, str(version))
    given, dist = ctx.typed(GitHubReleaseOptions).sdist, ctx.typed(GitHubReleaseOptions).dist
    if given is None and dist is None:
        raise PreconditionError(f"the sdist {name} is needed as a release asset",
                                hint="pass --dist DIR (with the file from the package index) or "
                                     "--sdist PATH")
    path = given if given is not None else find_sdist(dist, name) if dist is not None else None
    assert path is not None  # one of the two, checked above
    asset = read_sdist(path, name, project_name, str(version))
    index_url = ctx.typed(GitHubReleaseOptions).index_url
    if index_url:
        check_index(ctx.index(str(index_url)), str(index_url), project_name, asset)
    return asset


def _readme_with_checksums(ctx: Context, version: ReleaseVersion, tag: str, notes_path: str,
                           notes: str) -> LocalAsset:
    """README.txt: the notes, then the md5 and sha256 of every file of the release's matrix in
    --dist (what goes to PyPI), as SciPy's tools/release/write_release_and_log.py appends them."""
    dist = ctx.typed(GitHubReleaseOptions).dist
    matrix = matrix_for(ctx.config, version)
    if dist is None:
        raise PreconditionError("README.txt lists the checksums of the release's files",
                                hint="pass --dist DIR with the wheels and the sdist uploaded to "
                                     "the package index")
    expected = [Path(dist) / item.filename for item in matrix.files(str(version))]
    missing = [path.name for path in expected if not path.is_file()]
    if missing:
        raise PreconditionError(
            f"README.txt needs the checksums of all {len(expected)} files of {version}; "
            f"{len(missing)} are not in {dist}: {', '.join(missing[:3])}"
            + (f" (+{len(missing) - 3} more)" if len(missing) > 3 else ""),
            hint="download every file the release put on the package index into --dist")
    try:
        text = ctx.render("release-readme.txt.j2", notes=notes, files=checksums(expected))
    except jinja2.TemplateNotFound:
        raise ConfigError("the `checksums` release asset is SciPy's README.txt; this profile has "
                          "no template for it",
                          hint='use profile = "scipy", or a `templates` folder with your own '
                               "release-readme.txt.j2") from None
    return LocalAsset("checksums", "README.txt", text.encode(),
                      f"{tag}:{notes_path} and {len(expected)} files in {dist}")


def _git_log(ctx: Context, version: ReleaseVersion, tag: str) -> LocalAsset:
    """Changelog: `git log` of the release's range (from the previous release's tag), as
    SciPy's tools/release/write_release_and_log.py writes it."""
    start = infer_start(ctx.git, ctx.config, version)
    text = ctx.git.run(["log", "--no-decorate", "--no-color", "--no-show-signature",
                        f"{start}..{tag}"])
    return LocalAsset("log", "Changelog", text.encode(), f"git log {start}..{tag}")


def check_index(index: PackageIndex, index_url: str, project_name: str, asset: LocalAsset) -> None:
    """The sdist on GitHub must be the very file the package index serves."""
    listed = index.files(project_name).get(asset.name)
    if listed is None:
        raise PreconditionError(f"{asset.name} is not on the index {index_url}",
                                hint="upload it first (nox -s upload), or drop --index-url")
    if listed.sha256 != asset.sha256:
        raise PreconditionError(
            f"{asset.name} here (sha256 {asset.sha256[:12]}…) is not the index's "
            f"({listed.sha256[:12] or 'no hash'}…)",
            hint=f"download the sdist from {index_url} and pass it with --sdist",
        )


# -- the plan ------------------------------------------------------------------------------------


class _Draft:
    """The draft being worked on; its id is known only once it exists."""

    def __init__(self, existing: RemoteRelease | None) -> None:
        self.release = existing

    @property
    def id(self) -> int:
        assert self.release is not None, "the draft is created by an earlier action"
        return self.release.id


def build_plan(ctx: Context, spec: ReleaseSpec, github: GitHubReleases,
               existing: RemoteRelease | None, mode: str, *, local: bool = True) -> Plan:
    plan = Plan(f"GitHub release {spec.tag} on {ctx.config.github_repo}")
    if mode:
        _remote_actions(plan, spec, github, existing, publish=mode == "publish")
    if local:
        body_file = f"{OUT_DIR}/README.md"
        plan.add(WriteFile(ctx.repo, f"{OUT_DIR}/README.rst", spec.readme_rst))
        plan.add(WriteFile(ctx.repo, body_file, spec.body))
        for asset in spec.assets:
            if asset.kind in ("checksums", "log"):  # where SciPy's tool writes them
                plan.add(WriteFile(ctx.repo, f"{OUT_DIR}/{asset.name}", asset.data.decode(),
                                   diff=False))
    if not mode and local:
        plan.notes.append("nothing is sent to GitHub without --draft or --publish")
    return plan


def _remote_actions(plan: Plan, spec: ReleaseSpec, github: GitHubReleases,
                    existing: RemoteRelease | None, *, publish: bool) -> None:
    draft = _Draft(existing)
    kind = "pre-release" if spec.prerelease else "release"
    if existing is None:
        plan.add(Call(f"create draft {kind} {spec.tag} titled {spec.title!r} with the body of "
                      f"{OUT_DIR}/README.md ({len(spec.body.splitlines())} lines)",
                      lambda: setattr(draft, "release", github.create_draft(
                          spec.tag, spec.title, spec.body, spec.prerelease)),
                      undo=f"delete the draft release {spec.tag} on GitHub (gh release delete "
                           f"{spec.tag} -R {github.service.repo_name})"))
        comparison = compare(spec.assets, ())
    else:
        changed = _changed_fields(spec, existing)
        if changed:
            plan.add(Call(f"update draft {spec.tag} (id {existing.id}): {', '.join(changed)}",
                          lambda: github.update(draft.id, spec.title, spec.body, spec.prerelease)))
        comparison = compare(spec.assets, existing.assets)
    for remote in comparison.extra:
        plan.add(_delete(github, draft, remote, "not one of this release's assets"))
    for remote, asset in comparison.replace:
        plan.add(_delete(github, draft, remote, "it differs from the file here"))
        plan.add(_upload(github, draft, asset))
    for asset in comparison.upload:
        plan.add(_upload(github, draft, asset))
    for asset in comparison.keep:
        plan.notes.append(f"{asset.name} is already on the draft with the same size and sha256")
    check_summary = ("the draft has exactly these assets, each with the same size and sha256: "
                     + ", ".join(a.name for a in spec.assets))
    if publish:
        plan.add(Call("check: " + check_summary, lambda: verify_assets(github, draft.id, spec),
                      effect=READ))
        plan.add(Call(f"publish {spec.tag} (draft -> published; immutable from then on)",
                      lambda: github.update(draft.id, spec.title, spec.body, spec.prerelease,
                                            draft=False),
                      undo="a published release is immutable; it can only be deleted on GitHub"))
        plan.verify(f"{spec.tag} is published with exactly its {len(spec.assets)} assets",
                    lambda: verify_published(github, spec))
    else:
        plan.verify(check_summary, lambda: verify_assets(github, draft.id, spec))
        plan.notes.append("the draft is not published; rerun with --publish once it looks right")


def _delete(github: GitHubReleases, draft: _Draft, remote: RemoteAsset, why: str) -> Call:
    return Call(f"delete asset {remote.name} (id {remote.id}) from the draft: {why}",
                lambda: github.delete_asset(draft.id, remote),
                undo="rerun the step: it uploads what the draft lacks")


def _upload(github: GitHubReleases, draft: _Draft, asset: LocalAsset) -> Call:
    return Call(f"upload {asset.name} from {asset.source} ({asset.size} bytes, sha256 "
                f"{asset.sha256})", lambda: github.upload(draft.id, asset),
                undo=f"delete the asset {asset.name} from the draft on GitHub")


def _changed_fields(spec: ReleaseSpec, release: RemoteRelease) -> list[str]:
    changed = []
    if release.title != spec.title:
        changed.append(f"title {release.title!r} -> {spec.title!r}")
    if release.body != spec.body:
        changed.append("body")
    if release.prerelease != spec.prerelease:
        changed.append(f"pre-release {release.prerelease} -> {spec.prerelease}")
    return changed


def verify_assets(github: GitHubReleases, release_id: int, spec: ReleaseSpec) -> None:
    comparison = compare(spec.assets, github.assets(release_id))
    if not comparison.in_order:
        raise VerificationError(
            f"the assets of {spec.tag} on GitHub are not right: {'; '.join(comparison.problems())}",
            hint="rerun the step; it repairs the draft (nothing is published while this fails)",
        )


def verify_published(github: GitHubReleases, spec: ReleaseSpec) -> None:
    release = github.find(spec.tag)
    if release is None or release.draft:
        raise VerificationError(f"{spec.tag} is not published on GitHub",
                                hint="look at the releases page; rerun with --publish")
    verify_assets(github, release.id, spec)


def _write_local(ctx: Context, spec: ReleaseSpec, github: GitHubReleases) -> None:
    local = build_plan(ctx, spec, github, None, "")
    local.actions = [a for a in local.actions if isinstance(a, WriteFile) and not a.is_noop()]
    if local.actions:
        local.notes = []
        ctx.execute(local)


def check_published(ctx: Context, spec: ReleaseSpec, release: RemoteRelease) -> int:
    """A published release is immutable: check it, never touch it."""
    comparison = compare(spec.assets, release.assets)
    if not comparison.in_order:
        raise VerificationError(
            f"{spec.tag} is already published on GitHub and its assets do not match: "
            f"{'; '.join(comparison.problems())}",
            hint="a published immutable release cannot be changed; compare the files by hand "
                 f"({release.url})",
        )
    for field, wanted, found in (("title", spec.title, release.title),
                                 ("pre-release flag", spec.prerelease, release.prerelease)):
        if wanted != found:
            ctx.say(f"note: the published {field} is {found!r}, this step would use {wanted!r}")
    if release.body != spec.body:
        ctx.say("note: the published body differs from release/README.md")
    print(f"{spec.tag} is already published with the same {len(spec.assets)} assets; nothing to "
          f"do: {release.url}", file=ctx.out)
    return 0
