"""Deprecations on a small repository marked as NumPy marks them (C comments and `DEPRECATE(`,
`# Deprecated in NumPy X.Y` and `DeprecationWarning`, `(Deprecated NumPy X.Y)` messages)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Cli, git, table_rows

ENV = ["-c", "user.name=Chuck", "-c", "user.email=chuck@example.org"]

ARRAYWRAP = """static int
wrap(PyObject *obj)
{
    /* Deprecated 2024-01-17, NumPy 2.0 */
    if (DEPRECATE(
            "__array_wrap__ must accept context and return_scalar arguments "
            "(positionally) in the future. (Deprecated NumPy 2.0)") < 0) {
        return -1;
    }
    return 0;
}
"""
GETSET = """static int
set_strides(PyArrayObject *self)
{
    /* Deprecated NumPy 2.4, 2025-05-11 */
    if (DEPRECATE("Setting the strides on a NumPy array has been deprecated in NumPy 2.4.") < 0) {
        return -1;
    }
    return 0;
}
"""
UFUNCLIKE = """import warnings


def fix(x, out=None):
    # Deprecated in NumPy 2.5, 2026-01-12
    warnings.warn("passing out positionally is deprecated", DeprecationWarning, stacklevel=2)
    return x
"""
EXCEPTIONS = """class VisibleDeprecationWarning(UserWarning):
    pass
"""
TEST = """import pytest


def test_it():
    with pytest.warns(DeprecationWarning):
        pass
"""
NEW_UNNAMED = """import warnings


def old(x):
    warnings.warn("old() is deprecated, use new()", DeprecationWarning, stacklevel=2)
    return x
"""
NEW_NAMED = """import warnings


def older(x):
    # Deprecated in NumPy 2.6, 2026-09-01
    warnings.warn("older() is deprecated", DeprecationWarning, stacklevel=2)
    return x
"""


def _write(repo: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, *ENV, "commit", "-q", "-m", message)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    repo = tmp_path / "numpy"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    _write(repo, {"numpy/_core/src/multiarray/arraywrap.c": ARRAYWRAP,
                  "numpy/_core/src/multiarray/getset.c": GETSET,
                  "numpy/lib/_ufunclike_impl.py": UFUNCLIKE, "numpy/exceptions.py": EXCEPTIONS,
                  "numpy/lib/tests/test_ufunclike.py": TEST}, "the 2.5 code")
    git(repo, *ENV, "tag", "-a", "v2.6.0.dev0", "-m", "Begin NumPy 2.6.0 development")
    _write(repo, {"numpy/lib/_old.py": NEW_UNNAMED, "numpy/lib/_older.py": NEW_NAMED}, "2.6 work")
    return repo


def _rows(out: str) -> dict[str, list[str]]:
    return {row[0]: row for row in table_rows(out)}


def test_each_deprecation_with_its_version_date_and_nep23_status(project: Path, cli: Cli) -> None:
    result = cli("deprecations", "2.6.0", "--repo", str(project))
    assert result.code == 0, result.err
    rows = _rows(result.out)
    assert set(rows) == {"numpy/_core/src/multiarray/arraywrap.c:5", "numpy/_core/src/multiarray/getset.c:5",
                         "numpy/lib/_ufunclike_impl.py:6", "numpy/lib/_old.py:5", "numpy/lib/_older.py:6"}
    assert rows["numpy/_core/src/multiarray/arraywrap.c:5"][1:5] == ["C DEPRECATE", "2.0", "2024-01-17",
                                                                    "due for review"]
    assert rows["numpy/_core/src/multiarray/getset.c:5"][2:5] == ["2.4", "2025-05-11", "due for review"]
    assert rows["numpy/lib/_ufunclike_impl.py:6"][1:5] == ["DeprecationWarning", "2.5", "2026-01-12", "kept"]
    assert rows["numpy/lib/_older.py:6"][4] == "kept"
    assert rows["numpy/lib/_old.py:5"][2:5] == ["", "", "new, no version named"]
    assert "5 deprecations; 2 due for review under NEP 23 (made in 2.4 or before); 1 added" in result.err
    # due first, then the unversioned new one
    assert list(rows)[:3] == ["numpy/_core/src/multiarray/arraywrap.c:5",
                              "numpy/_core/src/multiarray/getset.c:5", "numpy/lib/_old.py:5"]


def test_a_patch_release_and_a_ref(project: Path, cli: Cli) -> None:
    """For 2.5.3 only 2.3 and older are due; at the dev0 tag the 2.6 work is not there."""
    result = cli("deprecations", "2.6.0", "--repo", str(project), "--ref", "v2.6.0.dev0", "--due")
    rows = _rows(result.out)
    assert set(rows) == {"numpy/_core/src/multiarray/arraywrap.c:5", "numpy/_core/src/multiarray/getset.c:5"}
    patch = _rows(cli("deprecations", "2.5.3", "--repo", str(project), "--due").out)
    assert "numpy/_core/src/multiarray/arraywrap.c:5" in patch
    assert "numpy/_core/src/multiarray/getset.c:5" not in patch


def test_a_ref_that_does_not_exist(project: Path, cli: Cli) -> None:
    result = cli("deprecations", "2.6.0", "--repo", str(project), "--ref", "v9")
    assert result.code == 2 and "--ref 'v9'" in result.err and "hint: " in result.err
