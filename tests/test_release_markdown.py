"""The release body: real pandoc on notes shaped like NumPy 2.5.2's, with the published changelog."""

from __future__ import annotations

import re

import pytest
from conftest import NUMPY_FIXTURE

from release.wheels.release_body import fix_markdown, release_markdown

CHANGELOG = (NUMPY_FIXTURE / "changelogs" / "2.5.2-changelog.rst").read_text(encoding="utf-8")

# The patch-release notes as the reset commit creates them (facts §4.6), a backported fragment
# (§4.7: 2.5.2 had one C API change), then the changelog appended (§3.6: two blank lines before
# Contributors, one extra empty line at the end).
NOTES = """\
.. currentmodule:: numpy

=========================
NumPy 2.5.2 Release Notes
=========================

The NumPy 2.5.2 is a patch release that fixes bugs discovered after the 2.5.1
release.  The big news is that it includes wheels for the newly released Python
3.15.0rc1.

This release supports Python versions 3.12-3.15


C API changes
=============

Fixed ``NPY_ABI_VERSION`` for 32 bit systems using abi3t
--------------------------------------------------------
The ABI version is now correct on 32 bit systems, see the `free-threading guide
<https://py-free-threading.github.io/>`__ for "abi3t" details::

    #define NPY_ABI_VERSION "\\"abi3t\\"" ...

(`gh-31771 <https://github.com/numpy/numpy/pull/31771>`__)

""" + "\n" + CHANGELOG + "\n"


@pytest.fixture(scope="module")
def body() -> str:
    return release_markdown(NOTES)


def _rst_pull_requests() -> list[tuple[str, str]]:
    return re.findall(r"^\* `#(\d+) <[^>]+>`__: (.*)$", CHANGELOG, flags=re.M)


def test_title_and_no_currentmodule_div(body: str) -> None:
    assert body.splitlines()[0] == "# NumPy 2.5.2 Release Notes"
    assert ":::" not in body and "currentmodule" not in body


def test_wrapped_paragraphs_are_joined(body: str) -> None:
    intro = ("The NumPy 2.5.2 is a patch release that fixes bugs discovered after the 2.5.1 "
             "release. The big news is that it includes wheels for the newly released Python "
             "3.15.0rc1.")
    assert intro + "\n" in body
    assert ('A total of 16 people contributed to this release. People with a "+" by their '
            'names contributed a patch for the first time.\n') in body
    assert "Python versions 3.12-3.15\n" in body


def test_every_contributor_is_one_dash_bullet(body: str) -> None:
    names = re.findall(r"^\* (.+)$", CHANGELOG.split("Pull requests merged")[0], flags=re.M)
    assert len(names) == 16
    section = body.split("## Contributors")[1].split("## Pull requests merged")[0]
    assert [line for line in section.splitlines() if line.startswith("-")] == \
        [f"- {name}" for name in names]


def test_every_pull_request_line_is_kept_with_its_link(body: str) -> None:
    expected = [f"- [#{n}](https://github.com/numpy/numpy/pull/{n}): "
                + title.replace("``", "`") for n, title in _rst_pull_requests()]
    assert len(expected) == 28
    found = [line for line in body.splitlines() if line.startswith("- [#")]
    assert found == expected
    assert "- [#31901](https://github.com/numpy/numpy/pull/31901): BUG: fix `StringDType` " \
           "coerce flag in binary ufunc promotion..." in found


def test_harmless_escapes_are_gone_and_code_is_untouched(body: str) -> None:
    assert '\\"' not in body.replace('"\\"abi3t\\""', "")
    assert "\\..." not in body
    assert '    #define NPY_ABI_VERSION "\\"abi3t\\"" ...\n' in body
    assert "([gh-31771](https://github.com/numpy/numpy/pull/31771))" in body
    assert ("see the [free-threading guide](https://py-free-threading.github.io/) for "
            '"abi3t" details:') in body


def test_sections_are_level_two_and_fragment_headings_level_three(body: str) -> None:
    headings = [line for line in body.splitlines() if line.startswith("#")]
    assert headings == ["# NumPy 2.5.2 Release Notes", "## C API changes",
                        "### Fixed `NPY_ABI_VERSION` for 32 bit systems using abi3t",
                        "## Contributors", "## Pull requests merged"]


def test_fixing_twice_changes_nothing(body: str) -> None:
    assert fix_markdown(body) == body


def test_links_in_pull_request_titles_become_code() -> None:
    pandoc_line = ("-   [#123](https://github.com/numpy/numpy/pull/123): DOC: link "
                   "[the guide](https://numpy.org/doc/) and <https://example.org/a_b> "
                   "but keep `x`")
    assert fix_markdown(pandoc_line) == (
        "- [#123](https://github.com/numpy/numpy/pull/123): DOC: link `the guide` and "
        "`https://example.org/a_b` but keep `x`\n")


def test_pandoc_2_bullets_and_list_continuations() -> None:
    text = "-   first item that\n    wraps\n-   second\n\n1.  one\n    more\n"
    assert fix_markdown(text) == "- first item that wraps\n- second\n\n1. one more\n"


def test_hard_breaks_headings_and_tables_are_not_joined() -> None:
    text = ("line one\\\nline two\n# Heading\nnext\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
            "| 3 | 4 |\n")
    assert fix_markdown(text) == text


def test_fenced_code_keeps_lines_and_escapes() -> None:
    text = "Text\nwrapped\n\n```\na \\\"b\\\"\n\n\nc\n```\n"
    assert fix_markdown(text) == "Text wrapped\n\n```\na \\\"b\\\"\n\n\nc\n```\n"


def test_admonitions_become_github_alerts() -> None:
    body = release_markdown("Title\n=====\n\n.. note::\n   A note that\n   wraps.\n\nAfter.\n")
    assert body == "# Title\n\n> [!NOTE]\n> A note that wraps.\n\nAfter.\n"
