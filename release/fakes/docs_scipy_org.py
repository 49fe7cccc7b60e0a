"""A scipy/docs.scipy.org-shaped repository and the served tree beside it, for tests and
rehearsals.

The repository holds the front page's Sphinx source: `index.rst` with the "Latest releases" table
(its `scipy/scipy-html-X.Y.Z.zip` link) and the list of releases, one `<p><a href="scipy-X.Y.Z/">`
row each, newest first, as recorded from scipy/docs.scipy.org's history. The served tree is what
`make upload` in SciPy's doc/ leaves on the server: a `scipy-X.Y.Z/` folder per release and the
`scipy` link to the newest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from release.fakes.seeded_git import add_origin, commit_all, new_repo, write_files

HEAD = """\
=============================
Numpy and Scipy Documentation
=============================

Welcome! This is the documentation for Numpy and Scipy.


**Latest releases:**

.. To add a new SciPy release, first add the content (from a scipy/scipy checkout)
   ``cd doc; make dist && make upload USERNAME=... RELEASE=``
   Then add a new row to the table

.. raw:: html

  <table class="contentstable" align="center"><tr>
    <td width="50%">
      <p class="biglink"><a class="biglink" href="numpy/">Complete Numpy Manual</a><br/>
        <span><a href="numpy/numpy-html.zip">[HTML+zip]</a></span>
      </p>
      <p class="biglink"><a class="biglink" href="{package}/">{project} Documentation</a><br/>
        <span><a href="{package}/{package}-html-{latest}.zip">[HTML+zip]</a></span>
      </p>
    </td></tr>
  </table>

**Others:**

.. raw:: html

  <ul class="thumbnails" style="margin-left: 5%;">
   <li class="span6">
   <div>
      <p><a href="{package}-dev/reference/">Scipy (development version) Reference Guide</a>
      </p>
"""
ROW = """\
      <p><a href="{package}-{version}/">{project} {version} Documentation</a>,
        <span><a href="{package}-{version}/{package}-html-{version}.zip">[HTML+zip]</a></span>
      </p>
"""
TAIL = """\
  </div>
  </li>
  </ul>
"""
TRY_EXAMPLES = {"global_min_height": "400px", "ignore_patterns": [".*"]}


@dataclass(frozen=True)
class DocsSite:
    repo: Path
    remote: Path
    server: Path


def index_rst(project: str, package: str, releases: list[str]) -> str:
    ordered = sorted(releases, key=Version, reverse=True)
    rows = "".join(ROW.format(package=package, project=project, version=v) for v in ordered)
    return HEAD.format(package=package, project=project, latest=ordered[0]) + rows + TAIL


def try_examples_json() -> str:
    """The file SciPy's build puts at the docs' root (interactive examples off until edited)."""
    return json.dumps(TRY_EXAMPLES, indent=4) + "\n"


def build_docs_scipy_org(dest: Path, *, project: str = "SciPy", package: str = "scipy",
                         releases: tuple[str, ...] = ("1.16.2", "1.17.0")) -> DocsSite:
    """`dest/docs.scipy.org` (a clone with a bare `origin`) and `dest/server` (the served tree)."""
    dest = dest.resolve()
    repo = dest / "docs.scipy.org"
    git = new_repo(repo, "Doc Maintainer", "docs@example.org")
    write_files(repo, {
        "README.rst": "docs.scipy.org front page\n=========================\n",
        "conf.py": "project = 'docs.scipy.org'\n",
        "index.rst": index_rst(project, package, list(releases)),
    })
    commit_all(git, f"Add {project} {max(releases, key=Version)}", "2026-01-01T12:00:00+00:00")
    remote = dest / "docs.scipy.org.git"
    add_origin(git, remote)
    server = dest / "server"
    for version in releases:
        folder = server / f"{package}-{version}"
        write_files(folder, {
            "index.html": f"<html><body><h1>{project} {version}</h1></body></html>\n",
            f"{package}-html-{version}.zip": f"zip of {version}\n",
            "try_examples.json": json.dumps({**TRY_EXAMPLES, "ignore_patterns": []}, indent=4) + "\n",
        })
    (server / package).symlink_to(f"{package}-{max(releases, key=Version)}")
    return DocsSite(repo, remote, server)
