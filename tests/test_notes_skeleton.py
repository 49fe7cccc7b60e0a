"""Skeleton notes against NumPy's own: the patch skeleton the reset commit writes (2.5.2) and a
new series' notes made from template.rst (2.6.0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.errors import PreconditionError
from release.notes.skeleton import feature_skeleton, patch_skeleton, python_range

DATA = Path(__file__).parent / "data" / "numpy" / "notes"
PYPROJECT = """[project]
name = "numpy"
classifiers = [
    'Programming Language :: Python :: 3.14',
    'Programming Language :: Python :: 3.12',
    'Programming Language :: Python :: 3.13',
    'Programming Language :: Python :: 3 :: Only',
]
"""


def test_the_patch_skeleton_is_numpys_byte_for_byte() -> None:
    made = patch_skeleton(project="NumPy", package="numpy", version="2.5.2", previous="2.5.1",
                          python="3.12-3.14")
    assert made == (DATA / "2.5.2-notes.rst").read_text(encoding="utf-8")


def test_a_new_series_notes_are_the_template_with_its_title() -> None:
    made = feature_skeleton((DATA / "template.rst").read_text(encoding="utf-8"), project="NumPy",
                            version="2.6.0", where="doc/source/release/template.rst")
    assert made == (DATA / "2.6.0-notes.rst").read_text(encoding="utf-8")


def test_a_template_without_a_title_block_is_refused_by_name() -> None:
    with pytest.raises(PreconditionError) as raised:
        feature_skeleton("Highlights\n==========\n", project="NumPy", version="2.6.0",
                         where="doc/source/release/template.rst")
    assert raised.value.message.startswith("doc/source/release/template.rst has no title block")


def test_uneven_over_and_underlines_are_no_title_block() -> None:
    with pytest.raises(PreconditionError):
        feature_skeleton("=====\nNumPy 2.xx.x Release Notes\n==========\n", project="NumPy",
                         version="2.6.0", where="template.rst")


def test_the_python_range_comes_from_the_classifiers_else_the_notes() -> None:
    assert python_range(PYPROJECT) == "3.12-3.14"
    notes = (DATA / "2.5.2-notes.rst").read_text(encoding="utf-8")
    assert python_range('[project]\nname = "numpy"\n', notes) == "3.12-3.14"
    assert python_range('[project]\nname = "numpy"\n') is None
