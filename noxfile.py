"""The front door: one session per release step, plus tests, lint and benchmarks.

Step sessions run `python -m release STEP ...` in one shared virtual environment that is made
once (and remade when pyproject.toml changes), so a step starts in well under a second.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
VENV = ROOT / ".nox" / "toolkit"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / "installed-from.sha256"

nox.options.sessions = ["tests"]


def _toolkit_python(session: nox.Session) -> str:
    """The shared venv's interpreter; install the toolkit into it when missing or stale."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    python = str(BIN / "python")
    if not STAMP.exists() or STAMP.read_text() != wanted:
        session.log(f"installing the toolkit into {VENV}")
        session.run(sys.executable, "-m", "venv", "--clear", str(VENV), external=True)
        session.run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip", external=True)
        session.run(python, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]",
                    external=True)
        STAMP.write_text(wanted)
    return python


def _step(session: nox.Session, name: str) -> None:
    python = _toolkit_python(session)
    env = {"RELEASE_INVOKED_FROM": session.invoked_from}
    completed = subprocess.run(  # noqa: S603 - an argv list, no shell
        [python, "-m", "release", name, *session.posargs], env={**os.environ, **env}, check=False
    )
    if completed.returncode:
        session.error(f"{name} failed (exit {completed.returncode})")


@nox.session(venv_backend="none")
def check(session: nox.Session) -> None:
    """Run every preflight check for a release and show one table."""
    _step(session, "check")


@nox.session(venv_backend="none")
def support(session: nox.Session) -> None:
    """Check the Python versions a release supports (NEP 29 or SPEC 0)."""
    _step(session, "support")


@nox.session(venv_backend="none")
def cversions(session: nox.Session) -> None:
    """Check the C-API version and hash in the three places."""
    _step(session, "cversions")


@nox.session(venv_backend="none")
def changelog(session: nox.Session) -> None:
    """Write the changelog (contributors, pull requests)."""
    _step(session, "changelog")


@nox.session(venv_backend="none")
def notes(session: nox.Session) -> None:
    """Build the release notes from the towncrier fragments."""
    _step(session, "notes")


@nox.session(venv_backend="none")
def mailmap(session: nox.Session) -> None:
    """Find contributor identity problems; propose .mailmap lines."""
    _step(session, "mailmap")


@nox.session(venv_backend="none")
def prepare(session: nox.Session) -> None:
    """Make the REL commit on a branch and open the release PR."""
    _step(session, "prepare")


@nox.session(venv_backend="none")
def wheels(session: nox.Session) -> None:
    """Build wheels with the release workflow; verify the files."""
    _step(session, "wheels")


@nox.session(venv_backend="none")
def tag(session: nox.Session) -> None:
    """Create, verify and (with --push) publish the release tag."""
    _step(session, "tag")


@nox.session(name="github-release", venv_backend="none")
def github_release(session: nox.Session) -> None:
    """Make the GitHub release; verify assets."""
    _step(session, "github-release")


@nox.session(venv_backend="none")
def upload(session: nox.Session) -> None:
    """Upload wheels, then the sdist, to the package index."""
    _step(session, "upload")


@nox.session(venv_backend="none")
def docs(session: nox.Session) -> None:
    """Merge the built docs into the numpy/doc-shaped repository."""
    _step(session, "docs")


@nox.session(name="reset-branch", venv_backend="none")
def reset_branch(session: nox.Session) -> None:
    """Reset the maintenance branch for development."""
    _step(session, "reset-branch")


@nox.session(venv_backend="none")
def announce(session: nox.Session) -> None:
    """Announce on the website and write the mailing-list mail."""
    _step(session, "announce")


@nox.session(name="post-release", venv_backend="none")
def post_release(session: nox.Session) -> None:
    """Bring notes, changelog, .mailmap to main."""
    _step(session, "post-release")


@nox.session(venv_backend="none")
def branch(session: nox.Session) -> None:
    """Begin the next cycle on main; create the maintenance branch."""
    _step(session, "branch")


@nox.session(venv_backend="none")
def rehearse(session: nox.Session) -> None:
    """Rehearse the whole release on a scratch copy, locally."""
    _step(session, "rehearse")


@nox.session(venv_backend="none")
def status(session: nox.Session) -> None:
    """Show which steps of a release are done, from the real remotes."""
    _step(session, "status")


@nox.session(venv_backend="none")
def pins(session: nox.Session) -> None:
    """Check a downstream project's NumPy pins against the guide."""
    _step(session, "pins")


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    """Run the test suite."""
    python = _toolkit_python(session)
    session.run(python, "-m", "pytest", *session.posargs, external=True)


@nox.session(venv_backend="none")
def lint(session: nox.Session) -> None:
    """ruff and mypy (strict)."""
    python = _toolkit_python(session)
    session.run(python, "-m", "ruff", "check", "release", "tests", "noxfile.py", external=True)
    session.run(python, "-m", "mypy", external=True)


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Benchmarks, printed as ratios against a baseline measured in the same run."""
    python = _toolkit_python(session)
    session.run(python, "-m", "release.bench", *session.posargs, external=True)
