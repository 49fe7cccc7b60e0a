"""Build the example project "tinynum": a small, deterministic, NumPy-shaped repository.

History (dates fixed, identities fixed):

- main: initial layout (v1.1.0.dev0), PR #2 (merge commit), #3 (squash), then the
  "Begin 1.2.0" commit tagged v1.2.0.dev0; maintenance/1.1.x branches off its parent and gets
  the 1.1.0 REL commit (tag v1.1.0), the reset to 1.1.1 and a backport (#14).
- the 1.2 cycle on main: #5 (merge, Co-authored-by trailer, highlight and feature fragments),
  #6 (squash, first-time contributor), #7 (squash, a handle-like identity), #8 (merge, C-API
  addition with its version bump), #9 (squash, an old e-mail mapped by .mailmap).
- maintenance/1.2.x branches at that point; main gets "Begin 1.3.0" (v1.3.0.dev0) and #12,
  which is backported to maintenance/1.2.x by #13.

Remotes: `upstream` and `origin` are local bare repositories holding every branch and tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from release.fakes import example_files as f
from release.services.git import GitService, clone_bare, init_repo

ALICE = ("Alice Maintainer", "alice@example.org")
BOB = ("Bob Builder", "bob@example.org")
BOB_OLD = ("Bob Builder", "bob@old.example.org")
CHANDRA = ("Chandra Dev", "chandra@example.org")
DANA = ("Dana Newcomer", "41234567+dana-n@users.noreply.github.com")
ERIN = ("erin", "erin@localhost")
FRANK = ("Frank Fixer", "frank@example.org")


@dataclass(frozen=True)
class ExampleProject:
    repo: Path
    upstream: Path
    fork: Path


class _Builder:
    def __init__(self, repo: Path) -> None:
        service = init_repo(repo)
        assert service is not None
        self.git: GitService = service
        self.root = repo
        self.day = 0
        self.git.run(["config", "user.name", ALICE[0]])
        self.git.run(["config", "user.email", ALICE[1]])
        self.git.run(["config", "commit.gpgsign", "false"])
        self.git.run(["config", "tag.gpgsign", "false"])

    def env(self, who: tuple[str, str], date: str) -> dict[str, str]:
        stamp = f"{date}T12:00:00+00:00"
        return {
            "GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1], "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": ALICE[0], "GIT_COMMITTER_EMAIL": ALICE[1],
            "GIT_COMMITTER_DATE": stamp,
        }

    def write(self, files: dict[str, str | None]) -> None:
        for rel, text in files.items():
            path = self.root / rel
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")

    def commit(self, who: tuple[str, str], date: str, message: str,
               files: dict[str, str | None]) -> str:
        self.write(files)
        self.git.run(["add", "--all"])
        self.git.run(["commit", "--quiet", "--allow-empty", "-m", message], env=self.env(who, date))
        return self.git.head()

    def pull_request(self, number: int, who: tuple[str, str], date: str, branch: str,
                     title: str, files: dict[str, str | None], trailers: str = "") -> str:
        """A GitHub-style merge: a topic branch, then `Merge pull request #N from user/branch`."""
        target = self.git.current_branch()
        assert target is not None
        self.git.run(["checkout", "--quiet", "-b", branch])
        message = title + (f"\n\n{trailers}" if trailers else "")
        self.commit(who, date, message, files)
        self.git.run(["checkout", "--quiet", target])
        self.git.run(["merge", "--quiet", "--no-ff", "-m",
                      f"Merge pull request #{number} from {branch}", "-m", title, branch],
                     env=self.env(ALICE, date))
        self.git.run(["branch", "--quiet", "-D", branch])
        return self.git.head()

    def tag(self, name: str, message: str, date: str) -> None:
        self.git.run(["tag", "-a", name, "-m", message], env=self.env(ALICE, date))

    def core(self, line: str) -> dict[str, str | None]:
        path = self.root / "tinynum/core.py"
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        return {"tinynum/core.py": old + line + "\n"}


def build_example_project(dest: Path) -> ExampleProject:
    """Create `dest/tinynum` with remotes `dest/upstream.git` and `dest/fork.git`."""
    repo = dest / "tinynum"
    b = _Builder(repo)
    _first_cycle(b)
    _second_cycle(b)
    b.git.run(["checkout", "--quiet", "main"])
    upstream, fork = dest / "upstream.git", dest / "fork.git"
    for bare, name in ((upstream, "upstream"), (fork, "origin")):
        clone_bare(repo, bare)
        b.git.run(["remote", "add", name, str(bare)])
    b.git.run(["fetch", "--quiet", "--all", "--tags"])
    return ExampleProject(repo=repo, upstream=upstream, fork=fork)


def _first_cycle(b: _Builder) -> None:
    b.commit(ALICE, "2025-01-06", "MAINT: initial tinynum layout", {
        "README.md": "# tinynum\n\nA tiny NumPy-shaped project.\n",
        ".gitignore": "/release\n/dist\ndoc/source/release/notes-towncrier.rst\n",
        ".mailmap": f.MAILMAP,
        "pyproject.toml": f.pyproject("1.1.0.dev0"),
        "tinynum/__init__.py": '"""tinynum."""\n',
        **b.core("def add(a, b):\n    return a + b"),
        f.MESON: f.meson_build(1),
        f.NUMPY_API: f.numpy_api(False),
        f.CVERSIONS: f.cversions([], with_mean=False),
        f.NUMPYCONFIG: f.numpyconfig({"1.1": 1}),
        f"{f.FRAGMENTS}/README.rst": f.FRAGMENTS_README,
        f"{f.FRAGMENTS}/template.rst": f.TOWNCRIER_TEMPLATE,
        "doc/source/release/template.rst": f.NOTES_TEMPLATE,
        "doc/source/release/1.1.0-notes.rst": f.feature_notes_skeleton("1.1.0"),
        "doc/source/release.rst": f.release_index(["1.1.0"]),
    })
    b.tag("v1.1.0.dev0", "Begin tinynum 1.1.0 development", "2025-01-06")
    b.pull_request(2, BOB, "2025-01-10", "bob/add-sum", "ENH: add tinynum.sum",
                   b.core("def total(xs):\n    return sum(xs)"))
    b.commit(CHANDRA, "2025-01-15", "BUG: fix overflow in tinynum.prod (#3)",
             b.core("def prod(xs):\n    out = 1\n    for x in xs:\n        out *= x\n    return out"))
    branch_point = b.git.head()
    b.commit(ALICE, "2025-02-01", "BEG: Begin tinynum 1.2.0 development (#4)", {
        "pyproject.toml": f.pyproject("1.2.0.dev0"),
        "doc/source/release/1.2.0-notes.rst": f.feature_notes_skeleton("1.2.0"),
        "doc/source/release.rst": f.release_index(["1.2.0", "1.1.0"]),
        f.CVERSIONS: f.cversions(["# Version 1 (tinynum 1.2.0) No change"], with_mean=False),
    })
    b.tag("v1.2.0.dev0", "Begin tinynum 1.2.0 development", "2025-02-01")
    b.git.run(["checkout", "--quiet", "-b", "maintenance/1.1.x", branch_point])
    b.commit(ALICE, "2025-02-03", "REL: Prepare for the tinynum 1.1.0 release\n\n"
             "- Create 1.1.0-changelog.rst.\n- Update 1.1.0-notes.rst.\n- Update pyproject.toml", {
                 "pyproject.toml": f.pyproject("1.1.0"),
                 "doc/changelog/1.1.0-changelog.rst": f.changelog_1_1_0(),
             })
    b.tag("v1.1.0", "tinynum 1.1.0 release", "2025-02-03")
    b.commit(ALICE, "2025-02-04", "MAINT: Prepare 1.1.x for further development\n\n"
             "- Create 1.1.1-notes.rst\n- Update release.rst\n- Update pyproject.toml\n\n"
             "[skip azp] [skip actions]", {
                 "pyproject.toml": f.pyproject("1.1.1"),
                 "doc/source/release/1.1.1-notes.rst": f.patch_notes_skeleton("1.1.1", "1.1.0"),
                 "doc/source/release.rst": f.release_index(["1.1.1", "1.1.0"]),
             })
    b.pull_request(14, ALICE, "2025-02-20", "alice/backport-10", "BUG: guard total() against None (#10)",
                   b.core("def total_or_zero(xs):\n    return sum(xs or ())"))
    b.git.run(["checkout", "--quiet", "main"])
    b.commit(ALICE, "2025-02-18", "BUG: guard total() against None (#10)",
             b.core("def total_or_zero(xs):\n    return sum(xs or ())"))


def _second_cycle(b: _Builder) -> None:
    frag = f.FRAGMENTS
    b.pull_request(5, BOB, "2025-02-24", "bob/mean", "ENH: add tinynum.mean", {
        **b.core("def mean(xs):\n    return total(xs) / len(xs)"),
        f"{frag}/5.highlight.rst": "* ``tinynum.mean`` computes the arithmetic mean.\n",
        f"{frag}/5.new_feature.rst": "``tinynum.mean``\n----------------\n"
                                     "A new function computes the mean of a sequence.\n",
    }, trailers=f"Co-authored-by: {FRANK[0]} <{FRANK[1]}>")
    b.commit(DANA, "2025-03-01", "DOC: explain broadcasting rules (#6)", {
        "doc/source/broadcasting.rst": "Broadcasting\n============\n\nShapes line up from the right.\n",
    })
    b.commit(ERIN, "2025-03-04", "BUG: handle empty input in ``mean`` (#7)", {
        **b.core("def safe_mean(xs):\n    return mean(xs) if xs else 0.0"),
        f"{frag}/7.change.rst": "``mean`` of an empty sequence\n-----------------------------\n"
                                "It now returns ``0.0`` instead of raising.\n",
    })
    b.pull_request(8, CHANDRA, "2025-03-08", "chandra/capi-mean",
                   "ENH: add TinyArray_Mean to the C API", {
                       f.MESON: f.meson_build(2),
                       f.NUMPY_API: f.numpy_api(True),
                       f.CVERSIONS: f.cversions([], with_mean=True),
                       f.NUMPYCONFIG: f.numpyconfig({"1.1": 1, "1.2": 2}),
                       f"{frag}/8.c_api.rst": "``TinyArray_Mean``\n------------------\n"
                                             "A C-API function for the mean.\n",
                   })
    b.commit(BOB_OLD, "2025-03-12", "MAINT: speed up total() (#9)", {
        **b.core("def fast_total(xs):\n    return total(list(xs))"),
        f"{frag}/9.performance.rst": "Faster ``total``\n---------------\n"
                                     "``total`` no longer copies its input twice.\n",
    })
    b.git.run(["branch", "maintenance/1.2.x"])
    fragments = ["5.highlight.rst", "5.new_feature.rst", "7.change.rst", "8.c_api.rst",
                 "9.performance.rst"]
    b.commit(ALICE, "2025-03-15", "BEG: Begin tinynum 1.3.0 development (#11)", {
        "pyproject.toml": f.pyproject("1.3.0.dev0"),
        "doc/source/release/1.3.0-notes.rst": f.feature_notes_skeleton("1.3.0"),
        "doc/source/release.rst": f.release_index(["1.3.0", "1.2.0", "1.1.0"]),
        f.CVERSIONS: f.cversions(["# Version 2 (tinynum 1.3.0) No change"], with_mean=True),
        f.NUMPYCONFIG: f.numpyconfig({"1.1": 1, "1.2": 2, "1.3": 2}),
        **{f"{frag}/{name}": None for name in fragments},
    })
    b.tag("v1.3.0.dev0", "Begin tinynum 1.3.0 development", "2025-03-15")
    fix = b.core("def mean_int(xs):\n    return total(xs) // max(len(xs), 1)")
    b.commit(DANA, "2025-03-20", "BUG: fix mean of ints (#12)", fix)
    b.git.run(["checkout", "--quiet", "maintenance/1.2.x"])
    b.pull_request(13, ALICE, "2025-03-22", "alice/backport-12", "BUG: fix mean of ints (#12)",
                   b.core("def mean_int(xs):\n    return total(xs) // max(len(xs), 1)"))


def copy_example(template: ExampleProject, dest: Path) -> ExampleProject:
    """Copy a built example (faster than building) and point its remotes at the copies."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in ("repo", "upstream", "fork"):
        src: Path = getattr(template, name)
        paths[name] = dest / src.name
        shutil.copytree(src, paths[name], symlinks=True)
    git = GitService(paths["repo"])
    git.run(["remote", "set-url", "upstream", str(paths["upstream"])])
    git.run(["remote", "set-url", "origin", str(paths["fork"])])
    return ExampleProject(**paths)


def commit_release_files(project: ExampleProject, version: str, files: dict[str, str]) -> str:
    """Stand in for a merged release PR: on the maintenance branch, set the version and commit
    `files` (for tests of later steps that need a release-ready branch)."""
    from release.repo.pyproject_file import set_version
    from release.version import ReleaseVersion

    parsed = ReleaseVersion.parse(version)
    git = GitService(project.repo)
    git.run(["checkout", "--quiet", parsed.maintenance_branch()])
    pyproject = project.repo / "pyproject.toml"
    pyproject.write_text(set_version(pyproject.read_text(encoding="utf-8"), version),
                         encoding="utf-8")
    for rel, text in files.items():
        path = project.repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git.run(["add", "--all"])
    git.run(["commit", "--quiet", "-m", f"REL: Prepare for the tinynum {version} release"],
            env={"GIT_AUTHOR_DATE": "2025-04-01T12:00:00+00:00",
                 "GIT_COMMITTER_DATE": "2025-04-01T12:00:00+00:00"})
    return git.head()
