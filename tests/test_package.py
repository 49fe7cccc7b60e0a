"""The toolkit as a package: what an index would get, and the command's own manners."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import release

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel",
                    "--outdir", str(out), str(ROOT)], check=True, capture_output=True)
    found = {path.suffix: path for path in out.iterdir()}
    return {"wheel": found[".whl"], "sdist": found[".gz"]}


def test_twine_check_passes_strict(dists: dict[str, Path]) -> None:
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict",
                           str(dists["wheel"]), str(dists["sdist"])], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_wheel_metadata_is_fit_for_an_index(dists: dict[str, Path]) -> None:
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = wheel.namelist()
        info = next(name for name in names if name.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(wheel.read(info).decode())
        entry_points = wheel.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert meta["Version"] == release.__version__
    assert meta["License-Expression"] == "BSD-3-Clause"
    assert meta["Author"] or meta["Author-email"]
    assert "release" in meta["Keywords"]
    assert meta.get_all("Project-URL")
    assert "Topic :: System :: Software Distribution" in (meta.get_all("Classifier") or [])
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    assert "numpy-release = release.cli:main" in entry_points
    # the texts and tables the steps read at run time travel with the code
    assert any(name.startswith("release/templates/") and name.endswith(".j2") for name in names)
    assert {"release/data/platforms.toml", "release/data/python_releases.toml",
            "release/data/numpy_releases.toml"} <= set(names)
    assert not any(name.startswith("tests/") for name in names)


def test_sdist_leaves_out_the_history_bundles(dists: dict[str, Path]) -> None:
    with tarfile.open(dists["sdist"]) as sdist:
        names = sdist.getnames()
    assert any(name.endswith("/LICENSE") for name in names)
    assert any(name.endswith("tests/data/numpy/LICENSE.txt") for name in names)
    assert not any(name.endswith("history.bundle") for name in names)


def test_version_flag() -> None:
    done = subprocess.run([sys.executable, "-m", "release", "--version"],
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"numpy-release {release.__version__}\n", "")


def test_help_into_a_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "release", "--help"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the help is written, as with `| head -0`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode in (0, 141)
