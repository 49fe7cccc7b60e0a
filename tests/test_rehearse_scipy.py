"""Whole rehearsals of SciPy's 1.18.0, 1.18.1, 1.18.0rc1 and the next patch, 1.18.2, on SciPy's
history under the SciPy profile: green, and their comparison with the real release clean (one
bundle clone per session, copied by the rehearsal)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from helpers import Result, snapshot

from release.cli import main

pytestmark = pytest.mark.slow


def rehearse(version: str, clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Result:
    before = snapshot(clone)
    workdir = tmp_path_factory.mktemp("scipy-rehearsal") / "rehearsal"
    out, err = io.StringIO(), io.StringIO()
    code = main(["rehearse", version, "--repo", str(clone), "--workdir", str(workdir),
                 "--config", str(clone.parent / "scipy-release.toml")],
                env=dict(os.environ), out=out, err=err)
    assert snapshot(clone) == before
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def rehearsed(scipy_bundle_clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Result:
    return rehearse("1.18.1", scipy_bundle_clone, tmp_path_factory)


def test_scipy_1_18_1_rehearses_green_and_compares_clean(rehearsed: Result) -> None:
    result = rehearsed
    assert result.code == 0, result.out[-3000:]
    assert "verdict: GREEN" in result.out, result.out[-3000:]
    assert "Findings to look at" not in result.out, result.out[-3000:]
    assert "warn" not in result.out and "FAIL" not in result.out
    assert "the fake GitHub's milestone 1.18.1 holds the 41 issues and pull requests" in result.err
    assert "REL commit on maintenance/1.18.x, pushed upstream" in result.err
    assert "git tag -v v1.18.1 accepts the signature" in result.err
    assert "Authors: the same 18 names, `+` marks and order as published" in result.err
    assert ("Authors' commit counts differ (SciPy's list is taken before the release's last "
            "commits): Ralf Gommers 12 (published 11), Tyler Reddy") in result.err
    assert "pull requests: the same 25 as published" in result.err
    # scipy.org's news (a section for a patch release too) and the Discourse post, no mail
    assert "titled 'Announce SciPy 1.18.1'" in result.err
    assert "+### SciPy 1.18.1 released" in result.err
    assert ("scipy-1.18.1-announcement.md is written ('ANN: SciPy 1.18.1'); the mail server "
            "received nothing") in result.err


def test_scipy_1_18_0rc1_rehearses_green_and_compares_clean(
        scipy_bundle_clone: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A release candidate: the range from the previous X.(Y-1).0 tag (no dev tag), the REL commit
    on the branch, the Authors without the assistants' trailers as SciPy published them (the
    profile's credits_not_people, named in the comparison), a pre-release on GitHub with SciPy's
    README.txt and Changelog, no docs, then the branch set to the next candidate's dev0 through a
    pull request; main untouched. (1.18.0's own comparison is asserted in test_scipy_authors.)"""
    result = rehearse("1.18.0rc1", scipy_bundle_clone, tmp_path_factory)
    assert result.code == 0, result.out[-3000:]
    assert "verdict: GREEN" in result.out, result.out[-3000:]
    assert "Authors: the same 100 names, `+` marks and order as published" in result.err
    assert ("Authors: Claude Opus, Claude Sonnet left out as not people (credits_not_people; "
            "SciPy's tools/authors.py lists them)") in result.err
    assert "pull requests: the same 488 as published" in result.err
    assert "create draft pre-release v1.18.0rc1" in result.err
    assert "upload Changelog from git log v1.17.0..v1.18.0rc1" in result.err
    assert "verified: v1.18.0rc1 is published with exactly its 3 assets" in result.err
    assert "skipped: documentation is not merged for pre-releases (1.18.0rc1)" in result.err
    assert "[4/6] run git commit --quiet -m 'REL: set 1.18.0rc2 unreleased" in result.err
    assert "begin-1.18.0rc2 is already prepared for 1.18.0rc2 development; nothing to do" in result.err
    assert "1.18.0rc1 is a pre-release; main is updated only after a final release" in result.err


def test_scipy_1_18_0_rehearses_green_and_compares_clean(
        scipy_bundle_clone: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A new series' final: the Authors as SciPy published them (the assistants' trailers left out
    by the profile, and said so), its 508 pull requests, docs.scipy.org's row, scipy.org's news and
    the Discourse post, main's next version, then the next series branched the way SciPy branches
    (upper bounds on the new branch, no dev tag)."""
    result = rehearse("1.18.0", scipy_bundle_clone, tmp_path_factory)
    both = result.out + result.err
    assert result.code == 0, result.out[-3000:]
    assert "verdict: GREEN" in result.out, result.out[-3000:]
    assert ("Authors: Claude Opus, Claude Sonnet left out as not people (credits_not_people; "
            "SciPy's tools/authors.py lists them)") in both
    assert "Authors: the same 103 names, `+` marks and order as published" in both
    assert "pull requests: the same 508 as published" in both
    assert "verified: v1.18.0 is published with exactly its 3 assets" in both
    assert "[1.18.0] docs merge and push" in both
    assert "[1.18.0] announce: website PR and the Discourse post" in both
    assert ("[1.18.0] branch 2.0.0: the maintenance branch with upper bounds, main's next version "
            "as a pull request") in both
    assert "[1.18.0] where the release stands: every step done" in both


def test_scipy_next_patch_rehearses_green(
        scipy_bundle_clone: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The release still to come on maintenance/1.18.x: the Authors and the milestone's (empty)
    lists go into the notes and are merged before the REL commit; a patch release gets no docs."""
    result = rehearse("1.18.2", scipy_bundle_clone, tmp_path_factory)
    both = result.out + result.err
    assert result.code == 0, result.out[-3000:]
    assert "verdict: GREEN" in result.out, result.out[-3000:]
    assert "[1.18.2] the Authors and the milestone's lists into the notes" in both
    assert "[1.18.2] the notes pull request merged into maintenance/1.18.x" in both
    assert "REL commit on maintenance/1.18.x, pushed upstream" in both
    assert re.search(r"│ docs +│ skipped +│", both), both[-3000:]
    assert "[1.18.2] where the release stands: every step done" in both
