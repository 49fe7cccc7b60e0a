"""Rehearse the release end to end on the built-in example project, against local stand-ins.

Every step runs through the same CLI a release manager uses, dry-run first where it matters, then
for real, then once more to show the rerun is a no-op; the stand-ins (GitHub, the package index,
the mail server, the doc and website repositories) are checked at the end.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

from release.context import Context
from release.errors import UsageError, VerificationError
from release.fakes.example import ExampleProject, build_example_project
from release.fakes.stand_ins import StandIns
from release.rehearsal import Rehearsal, Stage
from release.services.git import GitService
from release.version import ReleaseVersion


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("version", nargs="?", default="1.2.0",
                        help="the version to rehearse (default: 1.2.0 of the example project)")
    parser.add_argument("--workdir", type=Path,
                        help="where to build the scratch project (default: a new temporary dir)")


def run(ctx: Context) -> int:
    version = ReleaseVersion.parse(str(ctx.option("version")))
    if str(version) != "1.2.0":
        raise UsageError(f"the example project rehearses 1.2.0, not {version}",
                         hint="run `nox -s rehearse` without a version")
    workdir = Path(ctx.option("workdir") or tempfile.mkdtemp(prefix="release-rehearsal-")).resolve()
    if workdir.exists() and any(workdir.iterdir()):
        raise UsageError(f"{workdir} is not empty", hint="pass an empty or new --workdir")
    ctx.say(f"building the example project and the stand-ins in {workdir}")
    project = build_example_project(workdir / "scratch")
    with StandIns(project, workdir, str(version)) as stand_ins:
        assert stand_ins.places is not None
        places = stand_ins.places
        common = ("--repo", str(project.repo), "--config", str(places.config_file))
        rehearsal = Rehearsal(common, {**ctx.env, **places.env}, ctx.err)
        ok = rehearsal.run(stages(project, stand_ins, str(version)))
    print(rehearsal.summary(), file=ctx.out)
    print(f"\nScratch project and stand-ins left in {workdir}", file=ctx.out)
    return 0 if ok else 1


def stages(project: ExampleProject, s: StandIns, version: str) -> list[Stage]:
    assert s.places is not None
    p = s.places
    git = GitService(project.repo)
    v = ReleaseVersion.parse(version)
    branch = v.maintenance_branch()
    dist = str(p.dist)
    index_url = s.index.simple_url if s.index else ""
    upload_url = s.index.url if s.index else ""

    def act(title: str, func: Callable[[], str]) -> Stage:
        return Stage(title, action=func)

    def checkout(ref: str) -> Callable[[], str]:
        def go() -> str:
            git.run(["checkout", "--quiet", ref])
            return f"on {ref}"
        return go

    def merge_release_pr() -> str:
        git.run(["checkout", "--quiet", branch])
        git.run(["merge", "--quiet", "--ff-only", f"prepare-{version}"])
        git.run(["push", "--quiet", "upstream", f"refs/heads/{branch}:refs/heads/{branch}"])
        return f"fast-forwarded {branch} to the release PR and pushed it upstream"

    def verify_everything() -> str:
        return "\n".join(_final_checks(project, s, version))

    return [
        act(f"check out {branch}", checkout(branch)),
        Stage("C-API version and hash", ("cversions", version)),
        Stage("contributor identities (.mailmap), with the issue text", ("mailmap", version,
                                                                          "--issue")),
        Stage("changelog, dry run (titles from GitHub)", ("changelog", version, "--dry-run")),
        Stage("release notes from the fragments, dry run", ("notes", version, "--dry-run")),
        Stage("release PR, dry run", ("prepare", version, "--push", "--dry-run")),
        Stage("release PR: commit on prepare-1.2.0, push to the fork, open the PR",
              ("prepare", version, "--push")),
        Stage("release PR again: nothing to do", ("prepare", version, "--push")),
        act("merge the release PR", merge_release_pr),
        Stage("every preflight check", ("check", version)),
        Stage("test the wheel build (environment none)",
              ("wheels", version, "--dispatch", "--environment", "none", "--dest",
               f"{dist}-test", "--poll-interval", "0.05")),
        Stage("tag, dry run", ("tag", version, "--push", "--dry-run")),
        Stage("tag and push it upstream", ("tag", version, "--push")),
        Stage("tag again: nothing to do", ("tag", version, "--push")),
        Stage("build the release wheels and sdist from the tag",
              ("wheels", version, "--dispatch", "--environment", "none", "--dest", dist,
               "--poll-interval", "0.05")),
        Stage("upload, dry run", ("upload", version, "--from-dir", dist, "--repository-url",
                                  upload_url, "--upload", "--dry-run")),
        Stage("upload wheels, then the sdist", ("upload", version, "--from-dir", dist,
                                                "--repository-url", upload_url, "--upload")),
        Stage("upload again: nothing to do", ("upload", version, "--from-dir", dist,
                                              "--repository-url", upload_url, "--upload")),
        Stage("the index holds exactly the expected files", ("wheels", version, "--index-url",
                                                             index_url)),
        Stage("GitHub release, dry run", ("github-release", version, "--dist", dist,
                                          "--index-url", index_url, "--publish", "--dry-run")),
        Stage("GitHub release: draft, assets, verify, publish",
              ("github-release", version, "--dist", dist, "--index-url", index_url,
               "--publish")),
        Stage("GitHub release again: checked, not touched",
              ("github-release", version, "--dist", dist, "--index-url", index_url,
               "--publish")),
        Stage("docs merge, dry run", ("docs", version, "--doc-repo", str(p.doc.repo), "--built",
                                      str(p.html), "--push", "--dry-run")),
        Stage("docs merge and push", ("docs", version, "--doc-repo", str(p.doc.repo), "--built",
                                      str(p.html), "--push")),
        Stage("reset the maintenance branch, open the PR", ("reset-branch", version, "--push")),
        Stage("reset again: nothing to do", ("reset-branch", version, "--push")),
        Stage("announce, dry run", ("announce", version, "--website-repo", str(p.website.repo),
                                    "--date", "2025-04-02", "--push", "--send", "--dry-run")),
        Stage("announce: website PR and the mail", ("announce", version, "--website-repo",
                                                    str(p.website.repo), "--date", "2025-04-02",
                                                    "--push", "--send")),
        Stage("announce again: nothing to do", ("announce", version, "--website-repo",
                                                str(p.website.repo), "--date", "2025-04-02",
                                                "--push", "--send")),
        act("check out main", checkout("main")),
        Stage("update main after the release, open the PR", ("post-release", version, "--push")),
        act("check out main", checkout("main")),
        Stage(f"branch {v.next_dev().series}, dry run",
              ("branch", v.next_dev().base, "--push", "--dry-run")),
        Stage(f"branch {v.next_dev().series}: begin the next cycle, push main, tag and branch",
              ("branch", v.next_dev().base, "--push")),
        Stage("branch again: nothing to do", ("branch", v.next_dev().base, "--push")),
        Stage("what landed where", action=verify_everything),
    ]


def _final_checks(project: ExampleProject, s: StandIns, version: str) -> list[str]:
    """Look at every stand-in: what a release manager would check by hand afterwards."""
    assert s.github is not None and s.index is not None and s.smtp is not None
    git = GitService(project.repo)
    tag = f"v{version}"
    lines = []
    remote = git.remote_tag_object("upstream", tag)
    if remote != git.tag_object(tag):
        raise VerificationError(f"upstream lacks {tag}", hint="see the tag stage above")
    lines.append(f"upstream has {tag} -> {remote}")
    files = s.index.filenames()
    lines.append(f"the index holds {len(files)} files")
    repo = s.github.repo("example/tinynum")
    releases = [r for r in repo.releases.values() if r.tag_name == tag and not r.draft]
    if len(releases) != 1:
        raise VerificationError(f"expected one published release for {tag}",
                                hint="see the github-release stage")
    assets = sorted(asset.name for asset in releases[0].assets.values())
    lines.append(f"GitHub release {releases[0].name!r} published with {', '.join(assets)}")
    lines.append(f"mail server received {len(s.smtp.messages)} message(s)")
    if len(s.smtp.messages) != 1:
        raise VerificationError("the announcement was not delivered exactly once",
                                hint="see the announce stage")
    pulls = [pr for pr in repo.pulls.values() if pr.state == "open"]
    lines.append(f"open pull requests: {', '.join(pr.title for pr in pulls)}")
    return lines
