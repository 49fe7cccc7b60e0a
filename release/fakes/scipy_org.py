"""A scipy.org-shaped news page (Hugo content of scipy/scipy.org), for tests and rehearsals.

The front matter, the release sections and the releases heading block are scipy.org's own lines
(scipy/scipy.org's "Announce SciPy 1.17.1" commit); the page is otherwise cut short.
"""

from __future__ import annotations

import datetime

from release.sites.scipy_news import section_date

RELEASES_HEAD = """\
## Releases

Here is a list of {project} releases, with links to release notes. Bugfix
releases (only the `z` changes in the `x.y.z` version number) have no new
features; minor releases (the `y` increases) do.

"""
SITE_CONFIG = ("languageName: English\nparams:\n"
               "  description: Fundamental algorithms for scientific computing in Python\n")


def news_md(project: str, repo: str, releases: list[tuple[str, str]]) -> str:
    """The page after `releases` ((version, ISO date), newest first) were announced."""
    newest, day = releases[0]
    sections = "".join(
        f"### {project} {v} released\n\n_{section_date(datetime.date.fromisoformat(d))}_ -- "
        f"{project} {v} has been released!\n\n" for v, d in releases)
    lines = "".join(f"- {project} {v} ([release notes](https://github.com/{repo}/releases/tag/v{v}))"
                    f" -- _{d}_.\n" for v, d in releases)
    return (f"---\ntitle: News\nsidebar: false\nnewsHeader: {project} {newest} released!\n"
            f"date: {day}\n---\n\n" + sections + RELEASES_HEAD.format(project=project) + lines)
