"""Benchmark the rehearsal: the example project (1.2.0rc1, then 1.2.0) and NumPy's history
fixture (2.5.2 on a scratch copy of a clone of the bundle), timed in the same run.

Each rehearsal runs as `python -m release rehearse ...` in a fresh process, as a release manager
runs it, and is set against a baseline measured in the same run: for the example, building the
project and starting and stopping the stand-ins (what every rehearsal pays before its first
stage); for NumPy, cloning the history bundle (git's own cost for that history). Times are the
targets; exit codes are printed beside them.

Each rehearsal's report also gives what the real release is forecast to cost on GitHub: every
REST request (how they were all counted before polls were conditional: the baseline) and the
ones GitHub counts against the hourly limit (304s free), against the goal for a release.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from release.fakes.example import build_example_project
from release.fakes.stand_ins import StandIns
from release.rehearsal.report import MARKDOWN_NAME, VERDICT_NAME

BUNDLE = Path(__file__).resolve().parents[2] / "tests" / "data" / "numpy" / "history.bundle"
TARGETS = {"example": 30.0, "numpy": 90.0}
# The real release's REST requests GitHub counts, at most (for the example's rc and final).
GOAL = 150
_GITHUB = re.compile(r"this rehearsal made (\d+) REST requests and (\d+) GraphQL requests")
_COUNTED = re.compile(r"About \*\*([\d,]+) GitHub REST requests\*\*")
_EVERY = re.compile(r"Every request, 304s included: ([\d,]+)\.")


@dataclass(frozen=True)
class Timed:
    """One rehearsal: its exit code, how many stages ran, GitHub requests, wall time."""

    code: int
    stages: int
    requests: int | None
    seconds: float
    forecast: tuple[int, int] | None = None  # the real release: every REST request, counted ones


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m release.bench rehearse", description=__doc__)
    parser.add_argument("--only", choices=("example", "numpy"), help="run one of the two only")
    parser.add_argument("--version", default="2.5.2", help="the release of NumPy's history")
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="the history bundle to clone")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    print(f"rehearsal benchmark: each rehearsal in a fresh process, timed with its baseline in "
          f"the same run; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    rows: list[tuple[str, str, Timed, str, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench-rehearse-") as tmp:
        if args.only != "numpy":
            base = _seconds(lambda: _stand_ins(Path(tmp) / "baseline"))
            run = _rehearse(Path(tmp) / "example", [])
            rows.append(("example", "example project, 1.2.0rc1 then 1.2.0", run,
                         "build it, start and stop the stand-ins", base))
        if args.only != "example":
            clone = Path(tmp) / "numpy"
            base = _seconds(lambda: _clone(args.bundle, clone))
            run = _rehearse(Path(tmp) / "numpy-rehearsal", [args.version, "--repo", str(clone)])
            rows.append(("numpy", f"NumPy history, {args.version} on a scratch copy", run,
                         "clone the history bundle", base))
    return 0 if _print(rows) else 1


def _rehearse(workdir: Path, argv: list[str]) -> Timed:
    command = [sys.executable, "-m", "release", "rehearse", *argv, "--workdir", str(workdir)]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - began
    report = workdir / MARKDOWN_NAME
    text = report.read_text(encoding="utf-8") if report.is_file() else ""
    found = _GITHUB.search(text)
    requests = int(found[1]) + int(found[2]) if found else None
    every, counted = _EVERY.search(text), _COUNTED.search(text)
    forecast = (_number(every[1]), _number(counted[1])) if every and counted else None
    verdict = workdir / VERDICT_NAME
    ran = json.loads(verdict.read_text(encoding="utf-8"))["ran"] if verdict.is_file() else 0
    return Timed(done.returncode, int(ran), requests, seconds, forecast)


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _stand_ins(workdir: Path) -> None:
    project = build_example_project(workdir / "scratch")
    with StandIns(project, workdir, "1.2.0rc1"):
        pass


def _clone(bundle: Path, dest: Path) -> None:
    subprocess.run(["git", "clone", "--quiet", str(bundle), str(dest)], check=True)  # noqa: S603


def _seconds(func: Callable[[], object]) -> float:
    began = time.perf_counter()
    func()
    return time.perf_counter() - began


def _print(rows: list[tuple[str, str, Timed, str, float]]) -> bool:
    width = max([len(name) for _, name, *_ in rows] + [len("baseline: ") + len(b) for *_, b, _ in rows])
    print(f"{'':<{width}}  {'exit':>9}  {'stages':>6}  {'GitHub requests':>15}  {'wall time':>9}  "
          f"{'vs baseline':>11}  {'vs target':>9}")
    checks = []
    for key, name, run, baseline_name, baseline in rows:
        target = TARGETS[key]
        exit_text = f"{run.code} {'green' if run.code == 0 else 'RED'}"
        requests = "?" if run.requests is None else str(run.requests)
        print(f"{'baseline: ' + baseline_name:<{width}}  {'':>9}  {'':>6}  {'':>15}  "
              f"{baseline:>8.2f}s")
        print(f"{name:<{width}}  {exit_text:>9}  {run.stages:>6}  {requests:>15}  "
              f"{run.seconds:>8.2f}s  {run.seconds / baseline:>10.1f}x  "
              f"{run.seconds / target:>8.2f}x")
        checks.append((f"{name} under {target:g} s", run.seconds < target))
    for text, ok in checks:
        print(f"  {'met ' if ok else 'MISS'}  target: {text}")
    _print_github(rows, width)
    return all(ok for _, ok in checks)


def _print_github(rows: list[tuple[str, str, Timed, str, float]], width: int) -> None:
    """The real release's GitHub requests as forecast: every one (the baseline, as they were
    all counted before) and the ones GitHub counts."""
    print(f"\nGitHub REST requests of the real release, as each report forecasts them "
          f"(goal: at most {GOAL} counted for the example's rc and final)")
    print(f"{'':<{width}}  {'every request':>13}  {'counted':>7}  {'vs baseline':>11}")
    for key, name, run, _, _ in rows:
        if run.forecast is None:
            print(f"{name:<{width}}  {'?':>13}  {'?':>7}")
            continue
        every, counted = run.forecast
        print(f"{'baseline: every request':<{width}}  {every:>13}")
        print(f"{name:<{width}}  {'':>13}  {counted:>7}  {counted / max(every, 1):>10.2f}x")
        if key == "example":
            print(f"  {'met ' if counted <= GOAL else 'MISS'}  goal: at most {GOAL} counted "
                  f"requests ({counted})")
