"""What an announcement takes from the notes: the intro, the Highlights bullets and the Python
range, from NumPy's notes and from a shape with a highlights section."""

from __future__ import annotations

from pathlib import Path

from release.notes.summary import inline_markdown, python_versions, summarize

DATA = Path(__file__).parent / "data" / "numpy" / "notes"
FEATURE = """.. currentmodule:: numpy

==========================
NumPy 2.6.0 Release Notes
==========================

*Released on 2026-12-01*

NumPy 2.6.0 brings free-threaded improvements and
a new string API.

This release supports Python versions 3.12-3.15.

Highlights
==========

* A faster ``numpy.sort`` for strings, see
  `the docs <https://numpy.org/doc/>`__.
- Free-threaded wheels.

Deprecations
============

* Not a highlight.
"""


def test_a_patch_notes_intro_and_python_range() -> None:
    summary = summarize((DATA / "2.5.2-notes.rst").read_text(encoding="utf-8"))
    assert summary.intro == ("The NumPy 2.5.2 is a patch release that fixes bugs discovered "
                             "after the 2.5.1 release.")
    assert summary.python == ("3.12", "3.14")
    assert summary.python_range == "3.12-3.14"
    assert summary.highlights == ()


def test_a_feature_releases_intro_leaves_out_the_date_line_and_directives() -> None:
    summary = summarize(FEATURE)
    assert summary.intro == "NumPy 2.6.0 brings free-threaded improvements and a new string API."
    assert summary.python_range == "3.12-3.15"


def test_the_highlights_are_the_bullets_of_that_section_only() -> None:
    assert summarize(FEATURE).highlights == (
        "A faster ``numpy.sort`` for strings, see `the docs <https://numpy.org/doc/>`__.",
        "Free-threaded wheels.")


def test_the_templates_placeholder_is_no_highlight() -> None:
    summary = summarize((DATA / "template.rst").read_text(encoding="utf-8"))
    assert summary.highlights == ()
    assert summary.python is None and summary.python_range == ""


def test_the_python_range_is_found_anywhere_in_the_notes() -> None:
    assert python_versions("text\n\nThis release supports Python versions 3.11-3.14\n") == \
        ("3.11", "3.14")
    assert python_versions("no such line") is None


def test_inline_rst_becomes_markdown() -> None:
    assert inline_markdown("use ``np.sort`` and `the docs <https://numpy.org/doc/>`__") == \
        "use `np.sort` and [the docs](https://numpy.org/doc/)"
