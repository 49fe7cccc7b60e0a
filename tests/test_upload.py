"""`upload`: wheels then the sdist to a real pypiserver, resumable, refusing bad dist dirs."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import PYPI_CANARY
from helpers import Cli, one_line_error, snapshot

import release
from release.config import load_config
from release.fakes.dists import write_dists
from release.fakes.example import ExampleProject
from release.fakes.pypi import LocalIndex
from release.version import ReleaseVersion
from release.wheels.matrix import matrix_for

VERSION = "1.2.0"
TOOLKIT = Path(release.__file__).resolve().parents[1]


def expected_names(example: ExampleProject, version: str = VERSION) -> list[str]:
    config = load_config(example.repo).config
    return matrix_for(config, ReleaseVersion.parse(version)).filenames(version)


@pytest.fixture
def dist(example: ExampleProject, tmp_path: Path) -> Path:
    write_dists(tmp_path / "dist", expected_names(example), "tinynum")
    return tmp_path / "dist"


def upload_args(example: ExampleProject, dist: Path, pypi: LocalIndex, *extra: str) -> list[str]:
    return ["upload", VERSION, "--repo", str(example.repo), "--from-dir", str(dist),
            "--repository-url", pypi.url, *extra]


def env_with(pypi: LocalIndex, **extra: str) -> dict[str, str]:
    return {**os.environ, **pypi.env(), **extra}


def simple_links(pypi: LocalIndex) -> list[str]:
    with urllib.request.urlopen(pypi.simple_url + "tinynum/") as response:
        page = response.read().decode()
    return [line.split(">")[1].split("<")[0] for line in page.splitlines() if "<a href" in line]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()




def test_without_upload_it_only_shows(example: ExampleProject, dist: Path, pypi: LocalIndex,
                                      cli: Cli) -> None:
    result = cli(*upload_args(example, dist, pypi), env=env_with(pypi))
    assert result.code == 0, result.err
    names = expected_names(example)
    shown = [line for line in result.out.splitlines() if ". upload " in line]
    assert len(shown) == len(names) == 60
    assert [line.split()[2] for line in shown] == [*names[:-1], "tinynum-1.2.0.tar.gz"]
    assert "nothing uploaded; add --upload" in result.out
    assert pypi.filenames() == []


def test_dry_run_changes_nothing(example: ExampleProject, dist: Path, pypi: LocalIndex, cli: Cli) -> None:
    before = (snapshot(dist), snapshot(example.repo))
    result = cli(*upload_args(example, dist, pypi, "--upload", "--dry-run"), env=env_with(pypi))
    assert result.code == 0, result.err
    assert result.out.startswith("Dry run: upload tinynum 1.2.0 to " + pypi.url)
    assert "then verify: every one of the 60 files is on" in result.out
    assert (snapshot(dist), snapshot(example.repo)) == before
    assert pypi.filenames() == []


def test_upload_puts_every_file_once_sdist_last(example: ExampleProject, dist: Path, pypi: LocalIndex,
                                                cli: Cli) -> None:
    result = cli(*upload_args(example, dist, pypi, "--upload"), env=env_with(pypi))
    assert result.code == 0, result.err
    names = expected_names(example)
    assert pypi.filenames() == sorted(names)
    assert sorted(simple_links(pypi)) == sorted(names)
    for name in names:
        assert sha(pypi.packages / name) == sha(dist / name)
    progress = [line for line in result.err.splitlines() if line.startswith("[")]
    assert len(progress) == 60 and progress[-1].startswith("[60/60] upload tinynum-1.2.0.tar.gz")
    assert "verified: every one of the 60 files is on" in result.err

    again = cli(*upload_args(example, dist, pypi, "--upload"), env=env_with(pypi))
    assert again.code == 0, again.err
    assert "already on" in again.out and "nothing to upload" in again.out
    assert pypi.filenames() == sorted(names)


class HoldingProxy:
    """Passes uploads on to the real pypiserver, but holds the one after `allowed` open until
    `gate` is set: the client can be killed with that upload in flight, at a known point."""

    def __init__(self, target: str, allowed: int) -> None:
        self.target, self.allowed, self.uploads = target, allowed, 0
        self.sent: list[str] = []  # the file of each upload, in order
        self.reached, self.gate = threading.Event(), threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                proxy.uploads += 1
                proxy.sent += [n.decode() for n in re.findall(rb'filename="([^"]+)"', body)]
                if proxy.uploads > proxy.allowed and not proxy.gate.is_set():
                    proxy.reached.set()
                    proxy.gate.wait(60)
                    status, answer = 502, b"gone"
                else:
                    status, answer = proxy.forward(self.path, dict(self.headers.items()), body)
                with contextlib.suppress(OSError):  # the held client is gone by then
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def forward(self, path: str, headers: Mapping[str, str], body: bytes) -> tuple[int, bytes]:
        sent = {name: headers[name] for name in ("Content-Type", "Authorization") if name in headers}
        request = urllib.request.Request(self.target + path.lstrip("/"), data=body, headers=sent,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def __enter__(self) -> HoldingProxy:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.gate.set()
        self.server.shutdown()
        self.server.server_close()


def test_killed_upload_resumes_and_every_file_lands_once(example: ExampleProject, dist: Path,
                                                         pypi: LocalIndex) -> None:
    env = env_with(pypi, PYTHONPATH=str(TOOLKIT))
    with HoldingProxy(pypi.url, allowed=30) as proxy:
        argv = [sys.executable, "-m", "release", "upload", VERSION, "--repo", str(example.repo),
                "--from-dir", str(dist), "--repository-url", proxy.url,
                "--index-url", pypi.simple_url, "--upload"]
        process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            assert proxy.reached.wait(60), "the 31st upload never started"
        finally:
            process.kill()
            process.wait(30)
        landed = pypi.filenames()
        assert process.returncode == -signal.SIGKILL
        assert len(landed) == 30, landed
        assert "tinynum-1.2.0.tar.gz" not in landed  # the sdist waits for every wheel

        proxy.gate.set()
        rerun = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    names = expected_names(example)
    assert pypi.filenames() == sorted(names)
    links = simple_links(pypi)
    assert sorted(links) == sorted(names) and len(links) == len(set(links))
    assert f"note: 30 files already on {pypi.simple_url}" in rerun.stderr
    assert "[30/30] upload tinynum-1.2.0.tar.gz" in rerun.stderr
    # What the index was sent, in order: the held 31st file again, then the rest, sdist last.
    assert proxy.sent == [*names[:31], *names[30:]]


def test_missing_file_is_a_one_line_error_and_nothing_is_uploaded(example: ExampleProject, dist: Path,
                                                                  pypi: LocalIndex, cli: Cli) -> None:
    gone = "tinynum-1.2.0-cp313-cp313-win_arm64.whl"
    (dist / gone).unlink()
    result = cli(*upload_args(example, dist, pypi, "--upload"), env=env_with(pypi))
    assert result.code == 1
    one_line_error(result.err, "1 missing", gone, "nothing uploaded")
    assert f"  {gone}" in result.out
    assert pypi.filenames() == []


def test_wheel_for_the_wrong_version_is_refused(example: ExampleProject, dist: Path, pypi: LocalIndex,
                                                cli: Cli) -> None:
    stray = "tinynum-1.1.0-cp312-cp312-win_amd64.whl"
    write_dists(dist, [stray], "tinynum")
    result = cli(*upload_args(example, dist, pypi, "--upload"), env=env_with(pypi))
    assert result.code == 1
    one_line_error(result.err, "1 for another version", stray)
    assert pypi.filenames() == []


def test_a_different_file_already_on_the_index_is_an_error(example: ExampleProject, dist: Path,
                                                           pypi: LocalIndex, cli: Cli) -> None:
    clash = "tinynum-1.2.0-cp312-cp312-win_amd64.whl"
    write_dists(pypi.packages, [clash], "tinynum", note=" from another build")
    result = cli(*upload_args(example, dist, pypi, "--upload"), env=env_with(pypi))
    assert result.code == 1
    one_line_error(result.err, clash, "already on", "nothing uploaded")
    assert pypi.filenames() == [clash]


def test_credentials_are_required_and_never_printed(example: ExampleProject, dist: Path, pypi: LocalIndex,
                                                    cli: Cli) -> None:
    bare = {k: v for k, v in os.environ.items() if not k.startswith("TWINE_")}
    missing = cli(*upload_args(example, dist, pypi, "--upload"), env=bare)
    assert missing.code == 1
    one_line_error(missing.err, "no credentials")

    wrong = cli(*upload_args(example, dist, pypi, "--upload"),
                env=env_with(pypi, TWINE_PASSWORD=PYPI_CANARY + "-wrong"))
    assert wrong.code == 1
    assert wrong.err.splitlines()[0].startswith("[1/60] upload ")
    one_line_error("\n".join(wrong.err.splitlines()[1:]), "failed", "403")
    assert pypi.filenames() == []

    shown = cli(*upload_args(example, dist, pypi), env=env_with(pypi))
    done = cli(*upload_args(example, dist, pypi, "--upload"), env=env_with(pypi))
    assert done.code == 0
    for result in (missing, wrong, shown, done):
        assert PYPI_CANARY not in result.out + result.err
    assert PYPI_CANARY not in (pypi.packages.parent / "server.log").read_text()


def test_twine_check_failure_stops_everything(example: ExampleProject, dist: Path, pypi: LocalIndex,
                                              cli: Cli) -> None:
    import zipfile

    name = "tinynum-1.2.0-cp312-cp312-win_amd64.whl"
    broken = dist / name
    with zipfile.ZipFile(broken) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    meta = "tinynum-1.2.0.dist-info/METADATA"
    members[meta] = members[meta].replace(b"text/markdown", b"text/x-rst") + b"\n.. broken::\n"
    with zipfile.ZipFile(broken, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    result = cli(*upload_args(example, dist, pypi, "--upload"), env=env_with(pypi))
    assert result.code == 1
    one_line_error(result.err, "twine check fails", name)
    assert pypi.filenames() == []


def test_verification_waits_for_a_lagging_index_then_names_the_files(example: ExampleProject, dist: Path,
                                                                     pypi: LocalIndex) -> None:
    from release.errors import VerificationError
    from release.services.pypi import PackageIndex
    from release.steps.upload import Pending, verify_on_index

    names = expected_names(example)
    write_dists(pypi.packages, names[:-1], "tinynum")
    files = [Pending(dist / n, sha(dist / n), (dist / n).stat().st_size) for n in names]
    waits: list[float] = []
    with pytest.raises(VerificationError) as info:
        verify_on_index(PackageIndex(pypi.url), files, "tinynum", sleep=waits.append)
    assert waits == [1.0, 2.0, 4.0]
    assert "1 files are not on" in info.value.message and names[-1] in info.value.message
    verify_on_index(PackageIndex(pypi.url), files[:-1], "tinynum", sleep=waits.append)
    assert len(waits) == 3
