"""The GitHub release body: pandoc's Markdown for the notes, with the walkthrough's hand fixes done.

`tools/write_release.py` runs `pandoc --wrap=preserve`; the release manager then removes the
`currentmodule` div, unwraps the hard-wrapped lines (GitHub renders each newline), tidies the
bullets, turns links in pull-request titles into code and drops escapes pandoc adds for
characters that need none in GitHub's Markdown. These functions do the same, and only that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from release.services.pandoc import rst_to_markdown

DROPPED_DIVS = frozenset({"currentmodule", "module", "highlight"})
ALERTS = {"note": "NOTE", "tip": "TIP", "hint": "TIP", "important": "IMPORTANT",
          "warning": "WARNING", "caution": "CAUTION", "danger": "CAUTION", "attention": "WARNING"}

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_DIV_OPEN = re.compile(r"^(:{3,})\s*\{?\s*\.?([\w-]+)")
_DIV_CLOSE = re.compile(r"^:{3,}\s*$")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])(\s+)(?=\S)")
_TABLE_RULE = re.compile(r"^\s*[-=+:| ]*-{3,}[-=+:| ]*$")
_HTML = re.compile(r"^</?[A-Za-z][\w-]*(\s|>|/|$)|^<!--")
_PR_LINE = re.compile(r"^(- \[#\d+\]\([^)\s]+\): )(.*)$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
_BARE_URL = re.compile(r"(?<![\w`(<])((?:https?|ftp)://[^\s)>\]]+)")
_HARMLESS_ESCAPES = ((r"\...", "..."), (r"\"", '"'), (r"\'", "'"))


def release_markdown(rst: str) -> str:
    """The release body for notes in reStructuredText."""
    return fix_markdown(rst_to_markdown(rst))


def fix_markdown(markdown: str) -> str:
    lines = title_block_to_heading(markdown.splitlines())
    lines = drop_divs(lines, DROPPED_DIVS)
    fixed: list[tuple[str, bool]] = []
    for line, verbatim in flatten_divs(unwrap(lines)):
        if not verbatim:
            line = monospace_pr_title_links(_outside_code(normalise_bullet(line), unescape))
        fixed.append((line, verbatim))
    return "\n".join(_squeeze_blank(fixed)).strip("\n") + "\n"


def title_block_to_heading(lines: list[str]) -> list[str]:
    """pandoc moves a lone document title into a YAML block; GitHub would show it as a table."""
    if len(lines) < 3 or lines[0] != "---":
        return lines
    end = lines.index("---", 1) if "---" in lines[1:] else -1
    block = lines[1:end]
    if end < 0 or len(block) != 1 or not block[0].startswith("title: "):
        return lines
    title = block[0].removeprefix("title: ").strip()
    if len(title) > 1 and title[0] == title[-1] and title[0] in "'\"":
        title = title[1:-1]
    return [f"# {title}", *lines[end + 1:]]


def drop_divs(lines: list[str], classes: Iterable[str]) -> list[str]:
    """Remove fenced divs of the given classes, e.g. `::: currentmodule` / `numpy` / `:::`."""
    wanted = set(classes)
    out: list[str] = []
    depth_dropping = 0
    depth = 0
    for line in lines:
        opened = _DIV_OPEN.match(line)
        if opened and not _DIV_CLOSE.match(line):
            depth += 1
            if depth_dropping == 0 and opened.group(2) in wanted:
                depth_dropping = depth
                continue
        elif _DIV_CLOSE.match(line) and depth:
            depth -= 1
            if depth_dropping and depth < depth_dropping:
                depth_dropping = 0
                continue
        if not depth_dropping:
            out.append(line)
    return out


def flatten_divs(lines: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Admonition divs become GitHub alerts (`> [!NOTE]`); other div fences are removed."""
    out: list[tuple[str, bool]] = []
    stack: list[str] = []
    skipping_title = False
    for line, verbatim in lines:
        opened = None if verbatim else _DIV_OPEN.match(line)
        if opened and not _DIV_CLOSE.match(line):
            kind = opened.group(2).lower()
            stack.append(kind)
            if kind == "title" and len(stack) > 1 and stack[-2] in ALERTS:
                skipping_title = True
            elif kind in ALERTS:
                out.append((f"> [!{ALERTS[kind]}]", False))
            continue
        if not verbatim and _DIV_CLOSE.match(line) and stack:
            kind = stack.pop()
            skipping_title = skipping_title and kind != "title"
            continue
        if skipping_title:
            continue
        if any(kind in ALERTS for kind in stack):
            if not line.strip() and out and out[-1][0].startswith("> [!"):
                continue
            line = "> " + line if line.strip() else ">"
        out.append((line, verbatim))
    return out


