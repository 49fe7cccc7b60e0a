"""Skeleton release notes: the next patch's (a fixed form) and a new series' (the repo's template).

NumPy does not make patch notes from `template.rst`: the reset commit writes a short fixed text
naming the release just made and the supported Python range. A new series' notes are a copy of
`template.rst` with the title set.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence

from release.errors import PreconditionError
from release.notes.summary import python_versions
from release.templating import render, render_in

_CLASSIFIER = re.compile(r"^Programming Language :: Python :: 3\.(\d+)$")
_TITLE_BLOCK = re.compile(r"^(=+)\n([^\n]*Release Notes[^\n]*)\n(=+)$", re.MULTILINE)


def python_range(pyproject_text: str, notes_text: str | None = None) -> str | None:
    """`3.12-3.14` from the `Python :: 3.N` classifiers, else from the current notes' line."""
    data = tomllib.loads(pyproject_text)
    classifiers = data.get("project", {}).get("classifiers", [])
    minors = sorted(int(m[1]) for c in classifiers if (m := _CLASSIFIER.match(str(c))))
    if minors:
        return f"3.{minors[0]}-3.{minors[-1]}"
    found = python_versions(notes_text) if notes_text else None
    return "-".join(found) if found else None


def patch_skeleton(*, project: str, package: str, version: str, previous: str, python: str,
                   search: Sequence[str] = ()) -> str:
    """The notes a maintenance branch starts the next patch with (NumPy's 2.5.2-notes.rst form;
    SciPy's empty Authors / Issues / Pull requests headings under its profile's `search`)."""
    return render_in(search, "patch-notes.rst.j2", project=project, package=package,
                     version=version, previous=previous, python_range=python)


def feature_skeleton(template_text: str, *, project: str, version: str, where: str) -> str:
    """The repository's notes template with its title block replaced by this version's title."""
    match = _TITLE_BLOCK.search(template_text)
    if match is None or len(match[1]) != len(match[3]):
        raise PreconditionError(
            f"{where} has no title block (`====` / `... Release Notes` / `====`) to set",
            hint="give the template a title such as `NumPy X.Y.Z Release Notes` over- and underlined",
        )
    title = render("notes-title.rst.j2", project=project, version=version)
    return template_text[: match.start()] + title + template_text[match.end() :]
