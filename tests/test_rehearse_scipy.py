"""A whole rehearsal of SciPy's 1.18.1 on SciPy's history under the SciPy profile: green, and its
comparison with the real release clean (one bundle clone per session, copied by the rehearsal)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from helpers import Result, snapshot

from release.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rehearsed(scipy_bundle_clone: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, str]:
    before = snapshot(scipy_bundle_clone)
    workdir = tmp_path_factory.mktemp("scipy-rehearsal") / "rehearsal"
    out, err = io.StringIO(), io.StringIO()
    code = main(["rehearse", "1.18.1", "--repo", str(scipy_bundle_clone), "--workdir", str(workdir),
                 "--config", str(scipy_bundle_clone.parent / "scipy-release.toml")],
                env=dict(os.environ), out=out, err=err)
    assert snapshot(scipy_bundle_clone) == before
    return Result(code, out.getvalue(), err.getvalue()), before


def test_scipy_1_18_1_rehearses_green_and_compares_clean(rehearsed: tuple[Result, str]) -> None:
    result, _ = rehearsed
    assert result.code == 0, result.out[-3000:]
    assert "Findings to look at" not in result.out, result.out[-3000:]
    assert "warn" not in result.out and "FAIL" not in result.out
    assert "the fake GitHub's milestone 1.18.1 holds the 41 issues and pull requests" in result.err
    assert "REL commit on maintenance/1.18.x, pushed upstream" in result.err
    assert "git tag -v v1.18.1 accepts the signature" in result.err
    assert "Authors: the same 18 names, `+` marks and order as published" in result.err
    assert ("Authors' commit counts differ (SciPy's list is taken before the release's last "
            "commits): Ralf Gommers 12 (published 11), Tyler Reddy") in result.err
    assert "pull requests: the same 25 as published" in result.err
