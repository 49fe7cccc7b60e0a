"""A numpy/doc-shaped repository and a small Sphinx-shaped HTML build, for tests and rehearsals.

The lines that matter (the `<!-- insert here -->` marker, the series sections, the switcher
entries, the `stable` link) are NumPy's own, as recorded from numpy/doc's history; the HTML pages
themselves are stand-ins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from release.fakes.seeded_git import add_origin, commit_all, new_repo, write_files

MARKER_LINES = (
    "  <!-- Remember to run python3 update.py after editing this!  -->\n"
    "  <!-- insert here -->\n"
)
WARNING_LOADER = ('var script = document.createElement("script"); script.type = "text/javascript"; '
                  'script.src = "/doc/_static/versionwarning.js"; document.head.appendChild(script);')
README = ("This repo holds the generated documentation for historical versions of NumPy. See the\n"
          "RELEASE_WALKTHROUGH in the numpy repository for guidance when creating a new version's\n"
          "documentation.\n")

# numpy/doc's update.py is not reproduced here; this script does what it is documented to do:
# find the newest `href="X.Y"` in index.html, write versionwarning.js from its template, and
# make every series' doctools.js load it.
UPDATE_PY = '''\
#!/usr/bin/env python3
"""Point the old-version warning at the newest series linked from index.html."""
import re
from pathlib import Path

from packaging.version import parse

LOADER = __LOADER__

here = Path(__file__).resolve().parent
versions = re.findall(r'href="([0-9.]+)"', (here / "index.html").read_text())
latest = str(max(versions, key=parse))
print(f"Latest NumPy version: {latest}")
template = (here / "_static/versionwarning.js_t").read_text()
(here / "_static/versionwarning.js").write_text(template.replace("{{ NUMPY_LATEST_VERSION }}", latest))
for doctools in sorted(here.glob("*/_static/doctools.js")):
    text = doctools.read_text()
    if "versionwarning.js" not in text:
        doctools.write_text(text + LOADER + "\\n")
'''.replace("__LOADER__", repr(WARNING_LOADER))

WARNING_TEMPLATE = """\
(function () {
  // Shown on the pages of old releases; the numbers come from update.py.
  const latestStable = {"": "{{ NUMPY_LATEST_VERSION }}"};
  const banner = "This is documentation for an old release of NumPy (version ";
  void latestStable; void banner;
})();
"""


def series_section(series: str, tag: str, *, pdfs: bool) -> str:
    """A series' entry in index.html, in the shape of the 2.4 and 2.5 sections."""
    spans = f'      <span><a href="{series}/numpy-html.zip">[HTML+zip]</a></span>\n'
    if pdfs:
        spans += (f'      <span><a href="{series}/numpy-ref.pdf">[Reference Guide PDF]</a></span>\n'
                  f'      <span><a href="{series}/numpy-user.pdf">[User Guide PDF]</a></span>\n')
    return (f"  <!--- tag v{tag} -->\n"
            "  <li>\n"
            f'    <p class="biglink"><a class="biglink" href="{series}">NumPy {series} Manual</a><br/>\n'
            f"{spans}"
            "    </p>\n"
            "  </li>\n")


def index_html(series: list[str]) -> str:
    sections = "".join(series_section(s, f"{s}.0", pdfs=not s.startswith("1.")) for s in
                       reversed(series))
    return ("<!DOCTYPE html>\n<html>\n<head>\n  <meta charset=\"utf-8\" />\n"
            "  <title>NumPy documentation archive</title>\n</head>\n<body>\n"
            "<h1>NumPy documentation</h1>\n<p>Versions:</p>\n<ul class=\"simple\">\n"
            + MARKER_LINES + sections + "</ul>\n</body>\n</html>\n")


def versions_json(series: list[str], stable: str) -> str:
    """The switcher: dev, the stable entry (URL .../doc/stable/), then older series, newest first;
    1.23-1.26 keep numpy/doc's `doc/1.xx` version quirk."""
    entries: list[dict[str, object]] = [
        {"name": "dev", "version": "devdocs", "url": "https://numpy.org/devdocs/"},
        {"name": f"{stable} (stable)", "version": stable, "url": "https://numpy.org/doc/stable/",
         "preferred": True},
    ]
    for s in reversed(series):
        if s == stable:
            continue
        quirk = s in ("1.23", "1.24", "1.25", "1.26")
        entries.append({"name": s, "version": f"doc/{s}" if quirk else s,
                        "url": f"https://numpy.org/doc/{s}/"})
    return json.dumps(entries, indent=4) + "\n"


