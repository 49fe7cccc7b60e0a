"""The changelog benchmark runs end to end and counts requests right (times are not checked)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from release.bench.__main__ import main


def test_counts_requests_on_a_small_range(
    numpy_bundle_clone: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "numpy"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(numpy_bundle_clone), str(repo)], check=True)
    main(["changelog", "--range", "v2.5.1..v2.5.2", "--latency", "0", "--baseline-sample", "3",
          "--repeat", "1", "--repo", str(repo)])
    out = capsys.readouterr().out
    assert "(74 commits, 29 pull requests, 16 contributors)" in out
    rows = dict(re.findall(r"^(ours, cold cache|ours, warm cache|baseline[^\n]*?)\s+(\d+)\s+[\d.]+s$",
                           out, re.MULTILINE))
    assert rows["ours, cold cache"] == "2"  # the rateLimit look-up and one query for 28 PRs
    assert rows["ours, warm cache"] == "0"
    assert rows["baseline: PyGithub, get_pull per PR (timed on 3, scaled)"] == "30"
    assert "target: cold run <= 12 requests" in out and "target: git part <= 1.5x bare git" in out
