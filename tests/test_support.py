"""`support`: the Python versions a release must and may support on its date (NEP 29, SPEC 0),
against requires-python, the classifiers and the wheel matrix."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from helpers import Cli, git, one_line_error, snapshot

from release.fakes.example import ExampleProject
from release.support.policy import POLICIES, Series, python_window, series_window
from release.support.python_releases import python_release

NUMPY_TAG_DAYS = {"v2.4.6": "2026-05-18", "v2.5.1": "2026-07-04", "v2.5.2": "2026-08-08"}


def mismatches(out: str) -> list[str]:
    return [line.removeprefix("mismatch: ") for line in out.splitlines()
            if line.startswith("mismatch: ")]


def set_python(repo: Path, requires: str | None, classifiers: list[int], wheels: list[int],
               free_threaded: list[int]) -> None:
    """Rewrite the example's Python declarations (work tree only) the way a PR to main would."""
    path = repo / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'requires-python = ".*"\n', "" if requires is None
                  else f'requires-python = "{requires}"\n', text)
    lines = "".join(f"    'Programming Language :: Python :: 3.{m}',\n" for m in classifiers)
    text = re.sub(r"classifiers = \[\n.*?\]", f"classifiers = [\n{lines}"
                  "    'Programming Language :: Python :: 3 :: Only',\n]", text, flags=re.S)
    matrix = (f"python = {[f'cp3{m}' for m in wheels]}\n"
              f"free_threaded = {[f'cp3{m}t' for m in free_threaded]}\n")
    text = text.replace("[tool.release.wheels]\n", "[tool.release.wheels]\n" + matrix)
    path.write_text(text, encoding="utf-8")


def table_text(out: str) -> str:
    """The rich table's cells joined into plain text (wrapped cells run together)."""
    rows = [line for line in out.splitlines() if line.startswith("│")]
    return " ".join(" ".join(cell.strip() for cell in row.strip("│").split("│")) for row in rows)


def consistent(repo: Path) -> None:
    set_python(repo, ">=3.12", [12, 13, 14], [12, 13, 14], [14])


# -- the example project (tinynum, configured by [tool.release]) -------------------------------

def test_example_as_built_reports_every_mismatch_and_changes_nothing(example: ExampleProject,
                                                                     cli: Cli) -> None:
    before = snapshot(example.repo)
    result = cli("support", "1.2.0", "--repo", str(example.repo), "--date", "2025-06-01")
    assert snapshot(example.repo) == before
    assert result.code == 1, result.err
    assert result.err.strip() == "4 mismatches with NEP 29"
    lines = result.out.splitlines()
    assert lines[0] == ("tinynum 1.2.0 released 2025-06-01, NEP 29: Python kept 42 months "
                        "(at least 2), tinynum series kept 24 months (at least 3)")
    assert lines[1] == "must support Python:  3.11 (2022-10-24), 3.12 (2023-10-02), 3.13 (2024-10-07)"
    assert lines[2] == ("may support Python:   3.9 (past NEP 29's date 2024-04-05, end of life "
                        "2025-10-31), 3.10 (past NEP 29's date 2025-04-04, end of life 2026-10 "
                        "(scheduled)), 3.14 (next Python, 2025-10-07: its classifier and rc wheels "
                        "may ship)")
    assert lines[3] == "past end of life:     none"
    assert lines[4] == "downstream may drop:  no tinynum series yet"
    assert lines[5] == ("declared (pyproject.toml): requires-python >=3.11; classifiers 3.11-3.12; "
                        "CPython wheels 3.12-3.15 (free-threaded 3.14-3.15) ([tool.release.wheels])")
    assert "Python support of tinynum 1.2.0 on 2025-06-01 (NEP 29): fail" in result.out
    assert "no cp311 wheels in [tool.release.wheels]" in table_text(result.out)
    rule = "NEP 29: keep every Python released in the last 42 months"
    assert mismatches(result.out) == [
        "no classifier for Python 3.13, which NEP 29 requires until 2028-04-07 (released "
        f"2024-10-07, + 42 months) (rule: {rule})",
        "no cp311 wheels in [tool.release.wheels] for Python 3.11, which NEP 29 requires until "
        f"2026-04-24 (released 2022-10-24, + 42 months) (rule: {rule})",
        "classifiers name Python 3.11 but [tool.release.wheels] has no cp311 wheels "
        "(rule: a classifier comes with the Python's first wheels)",
        "[tool.release.wheels] builds cp313, cp314, cp315 wheels but no classifier names Python "
        "3.13, 3.14, 3.15 (rule: a classifier comes with the Python's first wheels)",
    ]


