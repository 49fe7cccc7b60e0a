"""The walkthrough's steps, in walkthrough order: name -> (module, one-line summary).

Modules are imported only when their step runs, so `--help` and every step start fast.
"""

from __future__ import annotations

STEPS: dict[str, tuple[str, str]] = {
    "check": ("release.steps.check", "Run every preflight check for a release and show one table"),
    "support": ("release.steps.support", "Check the Python versions a release supports (NEP 29 or SPEC 0)"),
    "cversions": ("release.steps.cversions", "Check the C-API version and hash in the three places"),
    "changelog": ("release.steps.changelog", "Write the changelog (contributors, pull requests)"),
    "notes": ("release.steps.notes", "Build the release notes from the towncrier fragments"),
    "mailmap": ("release.steps.mailmap", "Find contributor identity problems; propose .mailmap"),
    "prepare": ("release.steps.prepare", "Make the REL commit on a branch and open the release PR"),
    "wheels": ("release.steps.wheels", "Build wheels with the release workflow; verify the files"),
    "tag": ("release.steps.tag", "Create, verify and (with --push) publish the release tag"),
    "github-release": ("release.steps.github_release", "Make the GitHub release; verify assets"),
    "upload": ("release.steps.upload", "Upload wheels, then the sdist, to the package index"),
    "docs": ("release.steps.docs", "Merge the built docs into the numpy/doc-shaped repository"),
    "reset-branch": ("release.steps.reset_branch", "Reset the maintenance branch for development"),
    "announce": ("release.steps.announce", "Announce on the website and write the mailing-list mail"),
    "post-release": ("release.steps.post_release", "Bring notes, changelog, .mailmap to main"),
    "branch": ("release.steps.branch", "Begin the next cycle on main; create the maintenance branch"),
    "rehearse": ("release.steps.rehearse", "Rehearse the whole release on a scratch copy, locally"),
    "status": ("release.steps.status", "Show which steps of a release are done, from the real remotes"),
    "pins": ("release.steps.pins", "Check a downstream project's NumPy pins against the guide"),
}
