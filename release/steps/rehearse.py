"""Rehearse the release end to end on the built-in example project, against local stand-ins.

Every step runs through the same CLI a release manager uses, dry-run first where it matters, then
for real, then once more to show the rerun is a no-op; the stand-ins (GitHub, the package index,
the mail server, the doc and website repositories) are checked at the end.

The workdir (default: `rehearsals/PROJECT-VERSIONS` under the user cache dir) holds the scratch
project and the stand-ins' state. A rerun there resumes an interrupted rehearsal, skipping the
stages its journal says are done once their results re-check as present
(`release.rehearsal.resume`); after a finished rehearsal, or with `--fresh`, it starts over.

Fault injection: `RELEASE_REHEARSAL_KILL=before:N`, `asset:K`, `upload:K` or `wipe:K`
(comma-separated) makes the rehearsal SIGKILL itself as stage N is about to run, as the K-th
GitHub release asset upload reaches the fake GitHub (before it is stored), as the K-th file
upload reaches the package index (before the index sees it), or at the K-th point of emptying
the workdir to start over; see `release.rehearsal.faults`. The fault tests kill a rehearsal at
every step boundary, in both uploads and at every point of a `--fresh` wipe, rerun it, and
compare the end state with an uninterrupted run.

The verdict (`release.rehearsal.verdict`): green, amber (findings, each with its fix) or red (a
stage failed, or `--strict` and findings); exit 0 for green and amber, 1 for red, 130 for a
Ctrl-C. `--json` prints it as data; the report's directory always gets rehearsal-verdict.json.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from release.config import Config
from release.context import Context
from release.errors import UsageError, VerificationError
from release.fakes.dists import given_files, seed_build_requirements, seed_wheel_workflow
from release.fakes.example import ExampleProject, build_example_project
from release.fakes.github import FakeGitHub
from release.fakes.github_tokens import PERMISSIONS, Token
from release.fakes.history_seed import HistoryPull, history_pulls, seed_pulls
from release.fakes.milestone_seed import seed_milestone
from release.fakes.stand_ins import StandIns
from release.profiles.versions import after_release, next_candidate
from release.rehearsal.ci import CiFinding, CiVerdict, in_github_actions, publish
from release.rehearsal.faults import Faults, KillBefore
from release.rehearsal.forecast import forecast
from release.rehearsal.past_release import RealRelease, compare, replay_hand_edits
from release.rehearsal.progress import progress_observers
from release.rehearsal.report import (
    check_report_dir,
    describe,
    secrets_in,
    terminal_end,
    write_report,
)
from release.rehearsal.resume import (
    FINISHED,
    READY,
    Resume,
    default_workdir,
    hold,
    mark,
    marked,
    open_workdir,
)
from release.rehearsal.resume import Places as ResumePlaces
from release.rehearsal.runner import Outcome, Rehearsal, Stage, Tally
from release.rehearsal.scratch import Rewind, scratch_copy
from release.rehearsal.verdict import Verdict, judge
from release.repo.next_release import infer
from release.repo.pyproject_file import read_version
from release.repo.revision_range import resolve
from release.services.git import GitService
from release.steps import Step
from release.steps.common import NOT_DONE
from release.templating import render
from release.version import ReleaseVersion

STEP = Step(name="rehearse", order=170, journaled=False, read_only=False,
            summary="Rehearse the whole release on a scratch copy, locally",
            status=None, resume=None)


@dataclass(frozen=True)
class RehearseOptions:
    """The options argparse parsed for this step."""

    version: ReleaseVersion | None
    branch: str | None
    config: Path | None
    dist: Path | None
    fresh: bool
    json: bool
    real_changelog: Path | None
    repo: Path | None
    report: Path | None
    strict: bool
    token_permissions: str | None
    workdir: Path | None
    workflow_file: Path | None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("version", nargs="?", type=ReleaseVersion.parse,
                        help="with --repo: the release to rehearse on a scratch copy of that "
                             "checkout; without: 1.2.0rc1, 1.2.0 or the patch release 1.1.1 of the "
                             "example project (default: 1.2.0rc1, then 1.2.0)")
    parser.add_argument("--branch", metavar="BRANCH",
                        help="with --repo and no version: rehearse the next release of this "
                             "maintenance branch (`newest`: the highest series; default: the "
                             "checked-out branch, or GITHUB_REF_NAME)")
    parser.add_argument("--workdir", type=Path,
                        help="where to build the scratch project and keep the stand-ins' state "
                             "(default: rehearsals/PROJECT-VERSIONS under the user cache dir); "
                             "a rerun there resumes an interrupted rehearsal, or starts over "
                             "after a finished one")
    parser.add_argument("--fresh", action="store_true",
                        help="start over even if the workdir holds an interrupted rehearsal")
    parser.add_argument("--report", type=Path, metavar="DIR",
                        help="where to write rehearsal-report.md and .html (default: the workdir)")
    parser.add_argument("--dist", type=Path, metavar="DIR",
                        help="real built sdist and wheels for the wheel workflow stand-in to leave "
                             "(default: tiny stand-in files named for the expected matrix)")
    parser.add_argument("--token-permissions", metavar="PERMS",
                        help="what the rehearsal's GitHub token may do, as a fine-grained token's "
                             "permissions: e.g. contents=write,pull_requests=write,issues=write,"
                             "actions=write (default: all of those and workflows=write); a stage "
                             "your real token could not do fails here as it would on GitHub")
    parser.add_argument("--workflow-file", type=Path, metavar="FILE",
                        help="the release workflow file the workflow repository has (e.g. a "
                             "checkout's .github/workflows/wheels.yml): dispatches must fit its "
                             "workflow_dispatch inputs (default: numpy-release's)")
    parser.add_argument("--strict", action="store_true",
                        help="findings (a warning of a stage, or an advisory stage that fails: "
                             ".mailmap, preflight) make the verdict red and the exit code 1")
    parser.add_argument("--json", action="store_true",
                        help="print the verdict as JSON on stdout (the verdict, exit code, "
                             "failure and findings, each with its fix, file and line); the "
                             "summary goes to stderr")
    parser.add_argument("--real-changelog", type=Path, metavar="FILE",
                        help="with --repo and a version already tagged: the published changelog "
                             "to compare with (default: the changelog file at the tag)")


EXAMPLE_RELEASES = ("1.2.0rc1", "1.2.0", "1.1.1")


def run(ctx: Context) -> int:
    faults = Faults.from_env(ctx.env)
    check_report_dir(ctx.typed(RehearseOptions).report)
    token_of(ctx.typed(RehearseOptions).token_permissions)  # both refused before anything is made
    workflow_source(ctx.typed(RehearseOptions).workflow_file)
    if ctx.typed(RehearseOptions).repo:
        if not ctx.typed(RehearseOptions).version:
            ctx = _with_inferred_version(ctx)
        label = [ctx.repo.resolve().name, str(ctx.version())]
        _check_dist(ctx, label[1:])
        with _workdir(ctx, label[1:], label) as workdir:
            return _rehearse_checkout(ctx, workdir, faults)
    chosen = ctx.typed(RehearseOptions).version
    versions = [chosen] if chosen else [
        ReleaseVersion.parse("1.2.0rc1"), ReleaseVersion.parse("1.2.0")]
    for version in versions:
        if str(version) not in EXAMPLE_RELEASES:
            raise UsageError(f"the example project cannot rehearse {version}",
                             hint=f"choose one of {', '.join(EXAMPLE_RELEASES)}, or none for "
                                  "1.2.0rc1 then 1.2.0; or rehearse your checkout with --repo")
    names = [str(v) for v in versions]
    _check_dist(ctx, names)
    with _workdir(ctx, names, ["tinynum", *names]) as workdir:
        return _rehearse_example(ctx, workdir, versions, faults)


def _with_inferred_version(ctx: Context) -> Context:
    """The next release of the branch, as if it had been given."""
    cfg = ctx.config
    version, branch = infer(ctx.git, ctx.typed(RehearseOptions).branch, remote=cfg.upstream_remote,
                            env=ctx.env, pattern=cfg.release_branch or cfg.maintenance_branch,
                            tag_format=cfg.tag_format)
    ctx.say(f"rehearsing {version}, the next release of {branch} (from its tags)")
    return replace(ctx, options={**ctx.options, "version": version})


def token_of(spec: str | None) -> Token | None:
    """--token-permissions "contents=write,pull_requests=read" as a Token (None: may do all)."""
    if not spec:
        return None
    permissions = {}
    for part in spec.split(","):
        name, _, level = part.strip().partition("=")
        if name not in PERMISSIONS or level not in ("read", "write", "none"):
            raise UsageError(f"--token-permissions: {part.strip()!r} is not PERMISSION=LEVEL",
                             hint=f"permissions: {', '.join(PERMISSIONS)}; levels: read, write, "
                                  "none; e.g. contents=write,pull_requests=write")
        permissions[name] = level
    return Token(permissions)


def workflow_source(given: Path | str | None) -> str | None:
    """The text of --workflow-file, checked to be readable YAML with a trigger block."""
    if given is None:
        return None
    path = Path(given)
    try:
        text = path.read_text(encoding="utf-8")
        document = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"--workflow-file {path}: cannot read it as a workflow ({type(exc).__name__})",
                         hint="give a GitHub Actions workflow file, e.g. .github/workflows/wheels.yml") \
            from None
    if not isinstance(document, dict) or not ({"on", True} & set(document)):
        raise UsageError(f"--workflow-file {path}: no `on:` block, so nothing can dispatch it",
                         hint="give a GitHub Actions workflow file, e.g. .github/workflows/wheels.yml")
    return text


def _check_dist(ctx: Context, versions: list[str]) -> None:
    """With --dist, every rehearsed version has built files there, before anything is made."""
    given = ctx.typed(RehearseOptions).dist
    if given is None:
        return
    for version in versions:
        given_files(given, version)


def _rehearse_example(ctx: Context, workdir: Path, versions: list[ReleaseVersion],
                      faults: Faults) -> int:
    scratch = workdir / "scratch"
    if marked(workdir) == READY:
        project = ExampleProject(scratch / "tinynum", scratch / "upstream.git", scratch / "fork.git")
    else:
        ctx.say(f"building the example project and the stand-ins in {workdir}")
        project = build_example_project(scratch)
    with StandIns(project, workdir, str(versions[0]), given_dist=ctx.typed(RehearseOptions).dist,
                  token=token_of(ctx.typed(RehearseOptions).token_permissions),
                  workflow_source=workflow_source(ctx.typed(RehearseOptions).workflow_file),
                  before_asset=faults.at_asset(),
                  before_upload=faults.at_upload()) as stand_ins:
        return _run_stages(ctx, project, stand_ins, versions, workdir, offline=False,
                           faults=faults)


@contextmanager
def _workdir(ctx: Context, versions: list[str], label: list[str]) -> Iterator[Path]:
    """--workdir or the default one under the user cache dir, held for this rehearsal alone and
    opened for resuming or wiped for a new one (only ever a dir with the rehearsal's marker)."""
    given = ctx.typed(RehearseOptions).workdir
    workdir = Path(given).resolve() if given else default_workdir(ctx.env, "-".join(label))
    with hold(workdir):
        wiped = open_workdir(workdir, versions, fresh=bool(ctx.typed(RehearseOptions).fresh),
                             at_point=Faults.from_env(ctx.env).at_wipe())
        if wiped:
            ctx.say(wiped)
        yield workdir


def _rehearse_checkout(ctx: Context, workdir: Path, faults: Faults) -> int:
    """A scratch copy of the user's checkout (rewound to before the release when its tag exists),
    with the fake GitHub seeded with the pull requests its history names."""
    version = ctx.version()
    cfg = ctx.config
    rewind = Rewind.find(ctx.git, cfg, version)
    real_changelog = _real_changelog(ctx, rewind)
    ctx.say(f"copying {ctx.repo} to a scratch clone in {workdir}; your checkout is not touched")
    if rewind is not None:
        ctx.say(rewind.describe())
    real = None if rewind is None else RealRelease.read(ctx.git, cfg, version, rewind,
                                                        real_changelog)
    scratch = workdir / "scratch"
    if marked(workdir) == READY:
        project = ExampleProject(scratch / ctx.repo.resolve().name, scratch / "upstream.git",
                                 scratch / "fork.git")
    else:
        project = scratch_copy(ctx.repo, scratch, cfg.upstream_remote, rewind=rewind,
                               git_at=ctx.git_at)
    table = _config_table(ctx)
    with StandIns(project, workdir, str(version), example=False, table=table,
                  given_dist=ctx.typed(RehearseOptions).dist,
                  token=token_of(ctx.typed(RehearseOptions).token_permissions),
                  workflow_source=workflow_source(ctx.typed(RehearseOptions).workflow_file),
                  before_asset=faults.at_asset(), before_upload=faults.at_upload()) as stand_ins:
        assert stand_ins.github is not None
        count = seed_pulls(stand_ins.github, cfg.github_repo,
                           _history_pulls(ctx.git_at(project.repo), cfg, version))
        ctx.say(f"the fake GitHub knows {count} pull requests of {cfg.github_repo}, from git "
                "(titles as the merge commits give them)")
        if cfg.credits == "authors":
            _seed_milestone(ctx, stand_ins.github, project, version, rewind)
        return _run_stages(ctx, project, stand_ins, [version], workdir, offline=False, real=real,
                           faults=faults)


def _seed_milestone(ctx: Context, github: FakeGitHub, project: ExampleProject,
                    version: ReleaseVersion, rewind: Rewind | None) -> None:
    """The release's milestone, from the lists in its notes: the published ones at the tag, or
    the branch's for a release to come."""
    cfg = ctx.config
    notes = ctx.path(cfg.notes, version)
    if rewind is not None:
        text, where = ctx.git.show_file(rewind.tagged, notes), f"{notes} at {rewind.tag}"
    else:
        branch = version.format(cfg.release_branch or cfg.maintenance_branch)
        text, where = ctx.git_at(project.repo).show_file(branch, notes), f"{notes} on {branch}"
    count = seed_milestone(github, cfg.github_repo, version.base, text or "")
    ctx.say(f"the fake GitHub's milestone {version.base} holds the {count} issues and pull "
            f"requests {where} lists")


def _real_changelog(ctx: Context, rewind: Rewind | None) -> Path | None:
    given = ctx.typed(RehearseOptions).real_changelog
    if given is None:
        return None
    if rewind is None:
        raise UsageError(f"--real-changelog: {ctx.version()} is not tagged in {ctx.repo}, "
                         "so there is no real release to compare with",
                         hint="leave --real-changelog out, or rehearse a version that is tagged")
    path = Path(given).expanduser().resolve()
    if not path.is_file():
        raise UsageError(f"--real-changelog {given}: no such file",
                         hint="give the published changelog of the version, or leave it out")
    return path


def _history_pulls(git: GitService, cfg: Config, version: ReleaseVersion) -> list[HistoryPull]:
    """The release range's pull requests, and main's since its start (originals of backports)."""
    span = resolve(git, cfg, version)
    spans = [(version.format(cfg.release_branch or cfg.maintenance_branch), str(span))]
    if git.has_ref(cfg.main_branch):
        spans.append((cfg.main_branch, f"{span.start}..{cfg.main_branch}"))
    return history_pulls(git, spans)


def _config_table(ctx: Context) -> dict[str, Any]:
    """The [tool.release] table the user's config came from (empty for NumPy's profile)."""
    source = ctx.typed(RehearseOptions).config or (ctx.repo / "release.toml")
    for path in (Path(source), ctx.repo / "pyproject.toml"):
        if path.is_file():
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            table = data.get("tool", {}).get("release")
            if table is None and path.name != "pyproject.toml":
                table = {k: v for k, v in data.items() if k != "tool"}
            if table:
                return dict(table)
    return {}


def _run_stages(ctx: Context, project: ExampleProject, stand_ins: StandIns,
                versions: list[ReleaseVersion], workdir: Path, *, offline: bool,
                real: RealRelease | None = None, faults: Faults | None = None) -> int:
    assert stand_ins.places is not None
    places = stand_ins.places
    common = ("--repo", str(project.repo), "--config", str(places.config_file))
    github = stand_ins.github
    assert github is not None
    plan = [stage for version in versions
            for stage in stages(project, stand_ins, version, offline=offline, real=real)]
    checkout = ctx.repo if ctx.typed(RehearseOptions).repo else None
    about = describe(stand_ins.config().project, versions, checkout, stand_ins, common)
    resume = _resume(ctx, project, stand_ins, plan, workdir, versions)
    kill = [KillBefore(faults.before)] if faults and faults.before else []
    interrupted = False
    with progress_observers(ctx.err, workdir) as observers:
        rehearsal = Rehearsal(common, {**ctx.env, **places.env}, ctx.err, ctx.run_command(),
                              observers=[*observers, resume, *kill], resume=resume,
                              github_tally=lambda: Tally(sum(github.rest_calls.values()),
                                                         github.graphql_calls,
                                                         github.graphql_points,
                                                         sum(github.free_calls.values()),
                                                         github.artifact_downloads))
        try:
            rehearsal.run(plan)
        except KeyboardInterrupt:
            interrupted = True
        finally:  # the report matters most when the rehearsal fails
            verdict = judge(plan, rehearsal.outcomes, strict=bool(ctx.typed(RehearseOptions).strict),
                            interrupted=interrupted)
            report = write_report(Path(ctx.typed(RehearseOptions).report or workdir), about, plan,
                                  rehearsal.outcomes, verdict, secrets_in(ctx.env, places.env))
    end = terminal_end(plan, rehearsal.outcomes, verdict, workdir, report)
    if ctx.typed(RehearseOptions).json:
        ctx.err.write(end)
        print(json.dumps({**verdict.as_dict(), "report": str(report)}, indent=2), file=ctx.out)
    else:
        ctx.out.write(end)
    if in_github_actions(ctx.env):
        publish(_ci_verdict(verdict, plan, rehearsal.outcomes, versions, report), ctx.env, ctx.out)
    if verdict.failure is None and verdict.interrupted is None:
        mark(workdir, [str(v) for v in versions], FINISHED)
    return verdict.exit_code


def _ci_verdict(verdict: Verdict, plan: list[Stage], outcomes: list[Outcome],
                versions: list[ReleaseVersion], report: Path) -> CiVerdict:
    """What GitHub Actions shows of this rehearsal, from the verdict's own values: each finding
    at its file and line, the failed stage, the forecast's two figures."""
    failure = verdict.failure
    failed = [] if failure is None else [CiFinding(failure.error, failure.hint, stage=failure.stage_title,
                                                   level="error")]
    findings = [CiFinding(f.what, f.fix, f.file or None, f.line, f.stage_title)
                for f in verdict.findings]  # warnings: the rehearsal went on past them
    cost = forecast(plan, outcomes)
    lines = [f"{what}: {count} ({personal} of a personal token's hour, {actions} of "
             "GITHUB_TOKEN's)" for what, count, personal, actions in cost.budget()]
    lines.append(f"about {cost.hours:.1f} h of machine time, most of it wheel builds")
    totals = (f"{sum(o.ok for o in outcomes)} of {len(plan)} stages ok, "
              f"{len(findings)} finding(s), {len(failed)} failed")
    return CiVerdict(verdict.level.value, [str(v) for v in versions], findings, lines, report,
                     totals, failed)


def _resume(ctx: Context, project: ExampleProject, stand_ins: StandIns,
            plan: list[Stage], workdir: Path, versions: list[ReleaseVersion]) -> Resume:
    """What a rerun may skip; says so when the workdir holds an interrupted rehearsal."""
    assert stand_ins.places is not None and stand_ins.index is not None
    places, smtp = stand_ins.places, stand_ins.smtp
    resume = Resume(ResumePlaces(project.repo, stand_ins.config(), places.config_file,
                                 {**ctx.env, **places.env}, stand_ins.index.simple_url,
                                 places.doc.repo, places.website.repo,
                                 lambda: len(smtp.messages) if smtp else 0,
                                 ctx.git_at(project.repo)), ctx.say)
    if marked(workdir) == READY:
        ctx.say(f"resuming the rehearsal in {workdir}: {resume.done(plan)} of {len(plan)} "
                "stages done")
    mark(workdir, [str(v) for v in versions], READY)
    return resume


def stages(project: ExampleProject, s: StandIns, v: ReleaseVersion, *,
           offline: bool = False, real: RealRelease | None = None) -> list[Stage]:
    """The walkthrough for one release: the release PR, wheels, tag, upload and GitHub release
    for every kind; docs, branch reset, announcement and main's update for final releases."""
    version = str(v)
    label = f"[{version}] "
    steps = _release(project, s, v, offline, real) + (
        _after_final(project, s, v) if v.is_final else _skipped(s, v))
    return [replace(stage, title=label + stage.title) for stage in steps]


def _release(project: ExampleProject, s: StandIns, v: ReleaseVersion,
             offline: bool, real: RealRelease | None = None) -> list[Stage]:
    assert s.places is not None and s.index is not None and s.github is not None
    git = s.git
    version, branch = str(v), v.maintenance_branch()
    dist = str(s.places.dist / version)
    index_url, upload_url = s.index.simple_url, s.upload_url
    github = s.github

    def seed_wheels() -> str:
        config = s.config()
        github.repo(config.wheels.workflow_repo).workflows.clear()
        files = seed_wheel_workflow(github, config, version, given=s.given_dist,
                                    source=s.workflow_source)
        github.save()
        return f"the release workflow stand-in will build {len(files)} files for {version}"

    def merge_release_pr() -> str:
        git.run(["checkout", "--quiet", branch])
        git.run(["merge", "--quiet", "--ff-only", f"prepare-{version}"])
        git.run(["push", "--quiet", "upstream", f"refs/heads/{branch}:refs/heads/{branch}"])
        return f"fast-forwarded {branch} to the release PR and pushed it upstream"

    off = ("--offline",) if offline else ()
    # steps still to come after status: the final release's, or SciPy's next-candidate dev0
    after = v.is_final or next_candidate(s.config(), v) is not None
    upload = ("upload", version, "--dist", dist, "--repository-url", upload_url, "--upload")
    release = ("github-release", version, "--dist", dist, "--index-url", index_url, "--publish")
    walk = [
        Stage(f"check out {branch}", action=_checkout(git, branch)),
        Stage("C-API version and hash", ("cversions", version)),
        Stage("contributor identities (.mailmap), with the issue text",
              ("mailmap", version, "--issue", *off), advisory=True),
        Stage("changelog, dry run" + (" (titles from git)" if offline else " (titles from GitHub)"),
              ("changelog", version, "--dry-run", *off)),
        Stage("release notes from the fragments, dry run", ("notes", version, "--dry-run")),
        *(_credits_into_notes(s, v, branch) if real is None and s.config().credits == "authors"
          else []),
        *(_direct_rel_commit(version, branch) if s.config().rel_commit == "direct" else [
            Stage("release PR, dry run", ("prepare", version, "--push", "--dry-run", *off)),
            Stage(f"release PR: commit on prepare-{version}, push to the fork, open the PR",
                  ("prepare", version, "--push", *off)),
            Stage("release PR again: nothing to do", ("prepare", version, "--push", *off)),
            Stage("merge the release PR", action=merge_release_pr)]),
        Stage("every preflight check", ("check", version, *off), advisory=True),
        Stage("seed the wheel workflow", action=seed_wheels),
        Stage("test the wheel build (environment none)",
              ("wheels", version, "--dispatch", "--environment", "none", "--poll-interval",
               "0.05")),
        Stage("tag, dry run", ("tag", version, "--push", "--dry-run")),
        Stage("tag and push it upstream", ("tag", version, "--push")),
        Stage("tag again: nothing to do", ("tag", version, "--push")),
        Stage("build the release wheels and sdist from the tag",
              ("wheels", version, "--dispatch", "--environment", "none", "--dest", dist,
               "--poll-interval", "0.05")),
        Stage("upload, dry run", (*upload, "--dry-run")),
        Stage("upload wheels, then the sdist", upload),
        Stage("upload again: nothing to do", upload),
        Stage("the index holds exactly the expected files",
              ("wheels", version, "--index-url", index_url)),
        Stage("GitHub release, dry run", (*release, "--dry-run")),
        Stage("GitHub release: draft, assets, verify, publish", release),
        Stage("GitHub release again: checked, not touched", release),
        *assistant_stages(version, index_url),
        Stage("what landed where", action=lambda: "\n".join(_final_checks(project, s, v))),
        # a final's later steps (branch reset, announcement, main) are still to come: exit 3
        Stage("where the release stands" + (": the after-release steps not yet" if after else ""),
              ("status", version, "--index-url", index_url, *off), expect=NOT_DONE if after else 0),
    ]
    return walk if real is None else _with_real(walk, project, s, real)


def _credits_into_notes(s: StandIns, v: ReleaseVersion, branch: str) -> list[Stage]:
    """`credits = "authors"` (SciPy), a release still to come: `notes` fills the Authors and the
    milestone's lists into the hand-written notes, which then land on the branch (the notes pull
    request SciPy merges before its REL commit). Not run twice: the commit that lands them is
    one more credit by SciPy's rules, as the real merge is."""
    version = str(v)

    def land() -> str:
        config = s.config()
        notes = config.notes.format(**{**v.fields(), "version": v.base})
        s.git.run(["checkout", "--quiet", branch])
        s.git.run(["add", "--", notes, config.release_index])
        if s.git.ok(["diff", "--cached", "--quiet"]):
            return f"{notes} already holds the Authors and lists"
        message = render("commit-notes-credits.txt.j2", project=config.project, version=version)
        s.git.run(["commit", "--quiet", "--no-verify", "-m", message.rstrip("\n")])
        s.git.run(["push", "--quiet", "upstream", f"refs/heads/{branch}:refs/heads/{branch}"])
        return f"committed {notes} on {branch} and pushed it upstream"

    return [
        Stage("the Authors and the milestone's lists into the notes", ("notes", version)),
        Stage(f"the notes pull request merged into {branch}", action=land),
    ]


def _direct_rel_commit(version: str, branch: str) -> list[Stage]:
    """`rel_commit = "direct"` (SciPy): the version-only REL commit on the branch, pushed."""
    return [
        Stage("REL commit, dry run", ("prepare", version, "--push", "--dry-run")),
        Stage(f"REL commit on {branch}, pushed upstream", ("prepare", version, "--push")),
        Stage("REL commit again: nothing to do", ("prepare", version, "--push")),
    ]


def _next_patch(version: str) -> str:
    """The patch release after `version`'s final (1.2.0rc1 -> 1.2.1)."""
    return str(ReleaseVersion.parse(ReleaseVersion.parse(version).base).next_patch())


def assistant_stages(version: str, index_url: str) -> list[Stage]:
    """The read-only assistants of the walkthrough's judgement sections, on the rehearsal's
    stand-ins (the local index, never PyPI); what they find reaches the report like any stage's
    output."""
    return [
        Stage("what each step needs: token, access, forks, gpg, pandoc, SMTP, index",
              ("doctor", version, "--probe"), advisory=True),
        Stage("backport candidates: marked on main, not on the branch, tried as cherry-picks",
              ("backports", version)),
        Stage("deprecations in the code, those due under NEP 23 first", ("deprecations", version)),
        Stage("milestone triage: what is open moves to the next patch release's milestone",
              ("milestones", version, "--move-to", _next_patch(version),
               "--apply")),
        Stage("the release repository the wheels are built from",
              ("wheels-repo", version, "--index-url", index_url)),
        Stage("sanity check at the tag (the tests stood in by compileall)",
              ("sanity", version, "--test-command", f"{shlex.quote(sys.executable)} -m compileall -q .")),
    ]


def _with_real(walk: list[Stage], project: ExampleProject, s: StandIns,
               real: RealRelease) -> list[Stage]:
    """A release that happened: its hand edits start the release PR (after the stages that find
    what needed them) and the new tag is compared with the real one."""
    config = s.config()
    version = str(real.version)
    branch = real.version.format(config.release_branch or config.maintenance_branch)
    pr_branch = f"{config.github.pr_branch_prefix}prepare-{version}"
    patch = s.workdir / "hand-edits.patch"
    tag = real.rewind.tag
    if config.rel_commit == "direct":
        pr_branch = branch  # the REL commit goes onto the branch itself
    before = [
        Stage("release notes from the fragments as the branch stood, dry run",
              ("notes", version, "--dry-run"), advisory=True),
        Stage(f"replay the real {tag} commit's hand edits on {pr_branch}",
              action=lambda: replay_hand_edits(real, s.git, branch, pr_branch, patch)),
    ]
    after = [Stage(f"compare with the real {tag}", advisory=True,
                   action=lambda: compare(real, s.git, config))]
    at_pr = next(n for n, stage in enumerate(walk) if stage.title.startswith("changelog, dry run"))
    at_tag = next(n for n, stage in enumerate(walk) if stage.title == "tag again: nothing to do")
    return walk[:at_pr] + before + walk[at_pr:at_tag + 1] + after + walk[at_tag + 1:]


def _after_final(project: ExampleProject, s: StandIns, v: ReleaseVersion) -> list[Stage]:
    assert s.places is not None
    p = s.places
    git = s.git
    version = str(v)
    docs = ("docs", version, "--doc-repo", str(p.doc.repo), "--built", str(p.html), "--push",
            *(("--upload-dir", str(p.upload_dir)) if p.upload_dir is not None else ()))
    discourse = s.config().announcement == "discourse"
    announce = ("announce", version, "--website-repo", str(p.website.repo), "--date",
                "2025-04-02", "--push", "--send")
    stages = []
    if v.is_feature:
        stages += [Stage("docs merge, dry run", (*docs, "--dry-run")),
                   Stage("docs merge and push", docs)]
    stages += [
        Stage(f"check out {v.maintenance_branch()}", action=_checkout(git, v.maintenance_branch())),
        Stage("reset the maintenance branch, dry run", ("reset-branch", version, "--push",
                                                        "--dry-run")),
        Stage("reset the maintenance branch, open the PR", ("reset-branch", version, "--push")),
        Stage("reset again: nothing to do", ("reset-branch", version, "--push")),
        Stage("announce, dry run", (*announce, "--dry-run")),
        Stage("announce: website PR and the " + ("Discourse post" if discourse else "mail"),
              announce),
        Stage("announce again: nothing to do", announce),
        Stage("the Discourse post is written, no mail sent" if discourse else
              "the announcement reached the mail server once",
              action=lambda: _post_written(s, project, v) if discourse else _mail_delivered(s)),
        Stage("check out main", action=_checkout(git, "main")),
        Stage("update main after the release, dry run", ("post-release", version, "--push",
                                                         "--dry-run")),
        Stage("update main after the release, open the PR", ("post-release", version, "--push")),
        Stage("update main again: nothing to do", ("post-release", version, "--push")),
        Stage("check out main", action=_checkout(git, "main")),
    ]
    if v.is_feature and s.config().branching == "version-pr":
        stages += _version_pr_branching(project, s)
    elif v.is_feature:
        nxt = v.next_dev()
        stages += [
            Stage(f"branch {nxt.series}, dry run", ("branch", nxt.base, "--push", "--dry-run")),
            Stage(f"branch {nxt.series}: begin the next cycle, push main, tag and branch",
                  ("branch", nxt.base, "--push")),
            Stage("branch again: nothing to do", ("branch", nxt.base, "--push")),
        ]
    assert s.index is not None
    stages.append(Stage("where the release stands: every step done",
                        ("status", version, "--index-url", s.index.simple_url, "--doc-repo",
                         str(p.doc.repo), "--website-repo", str(p.website.repo))))
    return stages


def _version_pr_branching(project: ExampleProject, s: StandIns) -> list[Stage]:
    """`branching = "version-pr"` (SciPy): the series main is on is branched, its upper bounds
    read from the stand-in index, which holds each build requirement at its lower bound."""
    assert s.index is not None
    index, config = s.index, s.config()
    main = s.git.show_file(config.main_branch, config.pyproject) or ""
    series = ReleaseVersion.parse(read_version(main, config.pyproject)).base
    branch = ("branch", series, "--push", "--index-url", index.simple_url)

    def seed_index() -> str:
        names = seed_build_requirements(index.packages, main, config.pyproject)
        return f"the stand-in index holds {', '.join(names)}"

    return [
        Stage("the build requirements' releases on the stand-in index", action=seed_index),
        Stage(f"branch {series}, dry run", (*branch, "--dry-run")),
        Stage(f"branch {series}: the maintenance branch with upper bounds, main's next version "
              "as a pull request", branch),
        Stage("branch again: nothing to do", branch),
    ]


def _skipped(s: StandIns, v: ReleaseVersion) -> list[Stage]:
    """Steps a pre-release skips: each says so instead of acting. Under `branch_version =
    "next-dev0"` (SciPy) the branch then says the next candidate's dev0, through a pull request."""
    version = str(v)
    config = s.config()
    if config.branch_version == "next-dev0":
        says = after_release(config, v)
        reset = [
            Stage(f"check out {v.maintenance_branch()}", action=_checkout(s.git, v.maintenance_branch())),
            Stage(f"set the maintenance branch to {says}, dry run",
                  ("reset-branch", version, "--push", "--dry-run")),
            Stage(f"set the maintenance branch to {says}, open the PR",
                  ("reset-branch", version, "--push")),
            Stage(f"{says} again: nothing to do", ("reset-branch", version, "--push"))]
    else:
        reset = [Stage("the maintenance branch is not reset after a pre-release",
                       ("reset-branch", version), expect=2)]
    return [
        Stage("docs are skipped for a pre-release", ("docs", version, "--doc-repo", ".",
                                                    "--built", ".")),
        *reset,
        Stage("main is not updated after a pre-release", ("post-release", version), expect=2),
    ]


def _checkout(git: GitService, ref: str) -> Callable[[], str]:
    def go() -> str:
        git.run(["checkout", "--quiet", ref])
        return f"on {ref}"
    return go


def _final_checks(project: ExampleProject, s: StandIns, v: ReleaseVersion) -> list[str]:
    """Look at the stand-ins the way a release manager would check by hand afterwards."""
    assert s.github is not None and s.index is not None
    git = s.git
    config = s.config()
    tag = v.tag(config.tag_format)
    remote = git.remote_tag_object(config.upstream_remote, tag)
    if remote is None or remote != git.tag_object(tag):
        raise VerificationError(f"upstream lacks {tag}", hint="see the tag stage above")
    lines = [f"upstream has {tag} -> {remote}"]
    files = [name for name in s.index.filenames() if f"-{v}-" in name or name.endswith(f"-{v}.tar.gz")]
    lines.append(f"the index holds {len(files)} files of {v}")
    repo = s.github.repo(config.github_repo)
    releases = [r for r in repo.releases.values() if r.tag_name == tag and not r.draft]
    if len(releases) != 1 or releases[0].prerelease != v.is_prerelease:
        raise VerificationError(f"expected one published {'pre-' if v.is_prerelease else ''}"
                                f"release for {tag}", hint="see the github-release stage")
    assets = sorted(asset.name for asset in releases[0].assets.values())
    kind = "pre-release" if v.is_prerelease else "release"
    lines.append(f"GitHub {kind} {releases[0].name!r} published with {', '.join(assets)}")
    return lines


def _post_written(s: StandIns, project: ExampleProject, v: ReleaseVersion) -> str:
    """announcement = "discourse": the post is a file in the project, titled for the release,
    and the mail server received nothing."""
    assert s.smtp is not None
    config = s.config()
    names = {"project": config.project, "package": config.package, "version": str(v),
             "series": v.series}
    post = project.repo / config.mail.post_output.format(**names)
    title = f"ANN: {config.project} {v}"
    if not post.is_file() or post.read_text(encoding="utf-8").splitlines()[0] != title:
        raise VerificationError(f"{post} is missing or not titled {title!r}",
                                hint="see the announce stage")
    if s.smtp.messages:
        raise VerificationError(f"the mail server holds {len(s.smtp.messages)} messages, not 0",
                                hint="this profile announces on Discourse only")
    return f"{post.name} is written ({title!r}); the mail server received nothing"


def _mail_delivered(s: StandIns) -> str:
    assert s.smtp is not None
    if len(s.smtp.messages) != 1:
        raise VerificationError(f"the mail server holds {len(s.smtp.messages)} messages, not 1",
                                hint="see the announce stage")
    message = s.smtp.messages[0].message
    return f"the list received one announcement: {message['Subject']!r}"
