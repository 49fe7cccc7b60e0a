"""Every text the toolkit writes comes from a Jinja2 template with StrictUndefined.

Texts that differ between projects live under `templates/<profile>/`; a project may name a
folder of its own (`templates` in `[tool.release]`) that is searched before both.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2


def templates_dir() -> Path:
    """`templates/` beside the package in a checkout, or inside it in an installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "templates", here / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the toolkit's templates/ directory is missing")


@cache
def environment(search: tuple[str, ...] = ()) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([*search, str(templates_dir())]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # the outputs are rst, Markdown and e-mail, not HTML
    )


def render(name: str, **values: Any) -> str:
    return environment().get_template(name).render(**values)


def profile_search(profile: str, repo: Path, own: str = "") -> tuple[str, ...]:
    """Where a profile's texts are looked up first: the project's own folder (`own`, relative to
    the repository), then the profile's."""
    first = (str(repo / own),) if own else ()
    return (*first, str(templates_dir() / profile))


def render_in(search: Sequence[str], name: str, **values: Any) -> str:
    """`name` from the first of `search` (then the shared templates) that has it."""
    return environment(tuple(search)).get_template(name).render(**values)
