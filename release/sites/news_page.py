"""The numpy.org-shaped website's edits for a release: `content/en/news.md` (front matter, the
X.Y.0 news section, the one-line link in the releases list) and the hero button in
`content/en/config.yaml`."""

from __future__ import annotations

import datetime
import re
import textwrap
from dataclasses import dataclass

from release.config import Config
from release.errors import PreconditionError
from release.notes.summary import NotesSummary, inline_markdown
from release.templating import render
from release.version import ReleaseVersion

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WIDTH = 79
RELEASES_HEADING = "## Releases"


def release_url(config: Config, version: ReleaseVersion) -> str:
    """The GitHub release page the news line and the mail link to."""
    return f"https://github.com/{config.github_repo}/releases/tag/{version.tag(config.tag_format)}"


@dataclass(frozen=True)
class Announcement:
    project: str
    version: str
    series: str
    date: datetime.date
    release_url: str
    notes: NotesSummary
    feature: bool


def section_date(day: datetime.date) -> str:
    """`20 Dec, 2025` (news sections)."""
    return f"{day.day} {MONTHS[day.month - 1]}, {day.year}"


def line_date(day: datetime.date) -> str:
    """`18 May 2026` (the releases list)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _fill(text: str, first: str = "", rest: str = "") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False)


def news_section(a: Announcement) -> str:
    intro = inline_markdown(a.notes.intro) or f"{a.project} {a.version} is now available."
    lead = f"_{section_date(a.date)}_ -- {intro}"
    if a.notes.highlights:
        lead += " Highlights are:"
    items = [_fill(inline_markdown(item), "- ", "  ") for item in a.notes.highlights]
    return render("news-section.md.j2", project=a.project, version=a.version, lead=_fill(lead),
                  highlights=items, python=a.notes.python_range)


def release_line(a: Announcement) -> str:
    return render("news-release-line.md.j2", project=a.project, version=a.version,
                  url=a.release_url, date=line_date(a.date))


def page_parts(lines: list[str], where: str, site: str) -> tuple[int, int]:
    """Where a news page's front matter ends and its releases list's heading stands; `site`
    (numpy.org, scipy.org) names the shape the hint asks about."""
    shape = f"is --website-repo a clone of the {site}-shaped site?"
    if not lines or lines[0].rstrip("\n") != "---":
        raise PreconditionError(f"{where} does not start with a `---` front matter block",
                                hint=shape)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\n") == "---"), None)
    if end is None:
        raise PreconditionError(f"{where}: the front matter block is not closed with `---`",
                                hint="fix the file by hand")
    heading = next((i for i, ln in enumerate(lines) if ln.rstrip("\n") == RELEASES_HEADING), None)
    if heading is None:
        raise PreconditionError(f"{where} has no `{RELEASES_HEADING}` heading for the releases list",
                                hint=shape)
    return end, heading


def edit_news(text: str, a: Announcement, where: str) -> str:
    """The page with this release announced; unchanged parts stay byte for byte."""
    lines = text.splitlines(keepends=True)
    end, heading = page_parts(lines, where, "numpy.org")
    item = f"- {a.project} {a.version} ("
    if not any(ln.startswith(item) for ln in lines):
        first = next((i for i in range(heading + 1, len(lines))
                      if lines[i].startswith(f"- {a.project} ")), None)
        if first is None:  # an empty list: the item goes after the intro and one blank line
            last = max(i for i in range(heading, len(lines)) if lines[i].strip())
            if last + 1 == len(lines):
                lines.append("\n")
            first = last + 2
        lines.insert(first, release_line(a))
    title = f"### {a.project} {a.version} released"
    if a.feature and not any(ln.rstrip("\n") == title for ln in lines):
        start = end + 1
        if start < len(lines) and not lines[start].strip():
            start += 1
        lines.insert(start, news_section(a))
        for i in range(1, end):
            if lines[i].startswith("newsHeader:"):
                lines[i] = f'newsHeader: "{a.project} {a.version} released!"\n'
            elif lines[i].startswith("date:"):
                lines[i] = f"date: {a.date.isoformat()}\n"
    return "".join(lines)


def edit_site_config(text: str, a: Announcement, where: str) -> str:
    """`buttontext: "Latest release: NumPy X.Y. View all releases"` names the new series."""
    pattern = re.compile(r'^(\s*buttontext:\s*"Latest release: ' + re.escape(a.project)
                         + r' )\d+\.\d+(\. View all releases")', re.MULTILINE)
    if not pattern.search(text):
        raise PreconditionError(
            f'{where} has no `buttontext: "Latest release: {a.project} X.Y. View all releases"` line',
            hint="edit the hero button by hand, or restore that line",
        )
    return pattern.sub(lambda m: f"{m.group(1)}{a.series}{m.group(2)}", text, count=1)
