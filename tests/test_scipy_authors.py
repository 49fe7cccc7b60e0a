"""SciPy's Authors sections on SciPy's own history, against what SciPy's tools/authors.py prints.

The golden files under tests/data/scipy/authors/ are real outputs of SciPy's tool (see the README
there); one test runs the tool itself on the bundle to show they still are.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, SCIPY_FIXTURE
from helpers import Cli

from release.changelog.authors import NotPeople, authors_of, credited, name_map, sort_key
from release.config import from_table, load_config
from release.errors import PreconditionError
from release.rehearsal.past_release import RealRelease, compare_credits
from release.rehearsal.scratch import Rewind
from release.repo.revision_range import RevisionRange, infer_start
from release.services.git import GitService
from release.version import ReleaseVersion

GOLDEN = SCIPY_FIXTURE / "authors"
REMINDER = "NOTE: Check this list manually!"
RANGES = {"1.14.1": "v1.14.0", "1.15.3": "v1.15.2", "1.17.1": "v1.17.0", "1.18.1": "v1.18.0",
          "1.18.0": "v1.17.0"}


def config_of(clone: Path) -> str:
    return str(clone.parent / "scipy-release.toml")


@pytest.mark.parametrize("version", sorted(RANGES))
def test_authors_equal_scipys_tool(cli: Cli, scipy_bundle_clone: Path, version: str) -> None:
    """stdout is the tool's stdout but for its closing reminder, which goes to stderr
    (`--all-credits`: the names the profile's credits_not_people leaves out listed too, as the
    tool lists them)."""
    result = cli("changelog", version, "--until", f"v{version}", "--offline", "--all-credits",
                 "--mailmap-from", f"v{version}", "--repo", str(scipy_bundle_clone),
                 "--config", config_of(scipy_bundle_clone))
    assert result.code == 0, result.err
    golden = (GOLDEN / f"{version}.txt").read_text(encoding="utf-8")
    section, reminder, rest = golden.partition(REMINDER)
    assert result.out == section
    assert result.err.endswith(reminder + rest)
    assert f"authors for {RANGES[version]}..v{version}" in result.err  # no dev0 tags for X.Y.0
    own = GOLDEN / f"{version}-own-tool.txt"
    if own.is_file():  # the tag's older tool: the totals paragraph without its indentation
        printed = own.read_text(encoding="utf-8").partition(REMINDER)[0]
        assert [ln.strip() for ln in result.out.splitlines()] == \
            [ln.strip() for ln in printed.splitlines()][:len(result.out.splitlines())]
        assert result.out != printed


@pytest.mark.parametrize("version", sorted(RANGES))
def test_profile_leaves_out_what_scipy_published_without(cli: Cli, scipy_bundle_clone: Path,
                                                         version: str) -> None:
    """Under SciPy's profile the Authors leave out the AI assistants' `Co-authored-by` names, as
    SciPy's published notes do: for 1.18.0 the tool's list less `Claude Opus` and `Claude
    Sonnet` (105 people -> 103, the published total); the other releases have none to leave out."""
    result = cli("changelog", version, "--until", f"v{version}", "--offline",
                 "--mailmap-from", f"v{version}", "--repo", str(scipy_bundle_clone),
                 "--config", config_of(scipy_bundle_clone))
    assert result.code == 0, result.err
    tool = (GOLDEN / f"{version}.txt").read_text(encoding="utf-8").partition(REMINDER)[0]
    left_out = [line for line in tool.splitlines(keepends=True)
                if line.startswith(("* Claude Opus (", "* Claude Sonnet ("))]
    assert len(left_out) == (2 if version == "1.18.0" else 0)
    expected = "".join(line for line in tool.splitlines(keepends=True) if line not in left_out)
    total = len([line for line in tool.splitlines() if line.startswith("* ")])
    expected = expected.replace(f"A total of {total} people",
                                f"A total of {total - len(left_out)} people")
    assert result.out == expected
    published = git_show(scipy_bundle_clone, f"v{version}:doc/source/release/{version}-notes.rst")
    assert f"A total of {total - len(left_out)} people contributed" in published
    assert "Claude" not in published


def test_not_people_by_email_and_name() -> None:
    """A credit line whose e-mail matches is left out (Claude's trailer), as is a name that
    matches (a bot author); a person's own trailer, and SciPy's tool's rules otherwise, stay."""
    lines = ["@@@Ann Author@@@", "@@@Ann Author@@@",
             "Co-authored-by: Claude Opus 4.6 (1M context) <noreply@anthropic.com>",
             "Co-authored-by: Dee Doe <dee@example.org>",
             "@@@Copilot@@@", "@@@GitHub@@@"]
    patterns = ("*@anthropic.com", "Copilot")
    assert credited(lines, {}) == {"Ann Author": 2, "Claude Opus": 1, "Dee Doe": 1,
                                   "Copilot": 1, "GitHub": 1}
    assert credited(lines, {}, NotPeople(patterns)) == {"Ann Author": 2, "Dee Doe": 1, "GitHub": 1}


def test_numpy_profile_lists_every_credit() -> None:
    """NumPy's 2.5.0 changelog lists `Claude Opus 4.6 (1M context) +`: its profile leaves no
    credit out."""
    changelog = (DATA / "numpy" / "changelogs" / "2.5.0-changelog.rst").read_text(encoding="utf-8")
    assert "* Claude Opus 4.6 (1M context) +" in changelog
    assert load_config(None).config.credits_not_people == ()
    assert from_table({"profile": "scipy"}, "test").credits_not_people


def git_show(repo: Path, what: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "show", what], check=True, capture_output=True,
                          text=True).stdout


