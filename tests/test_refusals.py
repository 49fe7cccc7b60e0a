"""What would be wrong is refused: a shallow clone, files whose metadata is not the release's,
towncrier settings that find no fragments, input that is not UTF-8. Each case: one line with a
hint, a non-zero exit, the repository byte-identical."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import Cli, git, one_line_error, snapshot

from release.config import load_config
from release.fakes.dists import wheel_bytes, write_dists
from release.fakes.example import ExampleProject
from release.services.git import GitService
from release.version import ReleaseVersion
from release.wheels.matrix import matrix_for

FRAGMENTS = "doc/release/upcoming_changes"
VERSION = "1.2.0"


@pytest.fixture
def branch(example: ExampleProject) -> ExampleProject:
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    return example


def _refused(cli: Cli, repo: Path, *argv: str, words: str, hint: str = "") -> None:
    before = snapshot(repo)
    result = cli(*argv, "--repo", str(repo))
    assert result.code not in (0, 70), result.err
    lines = result.err.strip().splitlines()
    assert "Traceback" not in result.err
    one_line_error("\n".join(lines[-2:]), words)
    assert hint in lines[-1], result.err
    assert snapshot(repo) == before


# -- a shallow clone ----------------------------------------------------------------------------

SHALLOW_STEPS = [
    ("check", VERSION, "--offline"),
    ("changelog", VERSION, "--offline"),
    ("notes", VERSION),
    ("mailmap", VERSION, "--offline"),
    ("prepare", VERSION, "--offline", "--no-pr"),
    ("tag", VERSION),
    ("status", VERSION, "--offline"),
    ("reset-branch", VERSION),
    ("post-release", VERSION),
    ("branch", "1.3.0"),
    ("support", VERSION),
    ("backports", VERSION),
    ("changelog", "v1.1.0..maintenance/1.2.x", "--offline", "--output", "-"),
]


@pytest.fixture(scope="module")
def shallow(example_template: ExampleProject, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`git clone --depth 3` of the example with its tags fetched: tags and branches resolve, the
    history between them is cut off."""
    dest = tmp_path_factory.mktemp("shallow") / "tinynum"
    subprocess.run(["git", "clone", "--quiet", "--depth", "3", "--no-single-branch",
                    "--branch", "maintenance/1.2.x", f"file://{example_template.repo}", str(dest)],
                   check=True)
    subprocess.run(["git", "-C", str(dest), "fetch", "--quiet", "--tags", "origin"], check=True)
    assert git(dest, "rev-parse", "--is-shallow-repository").strip() == "true"
    return dest


@pytest.mark.parametrize("argv", SHALLOW_STEPS, ids=[" ".join(a[:2]) for a in SHALLOW_STEPS])
def test_a_shallow_clone_is_refused_by_every_step_that_reads_history(
        shallow: Path, cli: Cli, argv: tuple[str, ...]) -> None:
    _refused(cli, shallow, *argv, words="is a shallow clone", hint="git fetch --unshallow")


def test_a_shallow_clone_is_refused_by_the_service_too(shallow: Path) -> None:
    with pytest.raises(Exception, match="shallow clone"):
        GitService(shallow).log("v1.1.0..HEAD")


# -- files judged by their metadata -------------------------------------------------------------

def _expected(example: ExampleProject, version: str = VERSION) -> list[str]:
    config = load_config(example.repo).config
    return matrix_for(config, ReleaseVersion.parse(version)).filenames(version)


def _dist_with_rc_inside(example: ExampleProject, dest: Path) -> tuple[Path, str]:
    """Every file of 1.2.0, but one wheel's METADATA says 1.2.0rc1 (built from the rc commit
    and renamed)."""
    names = _expected(example)
    write_dists(dest, names, "tinynum")
    wheel = next(name for name in names if name.endswith(".whl"))
    (dest / wheel).write_bytes(wheel_bytes(wheel.replace(VERSION, f"{VERSION}rc1"), "tinynum"))
    return dest, wheel


def test_wheels_from_dir_reads_each_wheels_metadata(branch: ExampleProject, tmp_path: Path,
                                                    cli: Cli) -> None:
    dist, wheel = _dist_with_rc_inside(branch, tmp_path / "dist")
    _refused(cli, branch.repo, "wheels", VERSION, "--from-dir", str(dist),
             words=f"{wheel} (its METADATA says tinynum 1.2.0rc1)", hint="never rename")


def test_upload_reads_each_files_metadata_before_anything_leaves(
        branch: ExampleProject, tmp_path: Path, cli: Cli) -> None:
    dist, wheel = _dist_with_rc_inside(branch, tmp_path / "dist")
    # the index URL is never reached: the refusal comes first
    _refused(cli, branch.repo, "upload", VERSION, "--from-dir", str(dist), "--repository-url",
             "http://127.0.0.1:9/", "--upload", words=f"{wheel} (its METADATA says tinynum 1.2.0rc1)")


def test_upload_reads_the_sdists_pkg_info(branch: ExampleProject, tmp_path: Path,
                                          cli: Cli) -> None:
    dist = tmp_path / "dist"
    write_dists(dist, _expected(branch), "tinynum")
    sdist = f"tinynum-{VERSION}.tar.gz"
    other = tmp_path / "other"
    write_dists(other, ["tinynum-1.1.0.tar.gz"], "tinynum")
    (dist / sdist).write_bytes((other / "tinynum-1.1.0.tar.gz").read_bytes())
    _refused(cli, branch.repo, "upload", VERSION, "--from-dir", str(dist), "--repository-url",
             "http://127.0.0.1:9/", words=f"{sdist} (its PKG-INFO says tinynum 1.1.0)")


