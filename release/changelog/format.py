"""NumPy's changelog format: the title sanitiser and the rendering of the two sections.

The rules are NumPy's `tools/changelog.py`, reproduced exactly so the output is byte-identical
to the published `doc/changelog/*-changelog.rst` files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from release.changelog.contributors import Contributor
from release.templating import render

ESCAPED_SPACE = "\\ "
"""What separates a code span from a following character (rst needs `\\ ` there); NumPy's
2.2.x branch used a plain space."""

_ESCAPED_AFTER_SPAN = re.compile(r"``\\ ")
_PLAIN_AFTER_SPAN = re.compile(r"``[^`\n]+`` [.,:;!?)\]]")  # a space no title puts there itself


def separator_in(changelog: str) -> str | None:
    """The separator a published changelog's titles show: `\\ ` wherever it occurs (no title
    has it of itself), a plain space when a code span is followed by a space and punctuation,
    None when no title tells."""
    if _ESCAPED_AFTER_SPAN.search(changelog):
        return ESCAPED_SPACE
    if _PLAIN_AFTER_SPAN.search(changelog):
        return " "
    return None


_SINGLE_BACKTICK = re.compile(r"(?P<pre>(?:^|(?<=[^`])))`(?P<post>(?=[^`]|$))")
_SPAN_THEN_CHAR = re.compile(r"``(.*?)``(.)")
_CODE_SPAN = re.compile(r"``(.*?)``")
_TEMPLATE = "changelog.rst.j2"


def sanitize_title(title: str, separator: str = ESCAPED_SPACE, *, code_asterisks: bool = False) -> str:
    """Make a pull-request title safe rst on one line, truncated as NumPy truncates it;
    `code_asterisks`: asterisks inside code spans stay unescaped (SciPy's gh_lists.py)."""
    title = re.sub(r"\s+", " ", title.strip())
    title = _SINGLE_BACKTICK.sub(r"\g<pre>``\g<post>", title)
    title = _SPAN_THEN_CHAR.sub(
        lambda m: f"``{m.group(1)}``" + (m.group(2) if m.group(2) == " " else separator + m.group(2)),
        title,
    )
    title = title.replace("*", "\\*")
    if code_asterisks:
        title = _CODE_SPAN.sub(lambda m: "``" + m.group(1).replace("\\*", "*") + "``", title)
    if len(title) > 60:
        remainder = re.sub(r"\s.*$", "...", title[60:])
        title = title[:80] + "..." if len(remainder) > 20 else title[:60] + remainder
        if title.count("`") % 4 != 0:
            title = title[:-3] + "``..."
    return title


@dataclass(frozen=True)
class PullRequestLine:
    """One entry of the pull-request list, already sanitised."""

    number: int
    url: str
    title: str


def pull_request_url(github_repo: str, number: int) -> str:
    return f"https://github.com/{github_repo}/pull/{number}"


def pull_request_lines(
    titles: Sequence[tuple[int, str]], github_repo: str, separator: str = ESCAPED_SPACE
) -> list[PullRequestLine]:
    """Numbered titles -> list entries in NumPy's order (ascending number)."""
    return [
        PullRequestLine(number, pull_request_url(github_repo, number), sanitize_title(title, separator))
        for number, title in sorted(titles)
    ]


def render_changelog(contributors: Sequence[Contributor], pulls: Sequence[PullRequestLine]) -> str:
    """The whole changelog file, exactly as NumPy writes it."""
    return render(_TEMPLATE, contributors=contributors, pulls=pulls)
