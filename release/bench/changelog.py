"""Benchmark the changelog on NumPy 2.0.0's history (`v1.26.0..v2.0.0`, about 1,080 pull requests).

GitHub side, against the fake GitHub with a fixed latency per request: the changelog as its step
computes it, cold (empty cache) and warm, and the baseline NumPy's `tools/changelog.py` uses, one
REST request per pull request through PyGithub with its default settings (`repo.get_pull(n)`).
Git side: contributors and pull-request discovery against the bare git commands they replace
(`git shortlog` of the range and of its start, `git log --merges`, `git log --first-parent`).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import github

from release.changelog.compute import changelog_range, compute
from release.changelog.data import collect
from release.changelog.pulls import PullRef
from release.config import load_config
from release.context import Context
from release.fakes.github import FakeGitHub
from release.repo.revision_range import RevisionRange, version_of
from release.services.git import GitService

BUNDLE = Path(__file__).resolve().parents[2] / "tests" / "data" / "numpy" / "history.bundle"
TOKEN = "bench-token-not-a-secret"
TARGETS = {"cold_requests": 12, "warm_requests": 0, "speedup": 50.0, "git_ratio": 1.5}


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m release.bench changelog", description=__doc__)
    parser.add_argument("--range", default="v1.26.0..v2.0.0", help="the revision range (A..B, B a tag)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per fake GitHub request")
    parser.add_argument("--repeat", type=int, default=9, help="runs of the git part (best is kept)")
    parser.add_argument("--only", choices=("github", "git"), help="run one half only")
    parser.add_argument("--baseline-sample", type=int, default=0, metavar="N",
                        help="time the baseline on N pull requests and scale up (default: all)")
    parser.add_argument("--repo", type=Path, help="an existing clone of the NumPy history fixture "
                        "(its work tree is checked out at the range's end, for that .mailmap)")
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="the history bundle to clone")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    with _checkout(args) as repo:
        start, _, end = args.range.partition("..")
        subprocess.run(["git", "-C", str(repo), "checkout", "--quiet", "--detach", end],  # noqa: S603
                       check=True)
        service = GitService(repo)
        data = collect(service, start, end)
        commits = service.run(["rev-list", "--count", args.range]).strip()
        print(f"changelog benchmark: NumPy {args.range} ({commits} commits, {len(data.pulls)} pull "
              f"requests, {data.people.total} contributors); fake GitHub, "
              f"{args.latency * 1000:g} ms per request\n")
        github_ok = args.only == "git" or bench_github(repo, args, data.pulls)
        git_ok = args.only == "github" or bench_git(service, repo, start, end, args.repeat)
    return 0 if github_ok and git_ok else 1


@contextlib.contextmanager
def _checkout(args: argparse.Namespace) -> Iterator[Path]:
    if args.repo is not None:
        yield args.repo
        return
    with tempfile.TemporaryDirectory(prefix="bench-changelog-") as tmp:
        repo = Path(tmp) / "numpy"
        subprocess.run(["git", "clone", "--quiet", str(args.bundle), str(repo)], check=True)  # noqa: S603
        yield repo


# -- GitHub -------------------------------------------------------------------------------------

def bench_github(repo: Path, args: argparse.Namespace, pulls: Sequence[PullRef]) -> bool:
    with FakeGitHub(tokens={TOKEN: "read"}, latency=args.latency) as gh, \
            tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        gh.add_repo("numpy/numpy")
        for pull in pulls:
            gh.add_pull("numpy/numpy", pull.number, pull.title, "contributor")
        env = {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": gh.api_url,
               "GITHUB_GRAPHQL_URL": gh.graphql_url, "XDG_CACHE_HOME": cache}
        cold = _measure(gh, lambda: _changelog(repo, args.range, env))
        warm = _measure(gh, lambda: _changelog(repo, args.range, env))
        numbers = [pull.number for pull in pulls]
        sample = numbers[: args.baseline_sample] if args.baseline_sample else numbers
        measured = _measure(gh, lambda: _pygithub_titles(gh.api_url, sample))
        scale = len(numbers) / len(sample)
        baseline = Run(1 + len(numbers), measured.seconds * scale) if scale != 1 else measured
    label = "baseline: PyGithub, get_pull per PR" + (f" (timed on {len(sample)}, scaled)"
                                                     if scale != 1 else "")
    return _github_report(cold, warm, (label, baseline))


def _github_report(cold: Run, warm: Run, baseline_row: tuple[str, Run]) -> bool:
    label, baseline = baseline_row
    rows = [("ours, cold cache", cold), ("ours, warm cache", warm), (label, baseline)]
    width = max(len(name) for name, _ in rows)
    print(f"{'GitHub titles':<{width}}  {'requests':>8}  {'wall time':>10}")
    for name, run in rows:
        print(f"{name:<{width}}  {run.requests:>8}  {run.seconds:>9.2f}s")
    speedup = baseline.seconds / cold.seconds
    fewer = baseline.requests / max(cold.requests, 1)
    print(f"cold vs baseline: {fewer:.0f}x fewer requests, {speedup:.0f}x faster; "
          f"warm vs baseline: {baseline.seconds / warm.seconds:.0f}x faster")
    checks = [
        (f"cold run <= {TARGETS['cold_requests']} requests", cold.requests <= TARGETS["cold_requests"]),
        ("warm run makes no request", warm.requests == TARGETS["warm_requests"]),
        (f"cold run >= {TARGETS['speedup']:g}x faster than the baseline", speedup >= TARGETS["speedup"]),
    ]
    return _report(checks)


def _changelog(repo: Path, span: str, env: dict[str, str]) -> None:
    """The changelog step's computation (titles from GitHub), as the step makes it."""
    loaded = load_config(repo, None)
    ctx = Context(repo=repo, config=loaded.config, config_source=loaded.source, options={},
                  env=env, out=io.StringIO(), err=io.StringIO())
    revisions = changelog_range(ctx.git, ctx.config, None, explicit=RevisionRange.parse(span))
    compute(ctx.git, ctx.config, revisions, version_of(ctx.git, ctx.config, revisions.end),
            github=ctx.github, say=ctx.say)