def test_dry_run_is_refused_as_meaningless_and_changes_nothing(example: ExampleProject, cli: Cli) -> None:
    before = snapshot(example.repo)
    args = ("support", "1.2.0", "--repo", str(example.repo), "--date", "2025-06-01")
    dry = cli(*args, "--dry-run")
    assert dry.code == 2 and dry.out == ""
    assert dry.err.splitlines() == [
        "error: support only looks and changes nothing, so --dry-run has nothing to show",
        "hint: run it without --dry-run"]
    assert snapshot(example.repo) == before


def test_example_made_consistent_passes(example: ExampleProject, cli: Cli) -> None:
    consistent(example.repo)
    result = cli("support", "1.2.0", "--repo", str(example.repo), "--date", "2026-05-01")
    assert result.code == 0, result.out
    assert result.err.strip() == "consistent with NEP 29"
    assert "must support Python:  3.12 (2023-10-02), 3.13 (2024-10-07), 3.14 (2025-10-07)" in result.out
    assert "past end of life:     3.9 (2025-10-31)" in result.out
    late = cli("support", "1.2.0", "--repo", str(example.repo), "--date", "2026-11-02")
    assert "past end of life:     3.9 (2025-10-31), 3.10 (2026-10 (scheduled))\n" in late.out
    assert not mismatches(result.out) and "warning:" not in result.out
    assert "(NEP 29): pass" in result.out


@pytest.mark.parametrize(("python", "expected"), [
    pytest.param((">=3.13", [13, 14], [13, 14], [14]), [
        "requires-python '>=3.13' leaves out Python 3.12, which NEP 29 requires until 2027-04-02 "
        "(released 2023-10-02, + 42 months) (rule: NEP 29: keep every Python released in the "
        "last 42 months)",
        "no classifier for Python 3.12, which NEP 29 requires until 2027-04-02 (released "
        "2023-10-02, + 42 months) (rule: NEP 29: keep every Python released in the last 42 months)",
        "no cp312 wheels in [tool.release.wheels] for Python 3.12, which NEP 29 requires until "
        "2027-04-02 (released 2023-10-02, + 42 months) (rule: NEP 29: keep every Python released "
        "in the last 42 months)",
    ], id="minimum-too-high"),
    pytest.param((">=3.12", [12, 14], [12, 13, 14], [14]), [
        "classifiers skip Python 3.13 (listed: 3.12, 3.14) (rule: classifiers are one contiguous "
        "range)",
        "no classifier for Python 3.13, which NEP 29 requires until 2028-04-07 (released "
        "2024-10-07, + 42 months) (rule: NEP 29: keep every Python released in the last 42 months)",
        "[tool.release.wheels] builds cp313 wheels but no classifier names Python 3.13 (rule: a "
        "classifier comes with the Python's first wheels)",
    ], id="classifier-gap"),
    pytest.param((">=3.12", [11, 12, 13, 14], [12, 13, 14], [14]), [
        "lowest classifier Python 3.11, requires-python '>=3.12' starts at 3.12 (rule: the lowest "
        "classifier is requires-python's minimum)",
        "classifiers name Python 3.11, which requires-python '>=3.12' excludes (rule: classifiers "
        "name only Pythons requires-python admits)",
        "classifiers name Python 3.11 but [tool.release.wheels] has no cp311 wheels (rule: a "
        "classifier comes with the Python's first wheels)",
    ], id="classifier-below-minimum"),
    pytest.param((">=3.12", [12, 13, 14], [11, 12, 13, 14], [14]), [
        "[tool.release.wheels] builds wheels for Python 3.11, which requires-python '>=3.12' "
        "excludes (pip never installs them) (rule: wheels only for Pythons requires-python admits)",
    ], id="wheels-excluded"),
    pytest.param((">=3.12", [12, 13, 14, 15], [12, 13, 14], [14]), [
        "classifiers name Python 3.15 but [tool.release.wheels] has no cp315 wheels (rule: a "
        "classifier comes with the Python's first wheels)",
    ], id="classifier-without-wheels"),
    pytest.param((">=3.12", [12, 13, 14], [12, 13, 14, 15], [14, 15]), [
        "[tool.release.wheels] builds cp315 wheels but no classifier names Python 3.15 (rule: a "
        "classifier comes with the Python's first wheels)",
    ], id="wheels-without-classifier"),
    pytest.param((">=3.12,<3.14", [12, 13], [12, 13], []), [
        "requires-python '>=3.12,<3.14' leaves out Python 3.14, which NEP 29 requires until "
        "2029-04-07 (released 2025-10-07, + 42 months) (rule: NEP 29: keep every Python released "
        "in the last 42 months)",
        "no classifier for Python 3.14, which NEP 29 requires until 2029-04-07 (released "
        "2025-10-07, + 42 months) (rule: NEP 29: keep every Python released in the last 42 months)",
        "no cp314 wheels in [tool.release.wheels] for Python 3.14, which NEP 29 requires until "
        "2029-04-07 (released 2025-10-07, + 42 months) (rule: NEP 29: keep every Python released "
        "in the last 42 months)",
    ], id="upper-bound"),
    pytest.param((None, [12, 13, 14], [12, 13, 14], [14]), [
        "pyproject.toml has no requires-python (rule: declare requires-python)",
    ], id="no-requires-python"),
])
def test_each_mismatch_kind(example: ExampleProject, cli: Cli,
                            python: tuple[str | None, list[int], list[int], list[int]],
                            expected: list[str]) -> None:
    set_python(example.repo, *python)
    result = cli("support", "1.2.0", "--repo", str(example.repo), "--date", "2026-05-01")
    assert result.code == 1, result.out
    assert mismatches(result.out) == expected
    assert table_text(result.out).count(" fail ") == len(expected)


