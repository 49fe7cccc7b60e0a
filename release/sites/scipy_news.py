"""scipy.org's news page (`content/en/news.md` in scipy/scipy.org) for a release, as SciPy's own
"Announce SciPy X.Y.Z" commits edit it: the front matter's header and ISO date, a
`### SciPy X.Y.Z released` section at the top for every release (patches too), and the line in
the releases list with an ISO date. There is no front-page button.

The Discourse post (discuss.scientific-python.org, Announcements) is written as a file for the
release manager to post.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from release.errors import PreconditionError
from release.sites.news_page import RELEASES_HEADING, page_parts
from release.templating import render_in

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def section_date(day: datetime.date) -> str:
    """`February 22, 2026`."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def edit_news(text: str, *, project: str, version: str, day: datetime.date, release_url: str,
              where: str, search: Sequence[str]) -> str:
    """The page with the release announced; an already announced release leaves it as it is."""
    lines = text.splitlines(keepends=True)
    end, heading = page_parts(lines, where, "scipy.org")
    item = f"- {project} {version} ("
    if not any(ln.startswith(item) for ln in lines):
        first = next((i for i in range(heading + 1, len(lines))
                      if lines[i].startswith(f"- {project} ")), None)
        if first is None:
            raise PreconditionError(f"{where} lists no {project} release under {RELEASES_HEADING}",
                                    hint="add the first line by hand")
        lines.insert(first, render_in(search, "news-release-line.md.j2", project=project,
                                      version=version, url=release_url, date=day.isoformat()))
    title = f"### {project} {version} released"
    if not any(ln.rstrip("\n") == title for ln in lines):
        start = end + 1
        if start < len(lines) and not lines[start].strip():
            start += 1
        lines.insert(start, render_in(search, "news-section.md.j2", project=project,
                                      version=version, date=section_date(day)))
        for i in range(1, end):
            if lines[i].startswith("newsHeader:"):
                lines[i] = f"newsHeader: {project} {version} released!\n"
            elif lines[i].startswith("date:"):
                lines[i] = f"date: {day.isoformat()}\n"
    return "".join(lines)


def discourse_post(*, project: str, package: str, version: str, release_url: str, pypi_url: str,
                   notes: str, search: Sequence[str]) -> str:
    """The announcement for discuss.scientific-python.org: a title line, then the body (the
    release notes as the repository holds them)."""
    return render_in(search, "announce-discourse.md.j2", project=project, package=package,
                     version=version, release_url=release_url, pypi_url=pypi_url,
                     notes=notes.rstrip("\n"))
