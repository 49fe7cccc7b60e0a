from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import Cli, git, one_line_error, snapshot

from release.fakes.example import ExampleProject

FRAGMENT = "doc/release/upcoming_changes/12.change.rst"
CVERSIONS = "tinynum/_core/code_generators/cversions.txt"
MESSAGE = """BEG: Begin tinynum 1.4.0 development

- Create 1.4.0-notes.rst
- Update release.rst
- Update pyproject.toml
- Update cversions.txt
- Delete release fragments
"""


@pytest.fixture
def cycle(example: ExampleProject) -> ExampleProject:
    """The example's main during the 1.3 cycle, with one release-note fragment waiting."""
    (example.repo / FRAGMENT).write_text("``mean_int``\n------------\nInteger mean.\n")
    git(example.repo, "add", FRAGMENT)
    git(example.repo, "commit", "-q", "-m", "DOC: note for #12")
    return example


def _states(project: ExampleProject) -> tuple[str, str, str]:
    return snapshot(project.repo), snapshot(project.upstream), snapshot(project.fork)


def _refs(bare: Path) -> set[str]:
    return set(git(bare, "for-each-ref", "--format=%(refname) %(objectname)").splitlines())




def test_begins_the_next_cycle(cycle: ExampleProject, cli: Cli) -> None:
    repo = cycle.repo
    start = git(repo, "rev-parse", "HEAD").strip()
    remotes = snapshot(cycle.upstream), snapshot(cycle.fork)
    result = cli("branch", "1.3.0", "--repo", str(repo))
    assert result.code == 0, result.err
    assert git(repo, "branch", "--show-current").strip() == "main"
    assert git(repo, "rev-parse", "HEAD^").strip() == start
    assert git(repo, "rev-parse", "maintenance/1.3.x").strip() == start
    assert git(repo, "log", "-1", "--format=%B") == MESSAGE + "\n"
    assert git(repo, "rev-parse", "v1.4.0.dev0^{commit}") == git(repo, "rev-parse", "HEAD")
    assert git(repo, "cat-file", "-t", "v1.4.0.dev0").strip() == "tag"
    assert git(repo, "tag", "-l", "--format=%(contents)", "v1.4.0.dev0").strip() == (
        "Begin tinynum 1.4.0 development")
    assert 'version = "1.4.0.dev0"' in git(repo, "show", "HEAD:pyproject.toml")
    assert git(repo, "show", f"HEAD:{CVERSIONS}").splitlines()[-2:] == [
        "# Version 2 (tinynum 1.3.0) No change", "# Version 2 (tinynum 1.4.0) No change"]
    notes = git(repo, "show", "HEAD:doc/source/release/1.4.0-notes.rst").splitlines()
    template = git(repo, "show", "HEAD:doc/source/release/template.rst").splitlines()
    assert notes[4:7] == ["=" * 27, "tinynum 1.4.0 Release Notes", "=" * 27]
    assert notes[:4] + notes[7:] == template[:4] + template[7:]
    index = git(repo, "show", "HEAD:doc/source/release.rst").splitlines()
    assert index[-4:-2] == ["    1.4.0 <release/1.4.0-notes>", "    1.3.0 <release/1.3.0-notes>"]
    assert git(repo, "ls-tree", "--name-only", "HEAD", "doc/release/upcoming_changes/").split() == [
        "doc/release/upcoming_changes/README.rst", "doc/release/upcoming_changes/template.rst"]
    assert git(repo, "status", "--porcelain") == ""
    assert "not pushed; publish with --push" in result.err
    assert (snapshot(cycle.upstream), snapshot(cycle.fork)) == remotes


def test_dry_run_shows_everything_and_changes_nothing(cycle: ExampleProject, cli: Cli) -> None:
    before = _states(cycle)
    result = cli("branch", "1.3.0", "--repo", str(cycle.repo), "--dry-run", "--push", "--sign")
    assert result.code == 0, result.err
    assert _states(cycle) == before
    out = result.out
    start = git(cycle.repo, "rev-parse", "HEAD").strip()
    assert f"delete {FRAGMENT}" in out
    assert "+# Version 2 (tinynum 1.4.0) No change" in out
    assert "run git commit --quiet -m 'BEG: Begin tinynum 1.4.0 development\n" in out
    assert "run git tag -s v1.4.0.dev0 -m 'Begin tinynum 1.4.0 development' HEAD" in out
    assert f"run git branch maintenance/1.3.x {start}" in out
    for ref in ("refs/heads/main", "refs/tags/v1.4.0.dev0", "refs/heads/maintenance/1.3.x"):
        assert f"run git push upstream {ref}:{ref}" in out


