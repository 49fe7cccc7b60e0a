"""SciPy's Authors sections on SciPy's own history, against what SciPy's tools/authors.py prints.

The golden files under tests/data/scipy/authors/ are real outputs of SciPy's tool (see the README
there); one test runs the tool itself on the bundle to show they still are.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SCIPY_FIXTURE
from helpers import Cli

from release.changelog.authors import authors_of, credited, name_map, sort_key
from release.errors import PreconditionError

GOLDEN = SCIPY_FIXTURE / "authors"
REMINDER = "NOTE: Check this list manually!"
RANGES = {"1.14.1": "v1.14.0", "1.15.3": "v1.15.2", "1.17.1": "v1.17.0", "1.18.1": "v1.18.0",
          "1.18.0": "v1.17.0"}


def config_of(clone: Path) -> str:
    return str(clone.parent / "scipy-release.toml")


@pytest.mark.parametrize("version", sorted(RANGES))
def test_authors_equal_scipys_tool(cli: Cli, scipy_bundle_clone: Path, version: str) -> None:
    """stdout is the tool's stdout but for its closing reminder, which goes to stderr."""
    result = cli("changelog", version, "--until", f"v{version}", "--offline",
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
