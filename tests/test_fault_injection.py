"""Every state-changing step, failed or stopped at each action of its plan, then run again.

For each step: one uninterrupted run on a fresh copy of its world is the reference. Then, for
every action N of that run (and its checks), a fresh copy is run with RELEASE_FAULT at N (a
write error, Ctrl-C, SIGTERM, or SIGKILL in a child process), and:

- a run stopped before anything left the machine says "nothing was changed" and leaves every
  repository byte for byte as it was (refs, index, work tree, the git dir's own files), so the
  next fault is tried on the same copy;
- a run stopped after a push or a request says what it did ("kept"), the command that finishes
  it and the commands that undo it;
- the same command run again ends exactly where the uninterrupted run ended: refs (commit ids
  included: the dates are pinned), index, work tree, the remotes' refs and the fake GitHub's
  pull requests.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import Cli, Result, git, snapshot

from release.fakes import example_files as f
from release.fakes.dists import write_dists
from release.fakes.example import ExampleProject, commit_release_files, copy_example
from release.fakes.github import FakeGitHub
from release.fakes.numpy_doc import build_html, build_numpy_doc
from release.fakes.pypi import LocalIndex

REPO = "example/tinynum"
CHANGELOG = "doc/changelog/1.2.0-changelog.rst"
DATE = "2026-03-01T12:00:00+00:00"
KINDS = ("fail", "interrupt", "term")


@dataclass
class World:
    """One copy of a scenario: the project (and, for docs, the doc repository) and the argv."""

    project: ExampleProject
    argv: list[str]
    others: tuple[Path, ...] = ()

    @property
    def repos(self) -> tuple[Path, ...]:
        return (self.project.repo, self.project.upstream, self.project.fork, *self.others)


Setup = Callable[[ExampleProject, Path], World]


def _tree(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if ".git" not in p.relative_to(root).parts):
        if path.is_symlink():
            digest.update(f"{path.relative_to(root)} -> {os.readlink(path)}".encode())
        elif path.is_file():
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def state(world: World, fake: FakeGitHub | None,
          index: LocalIndex | None = None) -> dict[str, object]:
    """What an uninterrupted run and an interrupted-then-rerun one must agree on."""
    found: dict[str, object] = {}
    for path in world.repos:
        if not (path / ".git").exists() and not path.name.endswith(".git"):
            found[f"{path.name} tree"] = _tree(path)  # a project directory without git
            continue
        found[f"{path.name} refs"] = git(path, "for-each-ref", "--format=%(refname) %(objectname)")
        if (path / ".git").exists():
            found[f"{path.name} HEAD"] = git(path, "rev-parse", "--symbolic-full-name", "HEAD")
            found[f"{path.name} index"] = git(path, "ls-files", "--stage")
            found[f"{path.name} status"] = git(path, "status", "--porcelain", "--ignored")
            found[f"{path.name} tree"] = _tree(path)
    if fake is not None:
        repo = fake.repo(REPO)
        found["pulls"] = sorted((p.title, p.head, p.base, p.state, p.body)
                                for p in repo.pulls.values())
        found["releases"] = sorted(
            (r.tag_name, r.name, r.draft, r.prerelease, r.body,
             sorted((a.name, hashlib.sha256(a.data).hexdigest()) for a in r.assets.values()))
            for r in repo.releases.values())
    if index is not None:
        found["index"] = [(path.name, hashlib.sha256(path.read_bytes()).hexdigest())
                          for path in sorted(index.packages.iterdir()) if path.is_file()]
    return found


def _bytes(world: World) -> tuple[str, ...]:
    return tuple(snapshot(path) for path in world.repos)


# -- the scenarios --------------------------------------------------------------------------

def _maint(project: ExampleProject) -> None:
    git(project.repo, "checkout", "-q", "maintenance/1.2.x")


def _released(project: ExampleProject) -> None:
    commit_release_files(project, "1.2.0", {CHANGELOG: "\nContributors\n============\n"})
    git(project.repo, "tag", "-a", "v1.2.0", "-m", "tinynum 1.2.0 release")


def prepare(project: ExampleProject, _tmp: Path) -> World:
    _maint(project)
    return World(project, ["prepare", "1.2.0", "--offline"])


def prepare_push(project: ExampleProject, _tmp: Path) -> World:
    _maint(project)
    return World(project, ["prepare", "1.2.0", "--offline", "--push", "--fork-owner", "alice"])


def tag_push(project: ExampleProject, _tmp: Path) -> World:
    commit_release_files(project, "1.2.0", {CHANGELOG: "\nContributors\n============\n"})
    return World(project, ["tag", "1.2.0", "--push"])


def branch_push(project: ExampleProject, _tmp: Path) -> World:
    fragment = project.repo / "doc/release/upcoming_changes/12.new_feature.rst"
    fragment.write_text("``mean_int``\n------------\nInteger mean.\n")
    git(project.repo, "add", "--all")
    git(project.repo, "commit", "-q", "-m", "DOC: note for #12")
    git(project.repo, "push", "-q", "upstream", "main")
    return World(project, ["branch", "1.3.0", "--push"])


def reset_branch_push(project: ExampleProject, _tmp: Path) -> World:
    _released(project)
    return World(project, ["reset-branch", "1.2.0", "--push", "--fork-owner", "alice"])


def post_release(project: ExampleProject, _tmp: Path) -> World:
    _released(project)
    git(project.repo, "checkout", "-q", "main")
    return World(project, ["post-release", "1.2.0"])


def notes(project: ExampleProject, _tmp: Path) -> World:
    _maint(project)
    return World(project, ["notes", "1.2.0"])


def changelog(project: ExampleProject, _tmp: Path) -> World:
    _maint(project)
    return World(project, ["changelog", "1.2.0", "--offline"])


def cversions_fix(project: ExampleProject, _tmp: Path) -> World:
    _maint(project)
    repo = project.repo
    for name, old, new in ((f.NUMPY_API, "(5,)", "(5, MinVersion(\"1.2\"))"),
                           (f.MESON, "C_API_VERSION = '0x00000002'", "C_API_VERSION = '0x00000003'"),
                           (f.NUMPYCONFIG, "NPY_1_2_API_VERSION 0x00000002",
                            "NPY_1_2_API_VERSION 0x00000003")):
        path = repo / name
        path.write_text(path.read_text().replace(old, new))
    return World(project, ["cversions", "1.2.0", "--fix"])


def mailmap_write(project: ExampleProject, _tmp: Path) -> World:
    _maint(project)
    repo = project.repo
    (repo / "extra.txt").write_text("tidy\n")
    git(repo, "add", "extra.txt")
    git(repo, "-c", "user.name=BOB  BUILDER", "-c", "user.email=bob.b@example.net", "commit", "-q",
        "-m", "MAINT: tidy (#20)")
    return World(project, ["mailmap", "1.2.0", "--offline", "--write"])


def docs_push(project: ExampleProject, tmp: Path) -> World:
    doc = build_numpy_doc(tmp / "site")
    built = build_html(tmp / "html", version="2.5.0")
    plain = tmp / "numpy"
    plain.mkdir()
    world = World(project, ["docs", "2.5.0", "--doc-repo", str(doc.repo), "--built", str(built),
                            "--push"], others=(doc.repo, doc.remote))
    world.argv += ["--repo-override", str(plain)]
    return world  # the project directory is no git repository: the doc repository is changed


def github_release_publish(project: ExampleProject, tmp: Path) -> World:
    from test_github_release import CHANGELOG as RELEASE_CHANGELOG
    from test_github_release import NOTES as RELEASE_NOTES
    from test_github_release import NOTES_PATH

    commit_release_files(project, "1.2.0", {CHANGELOG: RELEASE_CHANGELOG,
                                            NOTES_PATH: RELEASE_NOTES})
    git(project.repo, "tag", "-a", "v1.2.0", "-m", "tinynum 1.2.0 release")
    git(project.repo, "push", "-q", "upstream", "refs/tags/v1.2.0")
    write_dists(tmp / "dist", ["tinynum-1.2.0.tar.gz"], "tinynum")
    return World(project, ["github-release", "1.2.0", "--dist", str(tmp / "dist"), "--publish"])


def upload(project: ExampleProject, tmp: Path) -> World:
    from test_upload import expected_names

    write_dists(tmp / "dist", expected_names(project), "tinynum")
    return World(project, ["upload", "1.2.0", "--from-dir", str(tmp / "dist"), "--upload"])


def announce(project: ExampleProject, tmp: Path) -> World:
    from test_announce import NOTES_2_4_0, OLDER, make_project

    from release.fakes.numpy_org import build_numpy_org, news_md, site_config

    changelog = (Path(__file__).parent / "data/numpy/changelogs/2.4.1-changelog.rst").read_text()
    numpy = make_project(tmp / "numpy", "2.4.0", NOTES_2_4_0, changelog)
    news = news_md(header="NumPy 2.3.0 released!", date="2025-06-07", sections=(), releases=OLDER)
    site = build_numpy_org(tmp / "web", news=news, config=site_config("2.3"))
    return World(project, ["announce", "2.4.0", "--website-repo", str(site.repo), "--date",
                           "2025-12-20", "--repo-override", str(numpy)], others=(site.repo, numpy))


SCENARIOS: dict[str, tuple[Setup, bool]] = {
    "prepare": (prepare, False),
    "prepare --push": (prepare_push, True),
    "tag --push": (tag_push, False),
    "branch --push": (branch_push, False),
    "reset-branch --push": (reset_branch_push, True),
    "post-release": (post_release, False),
    "notes": (notes, False),
    "changelog": (changelog, False),
    "cversions --fix": (cversions_fix, False),
    "mailmap --write": (mailmap_write, False),
    "docs --push": (docs_push, False),
    "github-release --publish": (github_release_publish, True),
    "upload --upload": (upload, False),
    "announce": (announce, False),
}
# 60 uploads of one kind: the first, the second, one in the middle and the last stand for all.
SAMPLED = {"upload --upload": (1, 2, 30, 60)}


# -- running them ---------------------------------------------------------------------------

@pytest.fixture
def pinned_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits and tags made at a fixed time, so two runs make the same object ids."""
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, DATE)


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    with FakeGitHub(tokens={"fault-test-token": "write"}) as fake:
        fake.add_repo(REPO, "main")
        monkeypatch.setenv("GITHUB_API_URL", fake.api_url)
        monkeypatch.setenv("GITHUB_GRAPHQL_URL", fake.graphql_url)
        monkeypatch.setenv("GITHUB_TOKEN", "fault-test-token")
        yield fake


