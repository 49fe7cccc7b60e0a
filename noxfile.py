"""The front door: one session per release step (from the step registry), plus tests, lint and
benchmarks.

Step sessions run `python -m release STEP ...` in one shared virtual environment that is made
once (and remade when pyproject.toml changes), so a step starts in well under a second.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT))  # the step registry reads the steps' declarations with the stdlib only
from release.steps import declared  # noqa: E402

VENV = ROOT / ".nox" / "toolkit"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / "installed-from.sha256"

nox.options.sessions = ["tests"]


def _toolkit_python(session: nox.Session) -> str:
    """The shared venv's interpreter; install the toolkit into it when missing or stale."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    python = str(BIN / "python")
    if not STAMP.exists() or STAMP.read_text() != wanted:
        uv = _uv()
        session.log(f"installing the toolkit into {VENV}" + (" with uv" if uv else " with pip"))
        if not (uv and _uv_install(session, uv, python)):
            session.run(sys.executable, "-m", "venv", "--clear", str(VENV), external=True)
            session.run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip", external=True)
            session.run(python, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]",
                        external=True)
        STAMP.write_text(wanted)
    return python


def _uv_install(session: nox.Session, uv: list[str], python: str) -> bool:
    """Make the venv with uv; False (then pip does it) when uv cannot, e.g. behind a TLS proxy
    whose certificate only pip is told about."""
    for argv in (
        [*uv, "venv", "--quiet", "--clear", "--seed", "--python", sys.executable, str(VENV)],
        [*uv, "pip", "install", "--quiet", "--python", python, "-e", f"{ROOT}[test]"],
    ):
        if subprocess.run(argv, check=False).returncode != 0:  # noqa: S603 - an argv list
            session.log("uv could not make the venv; pip makes it instead")
            return False
    return True


def _uv() -> list[str]:
    """uv's command line when it is installed (on PATH or beside nox), else [] (then pip)."""
    found = shutil.which("uv")
    if found:
        return [found]
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    return []


def _step(session: nox.Session, name: str) -> None:
    python = _toolkit_python(session)
    env = {"RELEASE_INVOKED_FROM": session.invoked_from, "RELEASE_INVOKED_AS": "nox"}
    completed = subprocess.run(  # noqa: S603 - an argv list, no shell
        [python, "-m", "release", name, *session.posargs], env={**os.environ, **env}, check=False
    )
    if completed.returncode:
        session.log(f"{name} failed (exit {completed.returncode})")
        # nox itself would exit 1 for any failure; scripts need the step's own code (2: usage)
        raise SystemExit(completed.returncode)


def _step_session(name: str, summary: str) -> None:
    """Register the session `name` that runs the step `name`."""

    def session(session: nox.Session) -> None:
        _step(session, name)

    session.__doc__ = f"{summary}."
    session.__name__ = session.__qualname__ = name.replace("-", "_")
    nox.session(name=name, venv_backend="none")(session)


for _declared in declared().values():
    _step_session(_declared.name, _declared.summary)


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    """Run the test suite on two cores (`-- -m "not slow"` leaves out the whole rehearsals;
    tests/scheduling.py hands the work out longest first)."""
    python = _toolkit_python(session)
    session.run(python, "-m", "pytest", "-n", "2", *session.posargs, external=True)


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


def _suggest_sessions(argv: list[str]) -> None:
    """nox says only "Sessions not found"; name the closest session, as git and pip do."""
    import difflib

    known = list(nox.registry.get())
    asked: list[str] = []
    for index, arg in enumerate(argv):
        if arg in ("-s", "-e", "--session", "--sessions") and index + 1 < len(argv):
            asked += argv[index + 1].split(",")
        elif arg.startswith(("--session=", "--sessions=")):
            asked += arg.split("=", 1)[1].split(",")
        elif arg == "--":
            break
    for name in asked:
        if name and name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            if close:
                print(f"nox > no session {name!r}: did you mean {close[0]!r}? (`nox -l` lists them)",
                      file=sys.stderr)


_suggest_sessions(sys.argv[1:])