def test_golden_file_is_what_scipys_tool_prints(scipy_bundle_clone: Path, tmp_path: Path) -> None:
    """SciPy's own tools/authors.py, from v1.18.1, run on the bundle (the work tree untouched:
    the tool and its .mailmap are copied out, git runs in the clone)."""
    git = ["git", "-C", str(scipy_bundle_clone), "show"]
    (tmp_path / "tools").mkdir()
    for path in ("tools/authors.py", ".mailmap"):
        blob = subprocess.run([*git, f"v1.18.1:{path}"], check=True, capture_output=True).stdout
        (tmp_path / path).write_bytes(blob)
    printed = subprocess.run([sys.executable, str(tmp_path / "tools" / "authors.py"), "v1.18.0..v1.18.1"],
                             cwd=scipy_bundle_clone, check=True, capture_output=True).stdout
    assert printed == (GOLDEN / "1.18.1.txt").read_bytes()


def test_committer_and_thanks_lines_count() -> None:
    lines = ["@@@Ann Author@@@", "@@@Carl Committer@@@", "Fix it.", "",
             "Thanks to Dee Doe and Eve Roe.", "Courtesy of Fay Low",
             "Co-authored-by: Ann Author <ann@example.org>",
             "@@@Ann Author@@@", "@@@GitHub@@@", "Courtesy of this"]
    counts = credited(lines, name_map("Carl Committer <c@x> carl <c@y>\n"))
    assert counts == {"Ann Author": 3, "Carl Committer": 1, "Dee Doe": 1, "Eve Roe": 1,
                      "Fay Low": 1, "GitHub": 1}
    people = authors_of(counts, before=["Eve Roe"])
    assert [(p.display, p.first_time) for p in people] == [
        ("Ann Author", True), ("Carl Committer", True), ("Dee Doe", True), ("Fay Low", True),
        ("Eve Roe", False)]


def test_name_map_reads_names_only_and_refuses_one_email_lines() -> None:
    assert name_map("# c\n\n@handle <a@b> handle <a@b>\nNew One <> old one <>\n") == \
        {"handle": "@handle", "old one": "New One"}
    with pytest.raises(PreconditionError, match="line 2 does not have"):
        name_map("A <a> B <b>\nJust One <one@example.org>\n")


def test_sort_key_skips_particles() -> None:
    names = ["Ludwig von Beethoven", "Guido van der Berg", "Ana de Castro", "@zeta", "Bob Adams"]
    assert sorted(names, key=sort_key) == ["@zeta", "Bob Adams", "Ludwig von Beethoven",
                                          "Guido van der Berg", "Ana de Castro"]


@pytest.mark.parametrize("left_out", [True, False])
def test_1_18_0_authors_against_the_published_list(scipy_bundle_clone: Path, left_out: bool) -> None:
    """What `rehearse 1.18.0` compares, on the real tag: with SciPy's profile the Authors up to
    the REL commit are the published 103 names, marks and order, and the comparison names the two
    left out; without credits_not_people the two `Claude` names are a finding."""
    git = GitService(scipy_bundle_clone)
    cfg = from_table({"profile": "scipy"}, "test")
    if not left_out:
        cfg = dataclasses.replace(cfg, credits_not_people=())
    version = ReleaseVersion.parse("1.18.0")
    rewind = Rewind.find(git, cfg, version)
    assert rewind is not None
    real = RealRelease.read(git, cfg, version, rewind)
    problems: list[str] = []
    span = RevisionRange(infer_start(git, cfg, version), rewind.tag)
    lines = compare_credits(git, cfg, real, span, problems)
    assert span.start == "v1.17.0"
    assert "pull requests: the same 508 as published" in lines
    if left_out:
        assert problems == []
        assert "Authors: the same 103 names, `+` marks and order as published" in lines
        assert ("Authors: Claude Opus, Claude Sonnet left out as not people (credits_not_people; "
                "SciPy's tools/authors.py lists them)") in lines
    else:
        assert problems == ["Authors differ from the published list: only published -, only the "
                            "rehearsal's ['Claude Opus', 'Claude Sonnet'] (or marks and order)"]
