"""Project profiles: where NumPy and SciPy release differently, one named choice each.

A profile is a TOML table of `[tool.release]` values shipped beside this module (`numpy.toml`,
`scipy.toml`); `profile = "scipy"` starts from SciPy's table and the project's own
`[tool.release]` overrides single keys. The strategy choices below are the places where the two
projects' processes differ; each value names one way of doing that part of a release.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from release.errors import ConfigError

PROFILES = ("numpy", "scipy")

CHOICES: dict[str, dict[str, str]] = {
    "credits": {
        "changelog": "contributors and merged pull requests from git, in a changelog file "
                     "(NumPy's tools/changelog.py)",
        "authors": "an Authors section by SciPy's tools/authors.py rules and the milestone's "
                   "issue and pull-request lists, inside the release notes",
    },
    "series_start": {
        "dev-tag": "an X.Y.0 range starts at the vX.Y.0.dev0 tag made when the series began",
        "previous-feature": "an X.Y.0 range starts at the vX.(Y-1).0 tag; no dev tags are made",
    },
    "branch_version": {
        "next": "after X.Y.Z the maintenance branch says X.Y.(Z+1); between rcs, X.Y.0",
        "next-dev0": "after X.Y.Z it says X.Y.(Z+1).dev0; between rcs, X.Y.0rc(N+1).dev0",
    },
    "rel_commit": {
        "pull-request": "the REL commit goes to a prepare-X.Y.Z branch and a pull request",
        "direct": "the REL commit (the version only) goes straight onto the maintenance branch",
    },
    "index_entry": {
        "labelled": "release.rst entries read `X.Y.Z <release/X.Y.Z-notes>`",
        "bare": "release.rst entries read `release/X.Y.Z-notes`",
    },
    "mailmap_style": {
        "git": ".mailmap by git's rules: e-mails identify people",
        "names": ".mailmap read by name only (`New <> old <>` lines allowed), as SciPy's tools do",
    },
    "branching": {
        "begin-tag": "branch makes a BEG commit on main, tags it vX.(Y+1).0.dev0 and starts "
                     "the maintenance branch at the commit before",
        "version-pr": "branch starts the maintenance branch at main's tip with the upper bounds "
                      "pinned, and sets main to X.(Y+1).0.dev0 through a pull request; no tag",
    },
    "doc_site": {
        "numpy-doc": "docs merge into a numpy/doc-shaped repository (series folders, stable "
                     "link, versions.json there)",
        "docs-scipy-org": "docs go to docs.scipy.org (a row in scipy/docs.scipy.org's index.rst, "
                          "scipy-X.Y.Z/ on the server) and post-release updates the project's "
                          "version_switcher.json on main",
    },
    "website": {
        "numpy-org": "announce edits a numpy.org-shaped site: a news section for X.Y.0, the "
                     "releases line (`_18 May 2026_`), the front-page button",
        "scipy-org": "announce edits a scipy.org-shaped site: a news section for every release, "
                     "the releases line with an ISO date, no button",
    },
    "announcement": {
        "mail": "announce writes the mailing-list mail (.eml) and sends it with --send",
        "discourse": "announce writes the post for discuss.scientific-python.org (a file to post "
                     "by hand); nothing is mailed",
    },
    "wheel_tags": {
        "numpy-release": "wheel filenames carry numpy-release's platform tags (macOS OpenBLAS: "
                         "macosx_10_13/10_15_x86_64, macosx_11_0_arm64)",
        "scipy-release": "macOS OpenBLAS wheels carry scipy-release's deployment targets "
                         "(macosx_10_15_x86_64, macosx_12_0_arm64)",
    },
}
"""Every strategy choice, its values and what each means (for errors and the docs)."""


def profile_table(name: str, where: str) -> dict[str, Any]:
    """The built-in profile's `[tool.release]` values."""
    if name not in PROFILES:
        choices = ", ".join(sorted(CHOICES))
        raise ConfigError(
            f"{where}: unknown profile {name!r} (built in: {', '.join(PROFILES)})",
            hint=f"set profile to the closer of the two and override the choices that differ "
                 f"({choices})",
        )
    path = Path(__file__).with_name(f"{name}.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def check_choice(key: str, value: str, where: str) -> None:
    """A strategy value must be one the toolkit knows."""
    options = CHOICES[key]
    if value not in options:
        listed = "; ".join(f"{name!r}: {meaning}" for name, meaning in options.items())
        raise ConfigError(f"{where}: {key} = {value!r} is not a choice the toolkit has",
                          hint=f"choose one of {listed}")


def merged(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """`overrides` on top of `base`, sub-tables merged key by key."""
    result = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result
