"""Benchmark the mailmap assistant on NumPy's 30 2.x final releases (2.0.0 ... 2.5.2), offline.

Recall: of the identities NumPy fixed by hand (`git check-mailmap` gives another answer after
than before), how many the assistant flagged before the fix. Two sets:
- at each REL commit: the assistant at the REL commit's parent (that commit's `.mailmap`, the
  range up to it) against the fixes the REL commit made;
- over whole cycles: the assistant with the `.mailmap` at the range's start against every fix
  made by the release tag (an identity counted once, even where two cycles overlap).
Aim: the share of findings later acted on (one of its identities maps otherwise at the release
tag or on main), per likelihood. Baseline, measured in the same run: flag every identity no
`.mailmap` line covers. The issue's figures (before this assistant's wider rules) are printed
beside.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from release.config import Config
from release.identities.findings import LIKELIHOODS, elsewhere, find_problems
from release.identities.history import Identity, authors_until, collect
from release.identities.mailmap import Mailmap
from release.repo.revision_range import infer_start
from release.services.git import GitService
from release.version import ReleaseVersion

BUNDLE = Path(__file__).resolve().parents[2] / "tests" / "data" / "numpy" / "history.bundle"
ISSUE = {"rel": (30, 34), "cycle": (166, 196)}  # flagged, fixed: the figures before the wide rules
TARGET_RECALL = 0.95


@dataclass
class Tally:
    """Counts for one set (REL commits or cycles)."""

    fixed: set[Identity] = field(default_factory=set)
    hit: set[Identity] = field(default_factory=set)
    baseline_hit: set[Identity] = field(default_factory=set)
    findings: Counter[str] = field(default_factory=Counter)  # by likelihood, and by "kind:..."
    acted: Counter[str] = field(default_factory=Counter)
    baseline_findings: int = 0
    baseline_acted: int = 0
    by_series: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m release.bench mailmap", description=__doc__)
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="the history bundle to clone")
    parser.add_argument("--repo", type=Path, help="an existing clone of the bundle (no checkout)")
    parser.add_argument("--misses", action="store_true", help="list every fix not flagged")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    began = time.perf_counter()
    with _clone(args) as repo:
        git = GitService(repo)
        versions = final_versions(git)
        tallies = {"rel": Tally(), "cycle": Tally()}
        for version in versions:
            measure(git, version, tallies, args.misses)
    print(f"mailmap benchmark: NumPy's {len(versions)} 2.x final releases ({versions[0]} ... "
          f"{versions[-1]}), offline; fixes read with git check-mailmap "
          f"({time.perf_counter() - began:.0f} s)\n")
    return 0 if report(tallies) else 1


@contextlib.contextmanager
def _clone(args: argparse.Namespace) -> Iterator[Path]:
    if args.repo is not None:
        yield args.repo
        return
    with tempfile.TemporaryDirectory(prefix="bench-mailmap-") as tmp:
        repo = Path(tmp) / "numpy"
        subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(args.bundle), str(repo)],  # noqa: S603
                       check=True)
        yield repo


def final_versions(git: GitService) -> list[str]:
    found = [ReleaseVersion.parse(tag[1:]) for tag in git.tags() if tag.startswith("v2.")]
    finals = [v for v in found if v is not None and not v.is_dev and not v.is_prerelease]
    return [str(v) for v in sorted(finals, key=lambda v: (v.major, v.minor, v.micro))]


def check_mailmap(git: GitService, ref: str, identities: Sequence[Identity]) -> dict[Identity, str]:
    """What `git check-mailmap` answers for each identity with `ref`'s .mailmap."""
    out = git.run(["-c", f"mailmap.blob={ref}:.mailmap", "check-mailmap", *map(str, identities)])
    return dict(zip(identities, out.splitlines(), strict=True))