@dataclass(frozen=True)
class DocRepo:
    repo: Path
    remote: Path


def build_numpy_doc(dest: Path, series: tuple[str, ...] = ("1.26", "2.3", "2.4"),
                    stable: str = "2.4") -> DocRepo:
    """`dest/doc` (a clone with a bare `origin` at `dest/doc.git`), state before the next series."""
    dest = dest.resolve()
    repo = dest / "doc"
    git = new_repo(repo, "Doc Maintainer", "docs@example.org")
    files = {
        ".nojekyll": "",
        ".gitignore": "*.pyc\n",
        "README.md": README,
        "index.html": index_html(list(series)),
        "_static/versions.json": versions_json(list(series), stable),
        "_static/versionwarning.js_t": WARNING_TEMPLATE,
        "update.py": UPDATE_PY,
    }
    for s in series:
        files.update(_series_files(s))
    write_files(repo, files)
    (repo / "update.py").chmod(0o755)
    (repo / "stable").symlink_to(stable)
    _run_update(repo, max(series, key=lambda s: tuple(map(int, s.split(".")))))
    commit_all(git, f"Add documentation for v{stable}.0", "2026-01-01T12:00:00+00:00")
    remote = dest / "doc.git"
    add_origin(git, remote)
    return DocRepo(repo, remote)


def _series_files(series: str) -> dict[str, str]:
    files = {
        f"{series}/index.html": f"<html><body><h1>NumPy {series} Manual</h1></body></html>\n",
        f"{series}/_static/doctools.js": f"// doctools for {series}\n",
        f"{series}/numpy-html.zip": f"zip of {series}\n",
    }
    if not series.startswith("1."):
        files[f"{series}/numpy-ref.pdf"] = f"%PDF reference {series}\n"
        files[f"{series}/numpy-user.pdf"] = f"%PDF user {series}\n"
    return files


def _run_update(repo: Path, latest: str) -> None:
    """What update.py leaves behind, written directly (building needs no subprocess)."""
    template = (repo / "_static/versionwarning.js_t").read_text(encoding="utf-8")
    (repo / "_static/versionwarning.js").write_text(
        template.replace("{{ NUMPY_LATEST_VERSION }}", latest), encoding="utf-8")
    for doctools in sorted(repo.glob("*/_static/doctools.js")):
        doctools.write_text(doctools.read_text(encoding="utf-8") + WARNING_LOADER + "\n",
                            encoding="utf-8")


def build_html(dest: Path, project: str = "NumPy", version: str = "2.5.0", *,
               package: str = "numpy", pdfs: bool = True) -> Path:
    """A Sphinx-shaped build: pages, static files, a binary image, and optionally the PDFs that
    the walkthrough copies in beside the HTML."""
    series = ".".join(version.split(".")[:2])
    pages = {
        "index.html": f"<html><body><h1>{project} {series} Manual</h1>"
                      '<a href="user/index.html">User Guide</a></body></html>\n',
        "user/index.html": "<html><body><h1>User Guide</h1></body></html>\n",
        "reference/index.html": "<html><body><h1>API reference</h1></body></html>\n",
        f"release/{version}-notes.html": f"<html><body><h1>{project} {version} Release Notes</h1>"
                                         "</body></html>\n",
        "_static/doctools.js": f"// doctools for {series}\n",
        "searchindex.js": 'Search.setIndex({"docnames": ["index"]})\n',
    }
    write_files(dest, pages)
    (dest / "_images").mkdir(exist_ok=True)
    (dest / "_images/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (dest / "objects.inv").write_bytes(b"# Sphinx inventory version 2\n" + bytes([0, 255, 1, 254]))
    if pdfs:
        (dest / f"{package}-ref.pdf").write_bytes(b"%PDF-1.5\n" + f"{project} reference\n".encode())
        (dest / f"{package}-user.pdf").write_bytes(b"%PDF-1.5\n" + f"{project} user guide\n".encode())
    return dest
