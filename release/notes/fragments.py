"""Towncrier fragments: validated against the repository's own towncrier config, rendered
through towncrier's Python API exactly as `towncrier build` renders them.

towncrier silently skips a file whose type it cannot read (`23661.perfomance.rst` in NumPy's
history) and renders one with the wrong extension as if it were the notes' format
(`31771.c_api.rust`, `25570.change`); here both are errors, named, before anything is built.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from click import ClickException
from towncrier._builder import find_fragments, render_fragments, split_fragments
from towncrier._settings.load import Config as TowncrierConfig
from towncrier._settings.load import load_config_from_file
from towncrier.build import _get_date

from release.errors import PreconditionError, decode_utf8

# the names towncrier itself passes over in a fragments folder (compared lower-cased, as fnmatch
# patterns); `[tool.towncrier] ignore` adds to them
TOWNCRIER_IGNORES = (".gitignore", ".gitkeep", ".keep", "readme", "readme.md", "readme.rst")


@dataclass(frozen=True)
class Fragment:
    name: str
    pr: int
    type: str


@dataclass(frozen=True)
class BadFragment:
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name} ({self.reason})"


@dataclass(frozen=True)
class Towncrier:
    """The repository's towncrier setup: its config, the fragments folder and the template."""

    root: Path
    config: TowncrierConfig

    @property
    def directory(self) -> str:
        """The fragments folder relative to the repository root."""
        folder = self.config.directory or os.path.join(self.config.package_dir, self.config.package,
                                                       "newsfragments")
        return os.path.normpath(folder)

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(self.config.types)

    @property
    def extension(self) -> str:
        template = self.config.template
        name = template[1] if isinstance(template, tuple) else template
        return os.path.splitext(name)[1] or ".rst"

    @property
    def template_name(self) -> str | None:
        template = self.config.template
        return None if isinstance(template, tuple) else os.path.basename(template)

    @property
    def output(self) -> str:
        return str(self.config.filename)


def load_towncrier(root: Path, pyproject: str = "pyproject.toml") -> Towncrier:
    path = root / pyproject
    if not path.is_file():
        raise PreconditionError(f"{pyproject} is missing", hint="check --repo")
    try:
        config = load_config_from_file(str(root), str(path))
    except ClickException as exc:
        raise PreconditionError(f"[tool.towncrier] in {pyproject}: {exc.format_message()}",
                                hint="fix the towncrier configuration") from None
    if not config.types:
        raise PreconditionError(f"{pyproject} has no [tool.towncrier] fragment types",
                                hint="add [[tool.towncrier.type]] tables")
    return Towncrier(root, config)


def classify(names: Iterable[str], types: Sequence[str], extension: str,
             allowed: Iterable[str]) -> tuple[list[Fragment], list[BadFragment]]:
    """Split a fragments folder's file names into fragments and misnamed files; names matching
    `allowed` (fnmatch patterns, any case) are neither."""
    pattern = fragment_pattern(types, extension)
    keep = [name.lower() for name in allowed]
    good, bad = [], []
    for name in sorted(names):
        if any(fnmatch.fnmatchcase(name.lower(), ignored) for ignored in keep):
            continue
        match = pattern.match(name)
        if match:
            good.append(Fragment(name, int(match[1]), match[2]))
        else:
            bad.append(BadFragment(name, _reason(name, types, extension)))
    return good, bad


def fragment_pattern(types: Sequence[str], extension: str) -> re.Pattern[str]:
    """<PR>.<type>[.<counter>]<ext>, the numbers in ASCII digits (a full-width `１２` is a digit
    to Python but no PR number to GitHub)."""
    kinds = "|".join(map(re.escape, types))
    return re.compile(rf"^([0-9]+)\.({kinds})(?:\.[0-9]+)?{re.escape(extension)}$")


def _reason(name: str, types: Sequence[str], extension: str) -> str:
    parts = name.split(".")
    if parts[0].isdigit() and not parts[0].isascii():
        return "PR number not in ASCII digits"
    if not parts[0].isdigit():
        return "no PR number"
    if len(parts) < 2 or not parts[1]:
        return "no fragment type"
    if parts[1] not in types:
        return f"unknown type {parts[1]!r}"
    if len(parts) == 2:
        return f"no {extension} extension"
    if not name.endswith(extension):
        return f"extension .{parts[-1]}, expected {extension}"
    return f"not <PR>.<type>{extension}"


def validate(tc: Towncrier, names: Iterable[str]) -> tuple[list[Fragment], list[BadFragment]]:
    allowed = [*TOWNCRIER_IGNORES, *(tc.config.ignore or ()),
               *([tc.template_name] if tc.template_name else [])]
    return classify(names, tc.types, tc.extension, allowed)