def test_push_sends_exactly_three_refs_and_rerun_is_a_noop(cycle: ExampleProject, cli: Cli) -> None:
    before = _refs(cycle.upstream)
    fork = snapshot(cycle.fork)
    result = cli("branch", "1.3.0", "--repo", str(cycle.repo), "--push")
    assert result.code == 0, result.err
    after = _refs(cycle.upstream)
    local = {ref: git(cycle.repo, "rev-parse", ref).strip()
             for ref in ("refs/heads/main", "refs/tags/v1.4.0.dev0", "refs/heads/maintenance/1.3.x")}
    old_main = next(line for line in before if line.startswith("refs/heads/main "))
    assert after - before == {f"{ref} {sha}" for ref, sha in local.items()}
    assert before - after == {old_main}
    assert snapshot(cycle.fork) == fork
    states = _states(cycle)
    again = cli("branch", "1.3.0", "--repo", str(cycle.repo), "--push")
    assert again.code == 0, again.err
    assert "already exist and are on upstream; nothing to do" in again.out
    assert _states(cycle) == states


def test_push_after_a_local_run(cycle: ExampleProject, cli: Cli) -> None:
    assert cli("branch", "1.3.0", "--repo", str(cycle.repo)).code == 0
    again = cli("branch", "1.3.0", "--repo", str(cycle.repo))
    assert again.code == 0 and "nothing to do" in again.out
    result = cli("branch", "1.3.0", "--repo", str(cycle.repo), "--push")
    assert result.code == 0, result.err
    assert "git commit" not in result.err and "git tag" not in result.err
    assert git(cycle.upstream, "rev-parse", "refs/tags/v1.4.0.dev0") == git(
        cycle.repo, "rev-parse", "refs/tags/v1.4.0.dev0")


def test_an_old_series_is_already_branched(cycle: ExampleProject, cli: Cli) -> None:
    before = _states(cycle)
    result = cli("branch", "1.2.0", "--repo", str(cycle.repo), "--push")
    assert result.code == 0, result.err
    assert "v1.3.0.dev0 and maintenance/1.2.x already exist and are on upstream" in result.out
    assert _states(cycle) == before


def test_signed_dev_tag(cycle: ExampleProject, cli: Cli, gnupg: None) -> None:
    result = cli("branch", "1.3.0", "--repo", str(cycle.repo), "--sign")
    assert result.code == 0, result.err
    assert "-----BEGIN PGP SIGNATURE-----" in git(cycle.repo, "cat-file", "-p", "v1.4.0.dev0")
    subprocess.run(["git", "-C", str(cycle.repo), "tag", "-v", "v1.4.0.dev0"], check=True,
                   capture_output=True)


def test_a_failed_signature_puts_everything_back(cycle: ExampleProject, cli: Cli) -> None:
    repo = cycle.repo
    before = _states(cycle)
    broken = cli("branch", "1.3.0", "--repo", str(repo), "-u", "no-such-key@example.org")
    assert broken.code == 1 and "gpg failed to sign" in broken.err
    assert "nothing was changed (the 7 actions done were put back)" in broken.err
    assert _states(cycle) == before  # no Begin commit left on main for an unsigned rerun
    assert git(repo, "status", "--porcelain") == ""
    result = cli("branch", "1.3.0", "--repo", str(repo))
    assert result.code == 0, result.err
    assert "git commit" in result.err  # a fresh run, which asked for no signature
    assert git(repo, "rev-parse", "v1.4.0.dev0^{commit}") == git(repo, "rev-parse", "HEAD")


@pytest.mark.parametrize(("version", "words"), [
    ("1.3.1", "not 1.3.1"),
    ("1.3.0rc1", "not 1.3.0rc1"),
    ("1.4.0.dev0", "not 1.4.0.dev0"),
])
def test_bad_versions(cycle: ExampleProject, cli: Cli, version: str, words: str) -> None:
    before = _states(cycle)
    result = cli("branch", version, "--repo", str(cycle.repo))
    assert result.code == 2
    one_line_error(result.err, words)
    assert _states(cycle) == before


def _break(kind: str, project: ExampleProject) -> str:
    repo = project.repo
    if kind == "dirty":
        (repo / "README.md").write_text("edited\n")
    elif kind == "wrong-branch":
        git(repo, "checkout", "-q", "maintenance/1.2.x")
    elif kind == "version":
        return "1.5.0"
    elif kind == "branched":
        git(repo, "branch", "maintenance/1.3.x", "HEAD^")
    elif kind == "remote-tag":
        git(project.upstream, "tag", "v1.4.0.dev0", "main")
    elif kind == "remote-branch":
        git(project.upstream, "branch", "maintenance/1.3.x", "main")
    elif kind == "behind":
        git(repo, "commit", "-q", "--allow-empty", "-m", "newer")
        git(repo, "push", "-q", "upstream", "HEAD:refs/heads/main")
        git(repo, "reset", "-q", "--hard", "HEAD^")
    elif kind in ("diverged", "unfetched"):
        git(repo, "commit", "-q", "--allow-empty", "-m", "theirs")
        git(repo, "push", "-q", "upstream", "HEAD:refs/heads/main")
        git(repo, "reset", "-q", "--hard", "HEAD^")
        if kind == "unfetched":
            git(repo, "update-ref", "-d", "refs/remotes/upstream/main")
            git(repo, "reflog", "expire", "--expire=now", "--all")
            git(repo, "gc", "-q", "--prune=now")
        else:
            git(repo, "commit", "-q", "--allow-empty", "-m", "ours")
    elif kind == "no-upstream":
        git(repo, "remote", "remove", "upstream")
    elif kind == "local-tag-elsewhere":
        git(repo, "tag", "-a", "v1.4.0.dev0", "-m", "Begin tinynum 1.4.0 development", "HEAD")
    return "1.3.0"