def _pygithub_titles(api_url: str, numbers: list[int]) -> list[str]:
    """What NumPy's tools/changelog.py does: the repository, then one request per pull request."""
    client = github.Github(auth=github.Auth.Token(TOKEN), base_url=api_url)
    repository = client.get_repo("numpy/numpy")
    return [repository.get_pull(number).title for number in numbers]


def _measure(gh: FakeGitHub, func: Callable[[], object]) -> Run:
    gh.reset_counts()
    began = time.perf_counter()
    func()
    return Run(gh.total_requests, time.perf_counter() - began)


# -- git ----------------------------------------------------------------------------------------

def bench_git(service: GitService, repo: Path, start: str, end: str, repeat: int) -> bool:
    def ours() -> None:
        collect(service, start, end)

    group = ["shortlog", "-s", "--group=author", "--group=trailer:co-authored-by"]
    bare_commands = [[*group, f"{start}..{end}"], [*group, start],
                     ["log", "--oneline", "--merges", f"{start}..{end}"],
                     ["log", "--oneline", "--no-merges", "--first-parent", f"{start}..{end}"]]

    def bare() -> None:
        for command in bare_commands:
            subprocess.run(["git", "-C", str(repo), *command], check=True,  # noqa: S603
                           capture_output=True)

    ours_times, bare_times = [], []
    for _ in range(repeat):  # interleaved, so both see the same machine load
        ours_times.append(_seconds(ours))
        bare_times.append(_seconds(bare))
    best_ours, best_bare = min(ours_times), min(bare_times)
    ratio = best_ours / best_bare
    print(f"\ngit only, best of {repeat} interleaved runs (median); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, best, times in (("ours: contributors + pull-request discovery", best_ours, ours_times),
                              ("bare git: 2 x shortlog + 2 x log", best_bare, bare_times)):
        print(f"{name:<44} {best:.3f}s ({statistics.median(times):.3f}s)")
    print(f"ratio {ratio:.2f}x")
    return _report([(f"git part <= {TARGETS['git_ratio']:g}x bare git", ratio <= TARGETS["git_ratio"])])


def _seconds(func: Callable[[], object]) -> float:
    began = time.perf_counter()
    func()
    return time.perf_counter() - began


def _report(checks: list[tuple[str, bool]]) -> bool:
    for text, ok in checks:
        print(f"  {'met ' if ok else 'MISS'}  target: {text}")
    return all(ok for _, ok in checks)