def missed_fragments(tc: Towncrier, tracked: Iterable[str], found: Sequence[Fragment],
                     feature: bool) -> PreconditionError | None:
    """Settings that find no fragments while fragments exist (a misspelt `directory`): the
    notes would quietly lack every change. `tracked` is every file git tracks."""
    if found:
        return None
    pattern = fragment_pattern(tc.types, tc.extension)
    folder = tc.directory.rstrip("/") + "/"
    elsewhere = sorted({os.path.dirname(path) for path in tracked
                        if pattern.match(os.path.basename(path)) and not path.startswith(folder)})
    if elsewhere:
        count = sum(1 for path in tracked if pattern.match(os.path.basename(path))
                    and os.path.dirname(path) in elsewhere)
        return PreconditionError(
            f"towncrier's settings find no fragments in {tc.directory}, but {count} files named "
            f"like fragments are in {', '.join(elsewhere[:3])}",
            hint="fix `directory` in [tool.towncrier] (or the fragments' place)")
    if feature and not (tc.root / tc.directory).is_dir():
        return PreconditionError(f"towncrier's fragments directory {tc.directory} does not exist",
                                 hint="check `directory` in [tool.towncrier]")
    return None


def unreadable_fragments(tc: Towncrier, found: Sequence[Fragment]) -> PreconditionError | None:
    """A fragment that is not UTF-8 would reach the notes as U+FFFD (towncrier replaces what
    it cannot decode): the first such file, named with its byte offset."""
    for fragment in found:
        where = os.path.join(tc.directory, fragment.name)
        try:
            decode_utf8((tc.root / where).read_bytes(), where)
        except PreconditionError as exc:
            return exc
    return None


def fragment_names(tc: Towncrier) -> list[str]:
    folder = tc.root / tc.directory
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


@dataclass(frozen=True)
class Rendered:
    content: str
    files: tuple[str, ...]  # consumed fragments, relative to the repository root

    @property
    def draft(self) -> str:
        """What `towncrier build --draft` prints on stdout."""
        return self.content + "\n"

    @property
    def file_text(self) -> str:
        """What `towncrier build` writes into a per-release news file."""
        return self.content.rstrip() + "\n"


def render(tc: Towncrier, version: str, name: str = "") -> Rendered:
    """towncrier's build, minus the writing: same fragments, template, title and wrapping."""
    config = tc.config
    template = _template_text(tc)
    try:
        contents, files = find_fragments(str(tc.root), config, strict=config.ignore is not None)
    except (ClickException, ValueError) as exc:
        message = exc.format_message() if isinstance(exc, ClickException) else str(exc)
        raise PreconditionError(f"towncrier cannot read the fragments: {message.splitlines()[0]}",
                                hint="rename or remove the fragment it names") from None
    fragments = split_fragments(contents, config.types, all_bullets=config.all_bullets)
    project = name or config.name
    date = _get_date().strip()
    try:
        body: str = render_fragments(
            template, config.issue_format, fragments, config.types, config.underlines[1:],
            config.wrap, {"name": project, "version": version, "date": date},
            top_underline=config.underlines[0], all_bullets=config.all_bullets,
            render_title=config.title_format == "", md_header_level=_md_level(tc, template),
        )
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        shown = (":".join(config.template) if isinstance(config.template, tuple)
                 else os.path.relpath(config.template, tc.root))
        where = shown + (f", line {line}" if line else "")
        raise PreconditionError(f"the towncrier template {where}: {exc}",
                                hint="fix the template (its names: render_title, sections, "
                                     "definitions, underlines, versiondata, top_underline, "
                                     "get_indent)") from None
    content = body
    if config.title_format:
        top = config.title_format.format(name=project, version=version, project_date=date)
        parts = [top] if tc.extension.lower() == ".md" else [top, config.underlines[0] * len(top)]
        content = "\n".join([*parts, body])
    consumed = tuple(sorted(os.path.relpath(path, tc.root) for path, _ in files))
    return Rendered(content, consumed)


def _template_text(tc: Towncrier) -> str:
    template: Any = tc.config.template
    if isinstance(template, tuple):
        from importlib import resources

        return resources.files(template[0]).joinpath(template[1]).read_text(encoding="utf-8")
    path = Path(template)
    if not path.is_file():
        raise PreconditionError(f"the towncrier template {template} does not exist",
                                hint="check `template` in [tool.towncrier]")
    return decode_utf8(path.read_bytes(), str(template))


def _md_level(tc: Towncrier, template: str) -> int:
    if tc.extension.lower() != ".md":
        return 1
    title = tc.config.title_format
    if title:
        match = re.search(r"^#+(?=\s)", title, re.MULTILINE)
        return len(match[0]) if match else 0
    return 1 if title == "" else 0