def test_a_python_past_its_end_of_life_is_a_warning(example: ExampleProject, cli: Cli) -> None:
    set_python(example.repo, ">=3.9", list(range(9, 15)), list(range(9, 15)), [14])
    result = cli("support", "1.2.0", "--repo", str(example.repo), "--date", "2026-05-01")
    assert result.code == 0, result.out
    assert ("warning: requires-python '>=3.9' still admits Python 3.9, past its end of life "
            "(2025-10-31) (CPython end of life)") in result.out
    assert "may support Python:   3.10 (past NEP 29's date 2025-04-04" in result.out


def test_a_patch_release_must_not_raise_the_minimum(example: ExampleProject, cli: Cli) -> None:
    """v1.1.0 required >=3.11; a 1.1.1 with >=3.12 changes the minimum inside the series."""
    assert ">=3.11" in git(example.repo, "show", "v1.1.0:pyproject.toml")
    consistent(example.repo)
    result = cli("support", "1.1.1", "--repo", str(example.repo), "--date", "2026-05-01")
    assert result.code == 1
    assert mismatches(result.out) == [
        "the minimum Python changes from 3.11 (v1.1.0) to 3.12 (rule: NEP 29: a patch release "
        "keeps the minimums)"]
    same = cli("support", "1.1.1", "--repo", str(example.repo), "--date", "2026-05-01", "--ref",
               "v1.1.0", "--policy", "spec0")
    assert "pass minimum Python 3.11, as in v1.1.0" in table_text(same.out)


def test_policy_from_the_configuration(example: ExampleProject, cli: Cli) -> None:
    consistent(example.repo)
    path = example.repo / "pyproject.toml"
    path.write_text(path.read_text() + '\n[tool.release.support]\npolicy = "spec0"\n')
    result = cli("support", "1.2.0", "--repo", str(example.repo), "--date", "2026-05-01")
    assert result.code == 0, result.out
    assert result.out.startswith("tinynum 1.2.0 released 2026-05-01, SPEC 0: Python kept 3 years, "
                                 "tinynum series kept 2 years\n")
    overridden = cli("support", "1.2.0", "--repo", str(example.repo), "--date", "2026-05-01",
                     "--policy", "nep29")
    assert "NEP 29: Python kept 42 months" in overridden.out


