"""Shared fixtures: a scrubbed environment, the example project, NumPy's and SciPy's histories."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import lazy_loads
import pytest
import scheduling
from helpers import Cli, Result

from release.cli import main
from release.fakes.example import ExampleProject, build_example_project, copy_example
from release.fakes.github_transcript import TRANSCRIPT_VAR

if TYPE_CHECKING:
    from release.fakes.github import FakeGitHub
    from release.fakes.pypi import LocalIndex

DATA = Path(__file__).resolve().parent / "data"
NUMPY_FIXTURE = DATA / "numpy"
SCIPY_FIXTURE = DATA / "scipy"
# pytest-xdist's workers start with COLUMNS=80 and LINES=24; tables follow COLUMNS when they do not
# go to a terminal, so every test (and every module- or session-wide rehearsal) starts without them.
for _sized in ("COLUMNS", "LINES"):
    os.environ.pop(_sized, None)

SECRET_VARS = ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "GITHUB_GRAPHQL_URL",
               "RELEASE_REPO", "RELEASE_INVOKED_FROM", "TWINE_PASSWORD", "TWINE_USERNAME",
               "RELEASE_SMTP_PASSWORD", "GNUPGHOME", "PYPI_API_TOKEN", "XDG_CONFIG_HOME",
               # pytest-xdist's workers get COLUMNS=80; tables follow COLUMNS when not on a terminal
               "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")


def pytest_configure(config: pytest.Config) -> None:
    """Every fake GitHub in the run (in this process or a rehearsal's) writes what it answers
    to one transcript, checked against GitHub's OpenAPI description at the end; and the
    pytest-xdist workers write the units of work there (tests/scheduling.py)."""
    if TRANSCRIPT_VAR not in os.environ:
        transcript = Path(tempfile.mkdtemp(prefix="github-transcript-")) / "exchanges.jsonl"
        os.environ[TRANSCRIPT_VAR] = str(transcript)
        os.environ[scheduling.UNITS_VAR] = str(transcript.parent / "units.json")
        config.stash[_TRANSCRIPT] = transcript
    lazy_loads.install()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    transcript = session.config.stash.get(_TRANSCRIPT, None)
    if transcript is None:
        return
    from contracts.openapi_check import check, read_transcript

    report = check(read_transcript(transcript))
    session.config.stash[_REPORT] = report
    shutil.rmtree(transcript.parent, ignore_errors=True)
    if report.breaks and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    report = config.stash.get(_REPORT, None)
    if report is None or not report.exchanges:
        return
    terminalreporter.write_line(report.summary())
    for line, count in report.breaks.most_common(20):
        terminalreporter.write_line(f"  BREAK {count:5} x {line}")
    for line, count in report.deviations.most_common(8):
        terminalreporter.write_line(f"  {count:5} x {line}")


_TRANSCRIPT = pytest.StashKey[Path]()
_REPORT = pytest.StashKey[Any]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    scheduling.order(config, items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    return scheduling.make_scheduler(config, log)


@pytest.fixture(autouse=True)
def no_lazy_loads() -> Iterator[None]:
    """No test may make PyGithub complete an object a list or create answer already carried
    (one hidden, uncounted request each; see lazy_loads)."""
    lazy_loads.take()
    yield
    hidden = lazy_loads.take()
    if hidden:
        pytest.fail(f"{len(hidden)} hidden PyGithub request(s) completing what an answer already "
                    "carried: " + "; ".join(str(load) for load in hidden[:5]), pytrace=False)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No user config, no tokens, caches in a tmp dir: every test starts from nothing."""
    home = tmp_path_factory.mktemp("home")
    for name in SECRET_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)


@pytest.fixture(scope="session")
def example_template(tmp_path_factory: pytest.TempPathFactory) -> ExampleProject:
    return build_example_project(tmp_path_factory.mktemp("example-template"))


@pytest.fixture
def example(example_template: ExampleProject, tmp_path: Path) -> ExampleProject:
    """A fresh copy of the example project with its own upstream and fork remotes."""
    return copy_example(example_template, tmp_path / "example")


@pytest.fixture(scope="session")
def numpy_bundle_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of NumPy's real history; read-only for tests (copy it to change it)."""
    bundle = NUMPY_FIXTURE / "history.bundle"
    assert bundle.is_file(), f"the NumPy fixture is missing at {bundle}"
    dest = tmp_path_factory.mktemp("numpy") / "numpy"
    subprocess.run(["git", "clone", "--quiet", str(bundle), str(dest)], check=True)
    return dest


@pytest.fixture(scope="session")
def scipy_bundle_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of SciPy's real history, one per session; read-only for tests (copy it to change
    it), with a `release.toml` naming the SciPy profile beside it."""
    bundle = SCIPY_FIXTURE / "history.bundle"
    assert bundle.is_file(), f"the SciPy fixture is missing at {bundle}"
    root = tmp_path_factory.mktemp("scipy")
    dest = root / "scipy"
    subprocess.run(["git", "clone", "--quiet", str(bundle), str(dest)], check=True)
    (root / "scipy-release.toml").write_text('[tool.release]\nprofile = "scipy"\n', encoding="utf-8")
    return dest


@pytest.fixture
def cli() -> Iterator[Cli]:
    def run(*argv: str, env: dict[str, str] | None = None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), env=env if env is not None else dict(os.environ), out=out, err=err)
        return Result(code, out.getvalue(), err.getvalue())

    yield run


PYPI_CANARY = "canary-pypi-password-7f3a9c"


@pytest.fixture(scope="module")
def pypi_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalIndex]:
    """A real pypiserver on 127.0.0.1, one per test module; its password is a canary."""
    from release.fakes.pypi import local_index

    root = tmp_path_factory.mktemp("pypi")
    with local_index(root / "packages", password=PYPI_CANARY, log=root / "server.log") as index:
        yield index


@pytest.fixture
def pypi(pypi_server: LocalIndex) -> LocalIndex:
    """The module's pypiserver with an empty package directory."""
    pypi_server.clear()
    return pypi_server


GITHUB_CANARY = "ghp_canaryT0kenNeverPrinted0000000000001"


@pytest.fixture
def fake_github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """A running fake GitHub with example/tinynum and numpy/numpy; the env points at it and holds a
    canary token (the only one it accepts)."""
    from release.fakes.github import FakeGitHub

    with FakeGitHub(tokens={GITHUB_CANARY: "write"}) as gh:
        gh.add_repo("example/tinynum", "main")
        gh.add_repo("numpy/numpy", "main")
        monkeypatch.setenv("GITHUB_API_URL", gh.api_url)
        monkeypatch.setenv("GITHUB_GRAPHQL_URL", gh.graphql_url)
        monkeypatch.setenv("GITHUB_TOKEN", GITHUB_CANARY)
        yield gh


@pytest.fixture
def gnupg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A throw-away signing key for Alice in a temporary GNUPGHOME; returns its fingerprint."""
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    subprocess.run(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                    "--quick-gen-key", "Alice Maintainer <alice@example.org>", "ed25519", "sign",
                    "never"], check=True, capture_output=True, env=os.environ)
    listing = subprocess.run(["gpg", "--batch", "--with-colons", "--list-secret-keys"],
                             check=True, capture_output=True, text=True).stdout
    return next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr"))
