"""The rehearsal benchmark runs the example's rehearsal in its own process and reads its report
(times are not checked)."""

from __future__ import annotations

import re

import pytest

from release.bench.__main__ import main

# A whole rehearsal (or several): the quick loop leaves these out (-m "not slow").
pytestmark = pytest.mark.slow


def test_times_the_example_against_its_baseline_and_target(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rehearse", "--only", "example"])
    out = capsys.readouterr().out
    assert re.search(r"^baseline: build it, start and stop the stand-ins\s+[\d.]+s$", out, re.MULTILINE)
    row = re.search(r"^example project, 1\.2\.0rc1 then 1\.2\.0\s+0 green\s+84\s+(\d+)\s+([\d.]+)s\s+"
                    r"([\d.]+)x\s+([\d.]+)x$", out, re.MULTILINE)
    assert row is not None, out
    requests, seconds, _, vs_target = row.groups()
    assert int(requests) > 100  # two releases' worth of GitHub calls, counted from the report
    assert float(vs_target) == pytest.approx(float(seconds) / 30, abs=0.01)
    assert "target: example project, 1.2.0rc1 then 1.2.0 under 30 s" in out
    assert "NumPy history" not in out
    assert code == (0 if "met   target" in out else 1)