def test_the_date_defaults_to_today_utc(example: ExampleProject, cli: Cli) -> None:
    today = datetime.datetime.now(datetime.UTC).date()
    result = cli("support", "1.2.0", "--repo", str(example.repo))
    assert result.out.startswith(f"tinynum 1.2.0 released {today}, NEP 29")


# Drop dates from numpy-satellite-facts §9 (the policies' own arithmetic).
PYTHON_DROPS = {
    "nep29": {"3.11": "2026-04-24", "3.12": "2027-04-02", "3.13": "2028-04-07",
              "3.14": "2029-04-07", "3.15": "2030-04-01"},
    "spec0": {"3.11": "2025-10-23", "3.12": "2026-10-01", "3.13": "2027-10-07",
              "3.14": "2028-10-06", "3.15": "2029-09-30"},
}


@pytest.mark.parametrize("policy", ["nep29", "spec0"])
def test_drop_dates_are_the_published_ones(policy: str) -> None:
    rule = POLICIES[policy]
    for version, day in PYTHON_DROPS[policy].items():
        release = python_release(version)
        assert release is not None
        drop = rule.python_drop(release)
        assert str(drop) == day, version
        if version in ("3.14", "3.15"):
            continue  # the newest stay required (NEP 29: at least two) when all are past
        before = python_window(rule, drop - datetime.timedelta(days=1))
        on = python_window(rule, drop)
        assert release in before.required and release not in on.required, version
        assert release in on.may_support(), version


def test_nep29_keeps_at_least_two_pythons_and_three_series() -> None:
    """Far in the future every known Python is past 42 months; the newest two stay required."""
    late = python_window(POLICIES["nep29"], datetime.date(2035, 1, 1))
    assert [r.version for r in late.required] == ["3.14", "3.15"]
    assert not python_window(POLICIES["spec0"], datetime.date(2035, 1, 1)).required[:-1]
    series = [Series("2.0", datetime.date(2024, 6, 15)), Series("2.1", datetime.date(2024, 8, 18)),
              Series("2.2", datetime.date(2024, 12, 8)), Series("2.3", datetime.date(2025, 6, 7))]
    kept = series_window(POLICIES["nep29"], datetime.date(2030, 1, 1), series)
    assert [s.name for s in kept.kept] == ["2.1", "2.2", "2.3"]
    assert [s.name for s in kept.droppable] == ["2.0"] and kept.next_drop() is None
    spec = series_window(POLICIES["spec0"], datetime.date(2030, 1, 1), series)
    assert not spec.kept and spec.next_drop() is None


# -- NumPy's history at real tags --------------------------------------------------------------

def test_numpy_2_5_2_at_its_release_date(numpy_bundle_clone: Path, cli: Cli) -> None:
    """v2.5.2: requires-python >=3.12, classifiers 3.12-3.15 (3.15.0rc1 wheels shipped); the
    toolkit's 2.5.x matrix is the 2.5.0-era one, without cp315."""
    result = cli("support", "2.5.2", "--repo", str(numpy_bundle_clone), "--ref", "v2.5.2",
                 "--date", "2026-08-08")
    lines = result.out.splitlines()
    assert lines[0].startswith("NumPy 2.5.2 released 2026-08-08, NEP 29")
    assert lines[1] == "must support Python:  3.12 (2023-10-02), 3.13 (2024-10-07), 3.14 (2025-10-07)"
    assert lines[2] == ("may support Python:   3.10 (past NEP 29's date 2025-04-04, end of life "
                        "2026-10 (scheduled)), 3.11 (past NEP 29's date 2026-04-24, end of life "
                        "2027-10 (scheduled)), 3.15 (next Python, 2026-10-01 (scheduled): its "
                        "classifier and rc wheels may ship)")
    assert lines[4] == ("downstream may drop:  NumPy 2.0 and older (released 2024-06-15, "
                        "+ 24 months); 2.1 from 2026-08-19")
    assert lines[5] == ("declared (v2.5.2:pyproject.toml): requires-python >=3.12; classifiers "
                        "3.12-3.15; CPython wheels 3.12-3.14 (free-threaded 3.14) (numpy-release "
                        "maintenance/2.5.x matrix)")
    assert mismatches(result.out) == [
        "classifiers name Python 3.15 but numpy-release maintenance/2.5.x matrix has no cp315 "
        "wheels (rule: a classifier comes with the Python's first wheels)"]
    assert "minimum Python 3.12, as in v2.5.1" in result.out
    assert result.code == 1