def unwrap(lines: list[str]) -> list[tuple[str, bool]]:
    """Join hard-wrapped paragraph and list-item lines; code, tables and headings stay as they are.

    Returns each line with a flag saying whether it is verbatim (code) and must not be touched.
    """
    out: list[tuple[str, bool]] = []
    fence = ""
    joinable = False
    in_table = False
    in_code = False
    list_col: int | None = None
    after_blank = True
    for line in lines:
        if fence:
            out.append((line, True))
            if line.strip().startswith(fence):
                fence = ""
            continue
        opened = _FENCE.match(line)
        if opened:
            fence, joinable = opened.group(1), False
            out.append((line, True))
            continue
        if not line.strip():
            out.append(("", in_code))
            joinable = in_table = False
            after_blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        item = _LIST_ITEM.match(line)
        if after_blank and not item:
            in_code = indent >= (list_col or 0) + 4
            if list_col is not None and indent < list_col:
                list_col = None
        if item:
            list_col = len(item.group(0))
            in_code = False
        after_blank = False
        if _TABLE_RULE.match(line) and not item:
            in_table, joinable = True, False
            out.append((line, False))
            continue
        if line.startswith(":::"):
            joinable = False
            out.append((line, False))
            continue
        if joinable and not in_table and not in_code and not _starts_block(line):
            out[-1] = (out[-1][0].rstrip(" ") + " " + line.strip(), False)
            continue
        out.append((line, in_code))
        joinable = not (in_table or in_code or _ends_hard(line) or _is_heading(line))
    return out


def normalise_bullet(line: str) -> str:
    """`-   item` (pandoc) -> `- item`; `*`/`+` bullets -> `-`; `1.  x` -> `1. x`."""
    item = _LIST_ITEM.match(line)
    if not item:
        return line
    indent, marker, _ = item.groups()
    marker = "-" if marker in "*+" else marker
    return f"{indent}{marker} {line[item.end():]}"


def unescape(text: str) -> str:
    for escaped, plain in _HARMLESS_ESCAPES:
        text = text.replace(escaped, plain)
    return text


def monospace_pr_title_links(line: str) -> str:
    """In a pull-request line, links in the title become code: they render badly otherwise."""
    found = _PR_LINE.match(line)
    if not found:
        return line
    lead, title = found.groups()
    return lead + _outside_code(title, _links_to_code)


def _links_to_code(text: str) -> str:
    text = _MD_LINK.sub(lambda m: _code(m.group(1)), text)
    text = _AUTOLINK.sub(lambda m: _code(m.group(1)), text)
    return _BARE_URL.sub(lambda m: _code(m.group(1)), text)


def _code(text: str) -> str:
    plain = text.strip()
    if plain.startswith("`") and plain.endswith("`"):
        return plain
    return f"`{unescape(plain)}`"


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """Apply `change` to the parts of a line that are not code spans."""
    parts: list[str] = []
    pos = 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(change(text[pos:span.start()]))
        parts.append(span.group(0))
        pos = span.end()
    parts.append(change(text[pos:]))
    return "".join(parts)


def _starts_block(line: str) -> bool:
    stripped = line.lstrip()
    return bool(
        _LIST_ITEM.match(line)
        or _is_heading(line)
        or stripped.startswith((">", "|", ":::", "+-", ":   ", "[^"))
        or _HTML.match(stripped)
    )


def _is_heading(line: str) -> bool:
    return bool(re.match(r"^#{1,6}(\s|$)", line))


def _ends_hard(line: str) -> bool:
    """A Markdown hard line break: a trailing backslash or two trailing spaces."""
    return line.endswith("\\") or line.endswith("  ")


def _squeeze_blank(lines: list[tuple[str, bool]]) -> list[str]:
    """At most one blank line in a row outside code (removed divs leave gaps), none at the start."""
    out: list[str] = []
    for line, verbatim in lines:
        if not verbatim and not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    return out
