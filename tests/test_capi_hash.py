from __future__ import annotations

from pathlib import Path

import pytest
from helpers import git

from release.checks.capi import api_hash, read_cversions
from release.errors import PreconditionError

API = "numpy/_core/code_generators/numpy_api.py"


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("v2.0.0", "2b8f1f4da822491ff030b2b37dff07e3"),
        ("v2.2.0", "2b8f1f4da822491ff030b2b37dff07e3"),
        ("v2.3.0", "e56b74d32a934d085e7c3414cb9999b8"),
        ("v2.4.0", "fbd24fc5b2ba4f7cd3606ec6128de7a5"),
        ("v2.5.0", "cdfba10e4e01454262d2293c394cbed5"),
        ("v2.5.2", "83149cba850edb61bf48e1dd180f17a6"),
    ],
)
def test_hash_matches_numpy(numpy_bundle_clone: Path, ref: str, expected: str) -> None:
    assert api_hash(git(numpy_bundle_clone, "show", f"{ref}:{API}")) == expected


def test_cversions_reader_tolerates_real_quirks(numpy_bundle_clone: Path) -> None:
    text = git(numpy_bundle_clone, "show",
               "v2.5.2:numpy/_core/code_generators/cversions.txt")
    entries = read_cversions(text)
    assert entries[0x14] == "e56b74d32a934d085e7c3414cb9999b8"  # the line with a trailing comma
    assert entries[0x16] == "83149cba850edb61bf48e1dd180f17a6"


def test_never_executes_the_file() -> None:
    with pytest.raises(PreconditionError, match="lacks the API dicts"):
        api_hash("import os\nos.remove('/nonexistent')\n")
