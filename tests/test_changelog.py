"""The changelog step on the example project: offline output, plan, dry-run and bad input."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import helpers
import pytest
from helpers import Cli, git, snapshot

from release.changelog.contributors import classify, parse_shortlog
from release.changelog.format import sanitize_title
from release.fakes.example import ExampleProject

# The step reports the range before it fails.
one_line_error = partial(helpers.one_line_error, tail=True)

CHANGELOG = "doc/changelog/1.2.0-changelog.rst"

TINYNUM_1_2_0 = """
Contributors
============

A total of 6 people contributed to this release.  People with a "+" by their
names contributed a patch for the first time.

* Alice Maintainer
* Bob Builder
* Chandra Dev
* Dana Newcomer +
* Frank Fixer +
* erin +

Pull requests merged
====================

A total of 7 pull requests were merged for this release.

* `#5 <https://github.com/example/tinynum/pull/5>`__: ENH: add tinynum.mean
* `#6 <https://github.com/example/tinynum/pull/6>`__: DOC: explain broadcasting rules
* `#7 <https://github.com/example/tinynum/pull/7>`__: BUG: handle empty input in ``mean``
* `#8 <https://github.com/example/tinynum/pull/8>`__: ENH: add TinyArray_Mean to the C API
* `#9 <https://github.com/example/tinynum/pull/9>`__: MAINT: speed up total()
* `#10 <https://github.com/example/tinynum/pull/10>`__: BUG: guard total() against None
* `#13 <https://github.com/example/tinynum/pull/13>`__: BUG: fix mean of ints (#12)
"""




def test_writes_the_configured_file(example: ExampleProject, cli: Cli) -> None:
    """Co-author trailer (Frank), .mailmap (Bob's old address), first-timers, merge and squash
    pull requests, the backport merged on the maintenance branch (#13)."""
    result = cli("changelog", "1.2.0", "--offline", "--repo", str(example.repo))
    assert result.code == 0, result.err
    assert "changelog for v1.2.0.dev0..maintenance/1.2.x" in result.err
    assert (example.repo / CHANGELOG).read_text(encoding="utf-8") == TINYNUM_1_2_0
    assert f"verified: {CHANGELOG} holds the changelog" in result.err
    assert result.out == ""


def test_rc_uses_the_final_file(example: ExampleProject, cli: Cli) -> None:
    result = cli("changelog", "1.2.0rc1", "--offline", "--repo", str(example.repo))
    assert result.code == 0, result.err
    assert (example.repo / CHANGELOG).read_text(encoding="utf-8") == TINYNUM_1_2_0


def test_dry_run_shows_the_file_and_changes_nothing(example: ExampleProject, cli: Cli) -> None:
    before = snapshot(example.repo)
    result = cli("changelog", "1.2.0", "--offline", "--dry-run", "--repo", str(example.repo))
    assert result.code == 0, result.err
    assert snapshot(example.repo) == before
    added = "".join("+" + line for line in TINYNUM_1_2_0.splitlines(keepends=True))
    assert result.out == (
        f"Dry run: changelog for v1.2.0.dev0..maintenance/1.2.x -> {CHANGELOG}\n"
        f"1. create {CHANGELOG}\n--- /dev/null\n+++ b/{CHANGELOG}\n@@ -0,0 +1,26 @@\n{added}"
        f"then verify: {CHANGELOG} holds the changelog (26 lines)\n")


def test_stdout_and_explicit_file(example: ExampleProject, cli: Cli, tmp_path: Path) -> None:
    before = snapshot(example.repo)
    result = cli("changelog", "1.2.0", "--offline", "--output", "-", "--repo", str(example.repo))
    assert result.code == 0 and result.out == TINYNUM_1_2_0
    target = tmp_path / "out.rst"
    result = cli("changelog", "1.2.0", "--offline", "--output", str(target), "--repo", str(example.repo))
    assert result.code == 0, result.err
    assert target.read_text(encoding="utf-8") == TINYNUM_1_2_0
    assert snapshot(example.repo) == before


def test_relative_output_is_where_the_user_is(example: ExampleProject, cli: Cli, tmp_path: Path) -> None:
    """Under nox the process runs elsewhere; RELEASE_INVOKED_FROM says where the user typed it."""
    env = {**os.environ, "RELEASE_INVOKED_FROM": str(tmp_path)}
    result = cli("changelog", "1.2.0", "--offline", "--output", "notes/cl.rst", "--repo",
                 str(example.repo), env=env)
    assert result.code == 0, result.err
    assert (tmp_path / "notes" / "cl.rst").read_text(encoding="utf-8") == TINYNUM_1_2_0


def test_rerun_keeps_the_file(example: ExampleProject, cli: Cli) -> None:
    assert cli("changelog", "1.2.0", "--offline", "--repo", str(example.repo)).code == 0
    again = cli("changelog", "1.2.0", "--offline", "--repo", str(example.repo))
    assert again.code == 0 and f"keep {CHANGELOG} (already up to date)" in again.err


def test_since_overrides_the_start(example: ExampleProject, cli: Cli) -> None:
    result = cli("changelog", "1.2.0", "--since", "v1.3.0.dev0~1", "--offline", "--output", "-",
                 "--repo", str(example.repo))
    assert result.code == 0, result.err
    assert "changelog for v1.3.0.dev0~1..maintenance/1.2.x" in result.err
    assert "`#13 <" in result.out and "`#5 <" not in result.out


def test_release_pr_is_left_out_when_the_range_ends_at_the_tag(example: ExampleProject, cli: Cli) -> None:
    git(example.repo, "checkout", "--quiet", "maintenance/1.2.x")
    git(example.repo, "commit", "--quiet", "--allow-empty", "-m",
        "REL: Prepare for the tinynum 1.2.0 release (#15)")
    git(example.repo, "tag", "-a", "v1.2.0", "-m", "tinynum 1.2.0 release")
    result = cli("changelog", "v1.2.0.dev0..v1.2.0", "--offline", "--repo", str(example.repo))
    assert result.code == 0, result.err
    text = (example.repo / CHANGELOG).read_text(encoding="utf-8")
    assert text == TINYNUM_1_2_0


def test_backports_map_to_originals(example: ExampleProject, cli: Cli) -> None:
    """1.1.1: #14 backports #10, which no earlier 1.1 release credited."""
    plain = cli("changelog", "1.1.1", "--offline", "--output", "-", "--repo", str(example.repo))
    assert "`#14 <https://github.com/example/tinynum/pull/14>`__: BUG: guard total() against None (#10)" \
        in plain.out
    mapped = cli("changelog", "1.1.1", "--offline", "--output", "-", "--backports",
                 "--repo", str(example.repo))
    assert mapped.code == 0, mapped.err
    assert "* `#10 <https://github.com/example/tinynum/pull/10>`__: BUG: guard total() against None\n" \
        in mapped.out
    assert "#14" not in mapped.out


def test_backports_already_credited_are_dropped(example: ExampleProject, cli: Cli) -> None:
    """A 1.2.1 that backports #12 again after 1.2.0 (which had #13 = backport of #12) drops it."""
    repo = example.repo
    git(repo, "checkout", "--quiet", "maintenance/1.2.x")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", "REL: Prepare for the tinynum 1.2.0 release")
    git(repo, "tag", "-a", "v1.2.0", "-m", "tinynum 1.2.0 release")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", "BUG: fix mean of ints again (#16)",
        "-m", "Backport of #12.")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", "DOC: a new page (#17)")
    plain = cli("changelog", "1.2.1", "--offline", "--output", "-", "--repo", str(repo))
    assert "`#16 <" in plain.out and "`#17 <" in plain.out
    mapped = cli("changelog", "1.2.1", "--offline", "--output", "-", "--backports", "--repo", str(repo))
    assert mapped.code == 0, mapped.err
    assert "#16" not in mapped.out and "#12" not in mapped.out and "`#17 <" in mapped.out
    assert "A total of 1 pull requests" in mapped.out


@pytest.mark.parametrize(("args", "words"), [
    (["v9.9.9..maintenance/1.2.x"], "unknown revision 'v9.9.9'"),
    (["1.2.0", "--since", "nope"], "unknown revision 'nope'"),
    (["maintenance/1.2.x..maintenance/1.2.x"], "has no commits"),
    (["1.2.0", "--until", "v1.2.0.dev0"], "has no commits"),
    (["1.2.5"], "previous release v1.2.4"),
    (["1.4.0"], "development tag v1.4.0.dev0"),
    (["1.2.0", "--mailmap-from", "v1.2.0.dev0~40"], ".mailmap does not exist at"),
    (["1.3.0.dev0"], "development version"),
    (["1.2.0", "v1.2.0..maintenance/1.2.x..x"], "unknown revision"),
])
def test_bad_input_is_one_line_and_writes_nothing(
    example: ExampleProject, cli: Cli, args: list[str], words: str
) -> None:
    before = snapshot(example.repo)
    result = cli("changelog", *args, "--offline", "--repo", str(example.repo))
    assert result.code != 0
    one_line_error(result.err, words)
    assert "Traceback" not in result.err
    assert snapshot(example.repo) == before


def test_missing_maintenance_branch(example: ExampleProject, cli: Cli) -> None:
    before = snapshot(example.repo)
    result = cli("changelog", "1.3.0", "--offline", "--repo", str(example.repo))
    assert result.code == 1
    one_line_error(result.err, "no branch maintenance/1.3.x")
    assert snapshot(example.repo) == before


# -- the formats, on examples from NumPy's published changelogs ---------------------------------

@pytest.mark.parametrize(("title", "expected"), [
    ("DOC: `numpy.select`: fix `default` parameter docstring",
     "DOC: ``numpy.select``\\ : fix ``default`` parameter docstring"),
    ("TYP: Annotate ``numpy._core._type_aliases``.", "TYP: Annotate ``numpy._core._type_aliases``\\ ."),
    ("BUG: Ensure summed weights returned by np.average always are correctly broadcast",
     "BUG: Ensure summed weights returned by np.average always are..."),
    ("BUG: centralized helper for output coerce and na_object in stringdtype ufuncs",
     "BUG: centralized helper for output coerce and na_object in stringdtype..."),
    ("MAINT: fix a*b   and\tc", "MAINT: fix a\\*b and c"),
    ("ENH: a title that is exactly long enough to go past sixty charsXYZ",
     "ENH: a title that is exactly long enough to go past sixty charsXYZ"),
    ("BUG: fix ``np.fromiter`` corruption when reusing a ``StringDType`` instance",
     "BUG: fix ``np.fromiter`` corruption when reusing a ``StringDType``..."),
    ("x" * 90, "x" * 80 + "..."),
    ("BUG: a long title with a code span cut in the middle ``some_very_long_identifier_name``",
     "BUG: a long title with a code span cut in the middle ``some_very_long_identifier``..."),
])
def test_sanitize_title(title: str, expected: str) -> None:
    assert sanitize_title(title) == expected


def test_plain_space_separator_of_the_2_2_branch() -> None:
    assert sanitize_title("TYP: Annotate ``numpy._core._type_aliases``.", " ") == (
        "TYP: Annotate ``numpy._core._type_aliases`` .")


def test_first_time_and_order() -> None:
    current = parse_shortlog("     3\tZoe\n     1\t!handle\n     2\tdependabot[bot]\n"
                             "     1\tÉmile\n     4\tHomu\n     1\tAnn\n")
    summary = classify(current, before={"Zoe", "Homu", "dependabot[bot]"}, drop=("Homu",))
    assert [p.display for p in summary.contributors] == [
        "!handle +", "Ann +", "Zoe", "dependabot[bot]", "Émile +"]
    assert (summary.total, summary.first_time) == (5, 3)


def test_three_dots_are_a_symmetric_difference_not_a_version(example: ExampleProject, cli: Cli) -> None:
    before = snapshot(example.repo)
    result = cli("changelog", "v1.1.0...v1.2.0.dev0", "--offline", "--repo", str(example.repo))
    assert result.code == 2
    one_line_error(result.err, "'v1.1.0...v1.2.0.dev0' is a symmetric difference (three dots)")
    assert "two dots: v1.1.0..v1.2.0.dev0" in result.err
    assert snapshot(example.repo) == before
    tag = cli("tag", "v1.1.0..v1.2.0", "--repo", str(example.repo))
    assert tag.code == 2 and "is a range of commits, not a version" in tag.err
