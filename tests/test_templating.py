"""Templates: StrictUndefined refuses a missing value (and the CLI's translation names the
template and line); a project's own folder and its profile's come before the shared texts."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from release.errors import ReleaseError, expected
from release.templating import profile_search, render, render_in, templates_dir

DATA = Path(__file__).parent / "data" / "numpy" / "notes"


def test_a_template_renders_with_every_value_it_names() -> None:
    text = render("commit-hand-edits.txt.j2", tag="v2.5.2", paths=[".mailmap"])
    assert "v2.5.2" in text and ".mailmap" in text


def test_a_missing_value_is_refused_not_rendered_empty() -> None:
    with pytest.raises(jinja2.UndefinedError) as raised:
        render("commit-hand-edits.txt.j2", tag="v2.5.2")
    assert "'paths' is undefined" in str(raised.value)


def test_the_refusal_becomes_one_error_naming_the_template_and_line() -> None:
    try:
        render("notes-title.rst.j2", project="NumPy")
    except jinja2.UndefinedError as exc:
        error = expected(exc)
    assert isinstance(error, ReleaseError)
    assert "notes-title.rst.j2, line" in error.message and "'version' is undefined" in error.message
    assert error.hint == "the template uses a name it is not given; fix the template"


def test_an_undefined_value_cannot_hide_in_a_test_or_a_loop(tmp_path: Path) -> None:
    (tmp_path / "mine.txt.j2").write_text("{% for x in items %}{{ x }}{% endfor %}\n")
    with pytest.raises(jinja2.UndefinedError):
        render_in([str(tmp_path)], "mine.txt.j2")
    assert render_in([str(tmp_path)], "mine.txt.j2", items=["a", "b"]) == "ab\n"


def test_the_projects_own_folder_comes_first_then_its_profile(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "texts").mkdir(parents=True)
    (repo / "texts" / "notes-title.rst.j2").write_text("{{ project }} {{ version }} notes\n")
    search = profile_search("scipy", repo, "texts")
    assert search == (str(repo / "texts"), str(templates_dir() / "scipy"))
    assert render_in(search, "notes-title.rst.j2", project="SciPy", version="1.18.2") == \
        "SciPy 1.18.2 notes\n"
    without_own = profile_search("scipy", repo)
    assert render_in(without_own, "notes-title.rst.j2", project="SciPy", version="1.18.2") == \
        render("notes-title.rst.j2", project="SciPy", version="1.18.2")


def test_a_profiles_own_text_wins_over_the_shared_one() -> None:
    search = profile_search("scipy", Path("/nonexistent"))
    values = {"project": "SciPy", "package": "scipy", "version": "1.18.2", "previous": "1.18.1",
              "python_range": "3.12-3.14"}
    assert render_in(search, "patch-notes.rst.j2", **values) != render("patch-notes.rst.j2", **values)


def test_the_title_block_is_numpys() -> None:
    """The over- and underline as long as the title, as in NumPy's published 2.6.0 notes."""
    published = (DATA / "2.6.0-notes.rst").read_text(encoding="utf-8").splitlines()
    assert render("notes-title.rst.j2", project="NumPy", version="2.6.0").splitlines() == \
        published[4:7]
