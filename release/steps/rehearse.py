"""Rehearse the release end to end on the built-in example project, against local stand-ins."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from release.context import Context
from release.errors import UsageError
from release.fakes.example import ExampleProject, build_example_project, commit_release_files
from release.rehearsal import Rehearsal, Stage
from release.services.git import GitService


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("version", nargs="?", default="1.2.0",
                        help="the version to rehearse (default: 1.2.0 of the example project)")
    parser.add_argument("--workdir", type=Path,
                        help="where to build the scratch project (default: a new temporary dir)")


def run(ctx: Context) -> int:
    workdir = ctx.option("workdir") or Path(tempfile.mkdtemp(prefix="release-rehearsal-"))
    workdir = Path(workdir).resolve()
    if workdir.exists() and any(workdir.iterdir()):
        raise UsageError(f"{workdir} is not empty", hint="pass an empty or new --workdir")
    version = str(ctx.option("version"))
    ctx.say(f"building the example project in {workdir}")
    project = build_example_project(workdir)
    env = {**ctx.env, "RELEASE_REPO": str(project.repo)}
    rehearsal = Rehearsal(project.repo, env, ctx.err)
    ok = rehearsal.run(stages(project, version))
    print(rehearsal.summary(), file=ctx.out)
    print(f"\nScratch project left in {workdir} (upstream: {project.upstream})", file=ctx.out)
    return 0 if ok else 1


def stages(project: ExampleProject, version: str) -> list[Stage]:
    tag = f"v{version}"

    def stand_in_release_pr() -> str:
        base = version.split("rc")[0]
        commit = commit_release_files(project, version, {
            f"doc/changelog/{base}-changelog.rst": "\nContributors\n============\n",
        })
        return f"committed {commit[:12]} on the maintenance branch (prepare is not built yet)"

    def upstream_has_tag() -> str:
        refs = GitService(project.repo).remote_refs("upstream", f"refs/tags/{tag}")
        if not refs:
            raise UsageError(f"the upstream stand-in lacks {tag}")
        return f"upstream has {refs[0].name} -> {refs[0].sha[:12]}"

    return [
        Stage("tag refuses while the release PR is not merged", ("tag", version), expect=1),
        Stage("stand-in for the merged release PR", action=stand_in_release_pr),
        Stage("tag, dry run", ("tag", version, "--dry-run")),
        Stage("tag", ("tag", version)),
        Stage("tag again: nothing to do", ("tag", version)),
        Stage("push the tag to upstream", ("tag", version, "--push")),
        Stage("check the upstream tag", action=upstream_has_tag),
    ]