class Runner:
    def __init__(self, template: ExampleProject, tmp: Path, setup: Setup, cli: Cli,
                 fake: FakeGitHub | None, index: LocalIndex | None) -> None:
        self.template, self.tmp, self.setup, self.cli = template, tmp, setup, cli
        self.fake, self.index = fake, index
        self.count = 0

    def world(self) -> World:
        self.count += 1
        if self.index is not None:
            self.index.clear()
        where = self.tmp / f"w{self.count}"
        project = copy_example(self.template, where / "example")
        world = self.setup(project, where)
        if self.fake is not None:
            self._reset_github(project)
        return world

    def _reset_github(self, project: ExampleProject) -> None:
        assert self.fake is not None
        repo = self.fake.repo(REPO)
        repo.pulls.clear()
        repo.releases.clear()
        for branch in ("maintenance/1.2.x", "main"):
            self.fake.add_ref(REPO, f"heads/{branch}",
                              git(project.repo, "rev-parse", branch).strip())
        # alice's fork on GitHub is this world's fork remote: its branches are the pushed ones
        self.fake.add_fork(REPO, "alice", git_dir=project.fork)

    def argv(self, world: World) -> list[str]:
        argv = list(world.argv)
        if self.index is not None:
            argv += ["--repository-url", self.index.url]
        if "--repo-override" in argv:
            at = argv.index("--repo-override")
            return [*argv[:at], "--repo", argv[at + 1]]
        return [*argv, "--repo", str(world.project.repo)]

    def run(self, world: World, fault: str = "") -> Result:
        env = {**os.environ, **(self.index.env() if self.index is not None else {})}
        env.pop("RELEASE_FAULT", None)
        if fault:
            env["RELEASE_FAULT"] = fault
        if fault.startswith("kill:"):
            done = subprocess.run([sys.executable, "-m", "release", *self.argv(world)], env=env,
                                  capture_output=True, text=True, check=False)
            return Result(done.returncode, done.stdout, done.stderr)
        return self.cli(*self.argv(world), env=env)


