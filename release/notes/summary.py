"""What an announcement takes from the release notes: the intro, the Highlights bullets and the
supported Python range."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PYTHON_RE = re.compile(r"This release supports Python versions (\d+\.\d+)-(\d+\.\d+)")
_UNDERLINE_RE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")
_BULLET_RE = re.compile(r"^[*-] +")


@dataclass(frozen=True)
class NotesSummary:
    intro: str
    highlights: tuple[str, ...]
    python: tuple[str, str] | None

    @property
    def python_range(self) -> str:
        return f"{self.python[0]}-{self.python[1]}" if self.python else ""


def _is_heading(lines: list[str], i: int) -> bool:
    """`lines[i]` is a section title: text followed by an underline at least as long."""
    return (i + 1 < len(lines) and bool(lines[i].strip()) and not _UNDERLINE_RE.match(lines[i])
            and bool(_UNDERLINE_RE.match(lines[i + 1]))
            and len(lines[i + 1].rstrip()) >= len(lines[i].rstrip()))


def _sections(lines: list[str]) -> list[tuple[str, list[str]]]:
    """(title, body lines) in order; the text before the first title has the title ""."""
    out: list[tuple[str, list[str]]] = [("", [])]
    i = 0
    while i < len(lines):
        if _is_heading(lines, i):
            out.append((lines[i].strip(), []))
            i += 2
            continue
        if _UNDERLINE_RE.match(lines[i]):  # an overline
            i += 1
            continue
        out[-1][1].append(lines[i])
        i += 1
    return out


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs


def _bullets(lines: list[str]) -> tuple[str, ...]:
    items: list[list[str]] = []
    in_item = False
    for line in lines:
        if _BULLET_RE.match(line):
            items.append([_BULLET_RE.sub("", line).strip()])
            in_item = True
        elif in_item and line.startswith((" ", "\t")) and line.strip():
            items[-1].append(line.strip())
        elif line.strip():
            in_item = False
    return tuple(" ".join(item) for item in items)


def summarize(text: str) -> NotesSummary:
    lines = text.splitlines()
    sections = _sections(lines)
    # The title is the first heading; the intro is what follows it up to the next heading.
    intro_lines = sections[1][1] if len(sections) > 1 else []
    intro_parts = []
    python = None
    for paragraph in _paragraphs(intro_lines):
        found = _PYTHON_RE.search(paragraph)
        if found:
            python = (found.group(1), found.group(2))
            before = paragraph[: found.start()].strip()
            if before:
                intro_parts.append(before)
            continue
        if paragraph.startswith(("..", ":")) or re.fullmatch(r"\*[^*].*\*", paragraph):
            continue  # directives and the italic "*Released on ...*" line
        intro_parts.append(paragraph)
    if python is None:
        python = python_versions(text)
    highlights: tuple[str, ...] = ()
    for title, body in sections:
        if title.lower() == "highlights":
            highlights = _bullets(body)
            break
    return NotesSummary(" ".join(intro_parts), highlights, python)


def python_versions(text: str) -> tuple[str, str] | None:
    """The oldest and newest Python of the notes' "This release supports Python versions" line."""
    found = _PYTHON_RE.search(text)
    return (found[1], found[2]) if found else None


def inline_markdown(text: str) -> str:
    """The inline rst the notes use, as Markdown: ``code`` -> `code`, `text <url>`__ -> links."""
    text = re.sub(r"`([^`<]+?) <([^>]+)>`__?", r"[\1](\2)", text)
    return re.sub(r"``(.+?)``", r"`\1`", text)