@pytest.mark.parametrize("tag", ["v2.4.6", "v2.5.1"])
def test_numpy_releases_consistent_at_their_dates(numpy_bundle_clone: Path, cli: Cli, tag: str) -> None:
    result = cli("support", tag, "--repo", str(numpy_bundle_clone), "--ref", tag, "--date",
                 NUMPY_TAG_DAYS[tag])
    assert result.code == 0, result.out
    assert not mismatches(result.out)
    previous = {"v2.4.6": "v2.4.5", "v2.5.1": "v2.5.0"}[tag]
    assert f", as in {previous}" in result.out


def test_numpy_2_4_6_keeps_3_11_past_its_nep29_date(numpy_bundle_clone: Path, cli: Cli) -> None:
    result = cli("support", "2.4.6", "--repo", str(numpy_bundle_clone), "--ref", "v2.4.6",
                 "--date", "2026-05-18")
    assert "may support Python:   3.10 (past NEP 29's date 2025-04-04, end of life 2026-10 " \
           "(scheduled)), 3.11 (past NEP 29's date 2026-04-24" in result.out
    assert "requires-python >=3.11; classifiers 3.11-3.14; CPython wheels 3.11-3.14" in result.out


@pytest.mark.parametrize(("day", "code"), [("2026-04-23", 1), ("2026-04-24", 0), ("2026-04-25", 0)])
def test_nep29_42_month_mark_of_python_3_11(numpy_bundle_clone: Path, cli: Cli, day: str, code: int) -> None:
    """3.11 was released 2022-10-24; NEP 29 keeps it int(365 * 3.5 + 1) = 1278 days: a release
    with requires-python >=3.12 (v2.5.0's) is early on 2026-04-23 and in time on 2026-04-24."""
    result = cli("support", "2.5.0", "--repo", str(numpy_bundle_clone), "--ref", "v2.5.0",
                 "--date", day)
    assert result.code == code, result.out
    must = "must support Python:  3.11 (2022-10-24), " if code else "must support Python:  3.12 ("
    assert must in result.out
    dropped = ("requires-python '>=3.12' leaves out Python 3.11, which NEP 29 requires until "
               "2026-04-24 (released 2022-10-24, + 42 months)")
    assert (dropped in "\n".join(mismatches(result.out))) == bool(code)


@pytest.mark.parametrize(("day", "code"), [("2025-10-22", 1), ("2025-10-23", 0), ("2025-10-24", 0)])
def test_spec0_36_month_mark_of_python_3_11(numpy_bundle_clone: Path, cli: Cli, day: str, code: int) -> None:
    """SPEC 0 keeps a Python int(365 * 3) = 1095 days: 3.11 until 2025-10-23."""
    result = cli("support", "2.5.0", "--repo", str(numpy_bundle_clone), "--ref", "v2.5.0",
                 "--date", day, "--policy", "spec0")
    assert result.code == code, result.out
    dropped = ("requires-python '>=3.12' leaves out Python 3.11, which SPEC 0 requires until "
               "2025-10-23 (released 2022-10-24, + 3 years)")
    assert (dropped in "\n".join(mismatches(result.out))) == bool(code)