def _actions(err: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^\[\d+/\d+\] (.*)$", err, re.MULTILINE)]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_action_interrupted_then_rerun(name: str, example_template: ExampleProject,
                                             tmp_path: Path, cli: Cli, pinned_dates: None,
                                             request: pytest.FixtureRequest) -> None:
    setup, needs_github = SCENARIOS[name]
    fake = request.getfixturevalue("github") if needs_github else None
    index = request.getfixturevalue("pypi") if name.startswith("upload") else None
    runner = Runner(example_template, tmp_path, setup, cli, fake, index)

    reference_world = runner.world()
    reference = runner.run(reference_world)
    assert reference.code == 0, reference.err
    actions = _actions(reference.err)
    assert actions, reference.err
    wanted = state(reference_world, fake, index)

    numbers = SAMPLED.get(name, range(1, len(actions) + 1))
    faults = [f"{KINDS[n % len(KINDS)]}:{n}" for n in numbers]
    faults += ["fail:verify", f"kill:{(len(actions) + 1) // 2}"]
    world = runner.world()
    outcomes = {"put back": 0, "kept, said": 0, "killed": 0}
    for fault in faults:
        before = _bytes(world)
        failed = runner.run(world, fault)
        err, code = failed.err, failed.code
        assert code != 0, f"{fault}: {err}"
        assert "Traceback" not in err, f"{fault}: {err}"
        if fault.startswith("kill:"):
            assert code == -9
            outcomes["killed"] += 1
            request.node.user_properties.append((fault, "killed; the rerun put it back or went on"))
        elif "nothing was changed" in err or "before anything was changed" in err:
            assert _bytes(world) == before, f"{fault} left changes: {err}"
            outcomes["put back"] += 1
            request.node.user_properties.append((fault, "put back: " + err.splitlines()[-2][:300]))
            continue  # as it was: the next fault can start from here
        else:
            assert "done before that, and kept: " in err, f"{fault}: {err}"
            assert "to finish, rerun `" in err, f"{fault}: {err}"
            outcomes["kept, said"] += 1
            request.node.user_properties.append((fault, "kept: " + err.splitlines()[-1][:400]))
        again = runner.run(world)
        assert again.code == 0, f"rerun after {fault}: {again.err}"
        assert state(world, fake, index) == wanted, f"after {fault} ({err}): {again.err}"
        world = runner.world()
    if _bytes(world) == before:  # every fault since the last rerun was put back: finish once
        again = runner.run(world)
        assert again.code == 0, again.err
        assert state(world, fake, index) == wanted
    request.node.user_properties += [("actions", "; ".join(actions)), *outcomes.items()]
