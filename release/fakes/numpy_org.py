"""A numpy.org-shaped website repository (Hugo content), for tests and rehearsals.

The front matter, the 2.4.0 news section, the releases heading block, the release lines and
the hero-button lines are numpy.org's own (numpy/numpy.org at 94d45b53 and commit 048232a2);
the surrounding YAML is a stand-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from release.fakes.seeded_git import add_origin, commit_all, new_repo, write_files

NEWS = "content/en/news.md"
SITE_CONFIG = "content/en/config.yaml"

SECTION_2_4_0 = """\
### NumPy 2.4.0 released

_20 Dec, 2025_ -- The NumPy 2.4.0 release continues the work to improve free
threaded Python support, user dtypes implementation, and annotations. There are
many expired deprecations and bug fixes as well. Highlights are:

- Many annotation improvements. In particular, runtime signature introspection.
- New `casting` kwarg `'same_value'` for casting by value.
- New `PyUFunc_AddLoopsFromSpec` function that can be used to add user sort
  loops using the `ArrayMethod` API.
- New `__numpy_dtype__` protocol.

This release supports Python versions 3.11-3.14


"""

RELEASES_HEAD = """\
<a name="releases"></a>
## Releases

Here is a list of NumPy releases, with links to release notes. Bugfix
releases (only the `z` changes in the `x.y.z` version number) have no new
features; minor releases (the `y` increases) do.

"""

# The top of the releases list at the snapshot (version, date as listed).
SNAPSHOT_RELEASES = (("2.4.6", "18 May 2026"), ("2.4.5", "15 May 2026"), ("2.4.4", "29 Mar 2026"))


def front_matter(header: str, date: str) -> str:
    return f'---\ntitle: "News"\nsidebar: false\nnewsHeader: "{header}"\ndate: {date}\n---\n'


def release_line(version: str, date: str, project: str = "NumPy",
                 repo: str = "numpy/numpy") -> str:
    return (f"- {project} {version} ([release notes](https://github.com/{repo}/releases/tag/"
            f"v{version})) -- _{date}_.\n")


def news_md(header: str = "NumPy 2.4.0 released!", date: str = "2025-12-20",
            sections: Sequence[str] = (SECTION_2_4_0,),
            releases: Sequence[tuple[str, str]] = SNAPSHOT_RELEASES) -> str:
    return (front_matter(header, date) + "\n" + "".join(sections) + RELEASES_HEAD
            + "".join(release_line(v, d) for v, d in releases))


def site_config(series: str = "2.4", project: str = "NumPy") -> str:
    return ("languageName: English\n"
            "params:\n"
            "  description: Why NumPy? Powerful n-dimensional arrays.\n"
            "  hero:\n"
            "    # Main hero title\n"
            "    title: NumPy\n"
            "    # Button text\n"
            f'    buttontext: "Latest release: {project} {series}. View all releases"\n'
            "    # Where the main hero button links to\n"
            '    buttonlink: "/news/#releases"\n'
            "    # Hero image (from static/images/___)\n"
            "    image: logo.svg\n")


def project_site(project: str, series: str, released: str, date: str) -> tuple[str, str]:
    """(news.md, config.yaml) for another project run the same way: its header, an empty
    releases list and its hero button."""
    news = news_md(header=f"{project} {released} released!", date=date, sections=(), releases=())
    return news.replace("NumPy", project), site_config(series, project)


@dataclass(frozen=True)
class WebsiteRepo:
    repo: Path
    fork: Path


def build_numpy_org(dest: Path, *, news: str | None = None, config: str | None = None) -> WebsiteRepo:
    """`dest/numpy.org` on `main`, with the release manager's fork as the bare remote `origin`."""
    dest = dest.resolve()
    repo = dest / "numpy.org"
    git = new_repo(repo, "Alice Maintainer", "alice@example.org")
    files = {NEWS: news if news is not None else news_md(),
             SITE_CONFIG: config if config is not None else site_config(),
             "content/es/news.md": "---\ntitle: Noticias\n---\n",
             "README.md": "# numpy.org\n"}
    write_files(repo, files)
    commit_all(git, "announce the NumPy 2.4.6 release (#905)", "2026-05-18T12:00:00+00:00")
    fork = dest / "numpy.org-fork.git"
    add_origin(git, fork)
    return WebsiteRepo(repo, fork)