@pytest.mark.parametrize(("policy", "day", "line"), [
    ("nep29", "2026-08-18", "NumPy 2.0 and older (released 2024-06-15, + 24 months); 2.1 from 2026-08-19"),
    ("nep29", "2026-08-19", "NumPy 2.1 and older (released 2024-08-18, + 24 months); 2.2 from 2026-12-09"),
    ("spec0", "2026-08-17", "NumPy 2.0 and older (released 2024-06-15, + 2 years); 2.1 from 2026-08-18"),
    ("spec0", "2026-08-18", "NumPy 2.1 and older (released 2024-08-18, + 2 years); 2.2 from 2026-12-08"),
])
def test_numpy_series_downstream_may_drop(numpy_bundle_clone: Path, cli: Cli,
                                         policy: str, day: str, line: str) -> None:
    """X.Y.0 tag days (UTC): 2.0 2024-06-15, 2.1 2024-08-18, 2.2 2024-12-08; NEP 29 keeps a
    series 731 days (and the newest three), SPEC 0 730 days."""
    result = cli("support", "2.5.2", "--repo", str(numpy_bundle_clone), "--ref", "v2.5.2",
                 "--date", day, "--policy", policy)
    assert f"downstream may drop:  {line}\n" in result.out


# -- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "words", "code"), [
    (("1.2.0", "--date", "2026-13-01"), "--date '2026-13-01' is not a date", 2),
    (("1.2.0", "--date", "next week"), "--date 'next week' is not a date", 2),
    (("1.2.0", "--date", "20260601"), "--date '20260601' is not a date", 2),
    (("1.2.0", "--policy", "nep30"), "--policy 'nep30' is not a known support policy", 2),
    (("1.2.x",), "'1.2.x' is not a version", 2),
    (("1.3.0.dev0",), "1.3.0.dev0 is a development version", 2),
    (("1.2.0", "--ref", "v9.9.9"), "--ref 'v9.9.9' is not a revision", 1),
    (("1.2.0", "--date", "2024-04-04"), "--date 2024-04-04 is before 2024-04-05: NEP 29 may still "
     "require a Python older than 3.9", 2),
    (("1.2.0", "--date", "2023-10-04", "--policy", "spec0"), "--date 2023-10-04 is before "
     "2023-10-05: SPEC 0 may still require a Python older than 3.9", 2),
])
def test_bad_input_is_one_line_and_changes_nothing(example: ExampleProject, cli: Cli,
                                                   args: tuple[str, ...], words: str, code: int) -> None:
    before = snapshot(example.repo)
    result = cli("support", *args, "--repo", str(example.repo))
    assert result.code == code
    one_line_error(result.err, words)
    assert result.out == ""
    assert snapshot(example.repo) == before


def test_unknown_policy_in_the_configuration(example: ExampleProject, cli: Cli) -> None:
    path = example.repo / "pyproject.toml"
    path.write_text(path.read_text() + '\n[tool.release.support]\npolicy = "nep-29"\n')
    result = cli("support", "1.2.0", "--repo", str(example.repo), "--date", "2026-05-01")
    assert result.code != 0
    one_line_error(result.err, "[tool.release.support] policy 'nep-29' is not a known support policy")


def test_unparsable_requires_python(example: ExampleProject, cli: Cli) -> None:
    set_python(example.repo, "=>3.12", [12, 13, 14], [12, 13, 14], [14])
    result = cli("support", "1.2.0", "--repo", str(example.repo), "--date", "2026-05-01")
    assert result.code == 1
    one_line_error(result.err, "requires-python '=>3.12' is not a version specifier")


def test_json_has_the_window_and_every_check(example: ExampleProject, cli: Cli) -> None:
    table = cli("support", "1.2.0", "--repo", str(example.repo), "--date", "2025-06-01")
    result = cli("support", "1.2.0", "--repo", str(example.repo), "--date", "2025-06-01", "--json")
    assert result.code == table.code == 1
    document = json.loads(result.out)
    assert (document["kind"], document["schema_version"], document["policy"]) == ("support", 1, "NEP 29")
    assert document["python"] == {"must": ["3.11", "3.12", "3.13"], "may": ["3.9", "3.10", "3.14"],
                                  "past_end_of_life": []}
    assert sum(check["status"] == "fail" for check in document["checks"]) == 4
    assert document["declared"]["where"] == "pyproject.toml"
