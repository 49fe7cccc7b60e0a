"""The "No change" comment a new cycle adds to cversions.txt, above or below the last hash as
the file keeps its comments; a rerun adds nothing."""

from __future__ import annotations

import pytest

from release.checks.cversions_comment import series_comment
from release.errors import PreconditionError

NUMPY_TAIL = """# Version 20 (NumPy 2.3.0)
0x00000014 = e56b74d32a934d085e7c3414cb9999b8,
# Version 21 (NumPy 2.4.0) Add 'same_value' casting, header additions
# Version 21 (NumPy 2.5.0) No change
0x00000015 = fbd24fc5b2ba4f7cd3606ec6128de7a5
"""


def test_the_comment_goes_just_above_the_last_hash() -> None:
    made = series_comment(NUMPY_TAIL, project="NumPy", version="2.6.0", where="cversions.txt")
    assert made.splitlines()[-2:] == ["# Version 21 (NumPy 2.6.0) No change",
                                      "0x00000015 = fbd24fc5b2ba4f7cd3606ec6128de7a5"]
    assert made.splitlines()[-3] == "# Version 21 (NumPy 2.5.0) No change"


def test_a_rerun_adds_nothing() -> None:
    once = series_comment(NUMPY_TAIL, project="NumPy", version="2.6.0", where="cversions.txt")
    assert series_comment(once, project="NumPy", version="2.6.0", where="cversions.txt") == once


def test_comments_kept_below_the_hash_get_it_after_them() -> None:
    text = "0x00000015 = fbd24fc5b2ba4f7cd3606ec6128de7a5\n# Version 21 (NumPy 2.5.0) No change\n"
    made = series_comment(text, project="NumPy", version="2.6.0", where="cversions.txt")
    assert made.splitlines()[-1] == "# Version 21 (NumPy 2.6.0) No change"


def test_a_file_without_a_hash_line_is_refused() -> None:
    with pytest.raises(PreconditionError) as raised:
        series_comment("# nothing\n", project="NumPy", version="2.6.0", where="cversions.txt")
    assert raised.value.message == "cversions.txt has no `0x........ = hash` line"
