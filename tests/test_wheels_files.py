"""A local dist directory (its files, their sha256) and the record of a dispatched wheel build
(kept across runs; one that does not parse counts as none)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from release.errors import PreconditionError
from release.wheels.dispatched import Dispatched, load, save
from release.wheels.dist_dir import list_dir, sha256


def test_a_dist_directory_lists_its_files_only_in_order(tmp_path: Path) -> None:
    (tmp_path / "numpy-2.5.2.tar.gz").write_bytes(b"sdist")
    (tmp_path / "numpy-2.5.2-cp312-cp312-win_amd64.whl").write_bytes(b"wheel")
    (tmp_path / "subdir").mkdir()
    assert list_dir(tmp_path) == ["numpy-2.5.2-cp312-cp312-win_amd64.whl", "numpy-2.5.2.tar.gz"]


def test_a_missing_dist_directory_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(PreconditionError) as raised:
        list_dir(tmp_path / "dist")
    assert raised.value.message == f"{tmp_path / 'dist'} is not a directory"


def test_sha256_reads_a_file_larger_than_one_block(tmp_path: Path) -> None:
    data = bytes(range(256)) * 8193  # just over 2 MiB, so three blocks
    (tmp_path / "big.whl").write_bytes(data)
    assert sha256(tmp_path / "big.whl") == hashlib.sha256(data).hexdigest()


def test_the_dispatch_record_survives_a_round_trip(tmp_path: Path) -> None:
    record = Dispatched("numpy/numpy-release", "wheels.yml", "maintenance/2.5.x", "pypi",
                        before=[11, 12], run_id=13, downloaded_to="/tmp/dist")
    save(tmp_path / "release" / "wheels-run-2.5.2.json", record)
    assert load(tmp_path / "release" / "wheels-run-2.5.2.json") == record
    assert record.same_build(Dispatched("numpy/numpy-release", "wheels.yml", "maintenance/2.5.x",
                                        "pypi"))
    assert not record.same_build(Dispatched("numpy/numpy-release", "wheels.yml",
                                            "maintenance/2.5.x", "testpypi"))


@pytest.mark.parametrize("text", ["", "{not json", '{"repo": "x"}', "[1, 2]"])
def test_a_record_that_does_not_parse_counts_as_none(tmp_path: Path, text: str) -> None:
    (tmp_path / "record.json").write_text(text)
    assert load(tmp_path / "record.json") is None
    assert load(tmp_path / "missing.json") is None