def measure(git: GitService, version_text: str, tallies: dict[str, Tally], misses: bool) -> None:
    config = Config()
    version = ReleaseVersion.parse(version_text)
    tag = f"v{version_text}"
    start, before = infer_start(git, config, version), f"{tag}^"
    sightings = collect(git, f"{start}..{before}")
    ids = sorted(sightings.commits)
    at = {ref: check_mailmap(git, ref, ids) for ref in (start, before, tag, "main")}
    history = authors_until(git, before)
    for name, ref in (("rel", before), ("cycle", start)):
        tally = tallies[name]
        fixed = {who for who in ids if at[ref][who] != at[tag][who]}
        text = git.show_file(ref, ".mailmap") or ""
        mailmap = Mailmap.parse(text)
        findings = [f for f in find_problems(sightings, mailmap, text,
                                             placeholders=config.mailmap_placeholders,
                                             bots=(*config.changelog_drop_names, *config.mailmap_ignore),
                                             history=elsewhere(history, mailmap))
                    if f.identities]
        flagged = {who for finding in findings for who in finding.identities}
        uncovered = [who for who in ids if not mailmap.covers(who.name, who.email)]

        def acted(group: Iterable[Identity], ref: str = ref) -> bool:
            return any(at[ref][who] != at[tag][who] or at[ref][who] != at["main"][who] for who in group)

        tally.fixed |= fixed
        tally.hit |= fixed & flagged
        tally.baseline_hit |= fixed & set(uncovered)
        for finding in findings:
            done = acted(finding.identities)
            for key in (finding.likelihood, f"kind:{finding.kind}"):
                tally.findings[key] += 1
                tally.acted[key] += done
        tally.baseline_findings += len(uncovered)
        tally.baseline_acted += sum(acted([who]) for who in uncovered)
        series = tally.by_series[".".join(version_text.split(".")[:2]) + ".x"]
        series[0] += len(fixed & flagged)
        series[1] += len(fixed)
        if misses:
            for who in sorted(fixed - flagged):
                print(f"  missed ({name}, {version_text}): {who} -> {at[tag][who]}")


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "    - "


def report(tallies: dict[str, Tally]) -> bool:
    labels = {"rel": "at each REL commit's parent", "cycle": "over whole cycles"}
    print("recall: identities NumPy fixed by hand that were flagged before the fix")
    print(f"  {'':<40} {'fixed':>6} {'flagged':>8} {'recall':>8}   {'baseline':>8}   issue's figure")
    for key, tally in tallies.items():
        hit, fixed = len(tally.hit), len(tally.fixed)
        old_hit, old_fixed = ISSUE[key]
        print(f"  {labels[key]:<40} {fixed:>6} {hit:>8} {_share(hit, fixed):>8}   "
              f"{_share(len(tally.baseline_hit), fixed):>8}   {_share(old_hit, old_fixed)} "
              f"({old_hit} of {old_fixed}); {hit / fixed / (old_hit / old_fixed):.2f}x")
    print("  (baseline: every identity no .mailmap line covers, flagged)\n")
    print("aim: findings later acted on (an identity maps otherwise at the release tag or on main)")
    print(f"  {'':<40} {'findings':>8} {'acted on':>9} {'share':>8}")
    for key, tally in tallies.items():
        for likelihood in LIKELIHOODS:
            found, acted = tally.findings[likelihood], tally.acted[likelihood]
            print(f"  {labels[key] + ', ' + likelihood:<40} {found:>8} {acted:>9} {_share(acted, found):>8}")
        total = sum(tally.findings[likelihood] for likelihood in LIKELIHOODS)
        acted = sum(tally.acted[likelihood] for likelihood in LIKELIHOODS)
        print(f"  {labels[key] + ', all':<40} {total:>8} {acted:>9} {_share(acted, total):>8}")
        print(f"  {'  baseline':<40} {tally.baseline_findings:>8} {tally.baseline_acted:>9} "
              f"{_share(tally.baseline_acted, tally.baseline_findings):>8}")
    for key, tally in tallies.items():
        found, acted = tally.findings["kind:handle"], tally.acted["kind:handle"]
        print(f"  {labels[key] + ', handle findings':<40} {found:>8} {acted:>9} {_share(acted, found):>8}")
    print("  (issue: about half of the handle findings were ever acted on)\n")
    print("recall per series (fixes flagged / fixed, summed over the series' releases)")
    for key, tally in tallies.items():
        cells = ", ".join(f"{series} {hit}/{fixed}" for series, (hit, fixed) in tally.by_series.items())
        print(f"  {labels[key]}: {cells}")
    cycle = tallies["cycle"]
    ok = len(cycle.hit) >= TARGET_RECALL * len(cycle.fixed)
    print(f"\n  {'met ' if ok else 'MISS'}  target: recall over whole cycles >= {TARGET_RECALL:.0%}")
    return ok

