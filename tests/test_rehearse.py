from __future__ import annotations

import re
from pathlib import Path

from helpers import git


def test_the_whole_walkthrough_rehearses_green(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workdir = tmp_path / "rehearsal"
    result = cli("rehearse", "--workdir", str(workdir))
    assert result.code == 0, result.err[-3000:]
    summary = result.out
    assert "FAIL" not in summary
    for title in ("release PR: commit on prepare-1.2.0", "tag and push it upstream",
                  "upload wheels, then the sdist", "GitHub release: draft, assets, verify, publish",
                  "docs merge and push", "announce: website PR and the mail",
                  "update main after the release", "what landed where"):
        assert title in summary
    assert summary.count("ok   exit") >= 30
    assert "GitHub release 'v1.2.0" in result.err
    assert "mail server received 1 message(s)" in result.err
    upstream = workdir / "scratch" / "upstream.git"
    assert git(upstream, "cat-file", "-t", "v1.2.0").strip() == "tag"
    assert git(upstream, "rev-parse", "--verify", "refs/tags/v1.4.0.dev0")
    assert git(upstream, "rev-parse", "--verify", "refs/heads/maintenance/1.3.x")
    pyproject = git(upstream, "show", "maintenance/1.2.x:pyproject.toml")
    assert 'version = "1.2.0"' in pyproject  # the reset PR is open, not merged
    secrets = re.compile(r"rehearsal-[0-9a-f]{16}|rehearsal-password")
    assert not secrets.search(result.out + result.err)


def test_refuses_a_nonempty_workdir(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "x").write_text("x")
    result = cli("rehearse", "--workdir", str(tmp_path))
    assert result.code == 2
    assert "is not empty" in result.err
