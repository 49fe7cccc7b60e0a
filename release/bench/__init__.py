"""Benchmarks: `python -m release.bench NAME [options]` (or `nox -s bench -- NAME`).

Each benchmark measures a baseline in the same run and prints ratios against it.
"""

from __future__ import annotations

BENCHMARKS: dict[str, tuple[str, str]] = {
    "changelog": ("release.bench.changelog",
                  "changelog on NumPy's v1.26.0..v2.0.0: GitHub requests and wall time, git time"),
    "mailmap": ("release.bench.mailmap",
                "the mailmap assistant on NumPy's 30 2.x final releases: recall of the fixes made "
                "at each REL commit and over whole cycles, share of findings acted on"),
    "rehearse": ("release.bench.rehearse",
                 "the rehearsal of the example project and of NumPy's history (2.5.2): wall time"),
}