def test_a_wheel_that_is_not_a_zip_is_named(branch: ExampleProject, tmp_path: Path,
                                           cli: Cli) -> None:
    dist = tmp_path / "dist"
    names = _expected(branch)
    write_dists(dist, names, "tinynum")
    wheel = next(name for name in names if name.endswith(".whl"))
    (dist / wheel).write_bytes(b"<html>404</html>")
    _refused(cli, branch.repo, "wheels", VERSION, "--from-dir", str(dist),
             words=f"{wheel} (not a zip archive")


# -- towncrier settings and fragments -----------------------------------------------------------

def _commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def test_a_misspelt_fragments_directory_is_an_error_not_empty_notes(
        branch: ExampleProject, cli: Cli) -> None:
    pyproject = branch.repo / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace(f'directory = "{FRAGMENTS}/"', 'directory = "doc/release/upcomming/"'),
                         encoding="utf-8")
    _commit(branch.repo, "MAINT: towncrier directory typo")
    for argv in (("notes", VERSION), ("prepare", VERSION, "--offline", "--no-pr")):
        _refused(cli, branch.repo, *argv,
                 words=f"find no fragments in doc/release/upcomming, but 5 files named like "
                       f"fragments are in {FRAGMENTS}", hint="fix `directory`")
    check = cli("check", VERSION, "--offline", "--repo", str(branch.repo))
    assert check.code == 1 and "find no fragments" in check.out


def test_a_fragment_that_is_not_utf8_is_named_with_its_byte(branch: ExampleProject,
                                                            cli: Cli) -> None:
    (branch.repo / FRAGMENTS / "7.change.rst").write_bytes(b"``mean`` now says caf\xe9.\n")
    _commit(branch.repo, "DOC: a Latin-1 fragment")
    _refused(cli, branch.repo, "notes", VERSION,
             words=f"{FRAGMENTS}/7.change.rst is not UTF-8 text (byte 0xe9 at offset 21)",
             hint="iconv")


def test_a_fragment_numbered_in_full_width_digits_is_refused(branch: ExampleProject,
                                                             cli: Cli) -> None:
    (branch.repo / FRAGMENTS / "\uff17.change.rst").write_text("A change.\n", encoding="utf-8")
    _commit(branch.repo, "DOC: a fragment numbered in full-width digits")
    _refused(cli, branch.repo, "notes", VERSION, words="PR number not in ASCII digits")


def test_tracked_names_are_read_raw(branch: ExampleProject) -> None:
    """`git ls-files` quotes non-ASCII names unless read with -z."""
    name = f"{FRAGMENTS}/caf\u00e9.txt"
    (branch.repo / name).write_text("x\n", encoding="utf-8")
    _commit(branch.repo, "add a non-ASCII name")
    assert name in GitService(branch.repo).tracked_files()


def test_a_towncrier_template_with_an_undefined_name(branch: ExampleProject,
                                                     cli: Cli) -> None:
    template = branch.repo / FRAGMENTS / "template.rst"
    template.write_text(template.read_text(encoding="utf-8") + "\n{{ no_such_name.attr }}\n",
                        encoding="utf-8")
    _commit(branch.repo, "DOC: template typo")
    _refused(cli, branch.repo, "notes", VERSION,
             words=f"the towncrier template {FRAGMENTS}/template.rst: 'no_such_name' is undefined",
             hint="fix the template")


# -- .mailmap in Latin-1 ------------------------------------------------------------------------

def test_a_latin1_mailmap_is_named_with_its_byte(branch: ExampleProject,
                                                 cli: Cli) -> None:
    mailmap = branch.repo / ".mailmap"
    offset = len(mailmap.read_bytes()) + 2
    with mailmap.open("ab") as handle:
        handle.write(b"Er\xefn Latin <erin@example.org> <erin@localhost>\n")
    _commit(branch.repo, "MAINT: a Latin-1 .mailmap line")
    where = f".mailmap is not UTF-8 text (byte 0xef at offset {offset})"
    for argv in (("mailmap", VERSION, "--offline"), ("changelog", VERSION, "--offline")):
        _refused(cli, branch.repo, *argv, words=where, hint="iconv -f latin1 -t utf-8 .mailmap")


# -- bad files ----------------------------------------------------------------------------------

BAD_FILES = [
    ("pyproject.toml", b"\n# caf\xe9\n", ("check", VERSION, "--offline"),
     "pyproject.toml is not UTF-8 text (byte 0xe9 at offset"),
    ("pyproject.toml", b"\nx = [\n", ("changelog", VERSION, "--offline"),
     "pyproject.toml is not valid TOML"),
    ("doc/source/release.rst", b"\n\xff\xfe\n", ("notes", VERSION),
     "doc/source/release.rst is not UTF-8 text (byte 0xff at offset"),
]


@pytest.mark.parametrize(("name", "tail", "argv", "words"), BAD_FILES,
                         ids=[f"{argv[0]} {name}" for name, _, argv, _ in BAD_FILES])
def test_a_bad_input_file_is_named(branch: ExampleProject, name: str, tail: bytes,
                                   argv: tuple[str, ...], words: str,
                                   cli: Cli) -> None:
    with (branch.repo / name).open("ab") as handle:
        handle.write(tail)
    _commit(branch.repo, f"MAINT: a broken {name}")
    _refused(cli, branch.repo, *argv, words=words)


def test_a_directory_where_a_dist_dir_file_is_expected(branch: ExampleProject, tmp_path: Path,
                                                      cli: Cli) -> None:
    dist = tmp_path / "dist"
    names = _expected(branch)
    write_dists(dist, names[1:], "tinynum")
    (dist / names[0]).mkdir()
    _refused(cli, branch.repo, "wheels", VERSION, "--from-dir", str(dist), words=names[0])