@pytest.mark.parametrize(("kind", "words"), [
    ("dirty", "work tree is not clean"),
    ("wrong-branch", "on branch maintenance/1.2.x, not on main"),
    ("version", "says version 1.3.0.dev0, not 1.5.0.dev0"),
    ("branched", "branch maintenance/1.3.x already exists"),
    ("remote-tag", "tag v1.4.0.dev0 already exists on upstream"),
    ("remote-branch", "branch maintenance/1.3.x already exists on upstream"),
    ("behind", "main is behind upstream/main by 1 commit(s)"),
    ("diverged", "main has diverged from upstream/main: 1 commit(s) here are not there, and 1 "
                 "there are not here"),
    ("unfetched", "upstream has commits on main that are not here"),
    ("no-upstream", "no remote named 'upstream'"),
    ("local-tag-elsewhere", "does not say 1.4.0.dev0"),
])
def test_precondition_failures(cycle: ExampleProject, cli: Cli, kind: str, words: str) -> None:
    version = _break(kind, cycle)
    before = _states(cycle)
    result = cli("branch", version, "--repo", str(cycle.repo), "--push")
    assert result.code == 1, result.out + result.err
    one_line_error(result.err, words)
    assert _states(cycle) == before


# NumPy's own "Begin" commits (squash-merged, tagged vX.Y.0.dev0) in the fixture history.
@pytest.mark.parametrize("dev_tag", ["v2.6.0.dev0", "v2.5.0.dev0"])
def test_numpy_begin_matches_numpys_own_commit(numpy_bundle_clone: Path, tmp_path: Path, cli: Cli,
                                               dev_tag: str) -> None:
    major, minor = (int(part) for part in dev_tag[1:].split(".")[:2])
    series = f"{major}.{minor - 1}"
    repo = tmp_path / "numpy"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(numpy_bundle_clone), str(repo)],
                   check=True)
    git(repo, "fetch", "-q", "origin",
        f"+refs/remotes/origin/maintenance/{series}.x:refs/remotes/origin/maintenance/{series}.x")
    git(repo, "config", "user.name", "Release Manager")
    git(repo, "config", "user.email", "rm@example.org")
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "upstream.git")], check=True)
    git(repo, "remote", "add", "upstream", str(tmp_path / "upstream.git"))
    theirs = git(repo, "rev-parse", f"{dev_tag}^{{commit}}").strip()
    their_message = git(repo, "tag", "-l", "--format=%(contents:subject)", dev_tag).strip()
    git(repo, "tag", "-d", dev_tag)
    git(repo, "checkout", "-q", "-B", "main", f"{theirs}^")
    result = cli("branch", f"{series}.0", "--repo", str(repo))
    assert result.code == 0, result.err
    # 2.5.0.dev0 also dropped the Python 3.11 classifier; the version line is what this step sets.
    same = ["doc/source/release.rst", "doc/release/upcoming_changes",
            "numpy/_core/code_generators/cversions.txt"]
    for path in [*same, "pyproject.toml"] if dev_tag == "v2.6.0.dev0" else same:
        assert git(repo, "rev-parse", f"HEAD:{path}") == git(repo, "rev-parse", f"{theirs}:{path}"), path
    assert f'version = "{dev_tag[1:]}"' in git(repo, "show", "HEAD:pyproject.toml")
    assert git(repo, "tag", "-l", "--format=%(contents:subject)", dev_tag).strip() == their_message
    assert git(repo, "rev-parse", f"maintenance/{series}.x") == git(
        repo, "merge-base", f"origin/maintenance/{series}.x", theirs)
    notes = git(repo, "show", f"HEAD:doc/source/release/{major}.{minor}.0-notes.rst").splitlines()
    template = git(repo, "show", "HEAD:doc/source/release/template.rst").splitlines()
    title = f"NumPy {major}.{minor}.0 Release Notes"
    assert notes[4:7] == ["=" * len(title), title, "=" * len(title)]
    assert notes[:4] + notes[7:] == template[:4] + template[7:]
