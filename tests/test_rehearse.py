from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import Cli, git

from release.fakes.example import ExampleProject

# A whole rehearsal (or several): the quick loop leaves these out (-m "not slow").
pytestmark = pytest.mark.slow

SECRETS = re.compile(r"rehearsal-[0-9a-f]{16}|rehearsal-password")


def test_release_candidate_then_final(cli: Cli, tmp_path: Path) -> None:
    workdir = tmp_path / "rehearsal"
    result = cli("rehearse", "--workdir", str(workdir))
    assert result.code == 0, result.err[-3000:]
    summary = result.err
    assert "FAIL" not in result.out and "verdict: AMBER (exit 0)" in result.out
    for title in ("[1.2.0rc1] release PR: commit on prepare-1.2.0rc1",
                  "[1.2.0rc1] the maintenance branch is not reset after a pre-release",
                  "[1.2.0] tag and push it upstream", "[1.2.0] upload wheels, then the sdist",
                  "[1.2.0] GitHub release: draft, assets, verify, publish",
                  "[1.2.0] docs merge and push", "[1.2.0] announce: website PR and the mail",
                  "[1.2.0] update main after the release",
                  "[1.2.0] branch 1.3: begin the next cycle"):
        assert title in summary
    assert "GitHub pre-release 'v1.2.0rc1" in result.err
    assert "GitHub release 'v1.2.0" in result.err
    assert "the list received one announcement: 'tinynum 1.2.0 released'" in result.err
    upstream = workdir / "scratch" / "upstream.git"
    for tag in ("v1.2.0rc1", "v1.2.0"):
        assert git(upstream, "cat-file", "-t", tag).strip() == "tag"
    assert git(upstream, "rev-parse", "--verify", "refs/tags/v1.4.0.dev0")
    assert git(upstream, "rev-parse", "--verify", "refs/heads/maintenance/1.3.x")
    assert 'version = "1.2.0"' in git(upstream, "show", "v1.2.0:pyproject.toml")
    assert final_status(result.err) == ["done"] * 8
    assert not SECRETS.search(result.out + result.err)


def final_status(log: str) -> list[str]:
    """The status column of the last `status` table the rehearsal printed."""
    table = log.rsplit("where the release stands", 1)[1].split("\n== ", 1)[0]
    return [cells[2].strip() for line in table.splitlines()
            if len(cells := line.split("│")) == 6 and cells[1].strip()]


def test_patch_release(cli: Cli, tmp_path: Path) -> None:
    """The example's patch release has nothing to look at: green, exit 0, and the output ends
    with the verdict, the totals and the forecast, not the stage list."""
    result = cli("rehearse", "1.1.1", "--workdir", str(tmp_path / "rehearsal"))
    assert result.code == 0, result.err[-3000:]
    lines = result.out.strip().splitlines()
    total = len(re.findall(r"^== \[\d+/\d+\] ", result.err, re.MULTILINE))
    assert lines[0] == ("verdict: GREEN (exit 0): every stage ran and nothing was found to look at "
                        f"({total} stages)")
    assert lines[1].startswith(f"totals: {total} stages: {total} ok, 0 amber, 0 failed, 0 not run; ")
    assert lines[2].startswith("forecast: ") and lines[-1].startswith("report: ")
    data = json.loads((tmp_path / "rehearsal" / "rehearsal-verdict.json").read_text())
    assert (data["verdict"], data["exit_code"], data["findings"], data["ran"]) == ("green", 0, [], total)
    report = (tmp_path / "rehearsal" / "rehearsal-report.md").read_text()
    assert "## Verdict: GREEN\n\n**Can I release?** Yes, as far as a rehearsal can tell" in report
    assert "\n## Findings\n" not in report
    assert "[1.1.1] reset the maintenance branch, open the PR" in result.err
    started = re.findall(r"^== \[\d+/\d+\] (.*)$", result.err, re.MULTILINE)
    assert not [title for title in started if "docs merge" in title]  # patch releases skip the docs
    assert not [title for title in started if "branch 1." in title]
    repo = tmp_path / "rehearsal" / "scratch" / "tinynum"
    notes = git(repo, "show", "v1.1.1:doc/source/release/1.1.1-notes.rst")
    assert "\n\n\nContributors\n============\n" in notes  # the changelog goes into patch notes
    assert final_status(result.err) == ["done"] * 4 + ["skipped"] + ["done"] * 3
    assert not SECRETS.search(result.out + result.err)


def test_refuses_what_the_example_cannot_release(cli: Cli, tmp_path: Path) -> None:
    result = cli("rehearse", "2.4.0", "--workdir", str(tmp_path / "w"))
    assert result.code == 2
    assert "cannot rehearse 2.4.0" in result.err
    (tmp_path / "x").write_text("x")
    result = cli("rehearse", "--workdir", str(tmp_path))
    assert result.code == 2
    assert "is not empty" in result.err


def test_a_real_checkout_rehearses_on_a_scratch_copy(cli: Cli, numpy_bundle_clone: Path,
                                                     tmp_path: Path) -> None:
    """NumPy's real history, the next 2.4.x patch release: every step runs on a scratch copy;
    the one real finding (a malformed .mailmap line on maintenance/2.4.x) is a warning listed at
    the end, and the rehearsal goes on past it and passes."""
    from helpers import snapshot

    before = snapshot(numpy_bundle_clone)
    result = cli("rehearse", "2.4.7", "--repo", str(numpy_bundle_clone),
                 "--workdir", str(tmp_path / "rehearsal"))
    assert snapshot(numpy_bundle_clone) == before
    warned = [line for line in result.out.splitlines() if line.startswith("amber ")]
    assert [line.split("[2.4.7] ")[1].split(":")[0] for line in warned] == [
        "contributor identities (.mailmap), with the issue text", "every preflight check"]
    assert "FAIL" not in result.out
    assert result.code == 0, result.out[-3000:]
    assert "verdict: AMBER (exit 0)" in result.out
    data = json.loads((tmp_path / "rehearsal" / "rehearsal-verdict.json").read_text())
    [malformed] = [f for f in data["findings"] if f["kind"] == "mailmap/malformed"]
    assert (malformed["file"], malformed["line"], malformed["severity"]) == (".mailmap", 730, "error")
    assert malformed["what"].startswith(".mailmap line 730: unbalanced < >: ")
    assert malformed["what"].endswith(": git skips this line")
    assert malformed["fix"] == "write `Proper Name <proper@email> [Commit Name] <commit@email>`"
    assert "exists already" not in result.err  # 2.4.7 is not tagged: nothing is rewound
    assert "changelog, dry run (titles from GitHub)" in result.err
    report = (tmp_path / "rehearsal" / "rehearsal-report.md").read_text()
    for title in ("[2.4.7] tag and push it upstream", "[2.4.7] upload wheels, then the sdist",
                  "[2.4.7] GitHub release: draft, assets, verify, publish",
                  "[2.4.7] announce: website PR and the mail", "[2.4.7] update main after the release"):
        assert re.search(rf"\| {re.escape(title)}[^|]* \| ok \|", report), title
    assert "the index holds 72 files of 2.4.7" in result.err
    assert "docs merge" not in result.err


def test_real_built_files_go_through_the_release(cli: Cli, example_template: ExampleProject,
                                                 tmp_path: Path) -> None:
    """--dist: the wheel workflow stand-in leaves the given files, so the index and the GitHub
    release get exactly those bytes; a directory missing one wheel stops the rehearsal at the
    file check, naming it."""
    import hashlib

    from release.config import load_config
    from release.fakes.dists import write_dists
    from release.version import ReleaseVersion
    from release.wheels.matrix import matrix_for

    config = load_config(example_template.repo).config
    names = [item.filename for item in matrix_for(config, ReleaseVersion.parse("1.1.1")).files("1.1.1")]
    built = tmp_path / "built"
    write_dists(built, names, "tinynum", note=" (built by the release manager)")
    (built / "notes.txt").write_text("not a distribution\n")
    workdir = tmp_path / "rehearsal"
    result = cli("rehearse", "1.1.1", "--workdir", str(workdir), "--dist", str(built))
    assert result.code == 0, result.err[-3000:]
    packages = workdir / "index" / "packages"
    digest = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in packages.iterdir()}
    assert digest == {name: hashlib.sha256((built / name).read_bytes()).hexdigest() for name in names}

    (built / names[1]).unlink()
    result = cli("rehearse", "1.1.1", "--workdir", str(tmp_path / "again"), "--dist", str(built))
    assert result.code == 1
    assert names[1] in result.err
    assert re.match(r"FAILED \[\d+/\d+\] \[1\.1\.1\] test the wheel build", result.out.lstrip())


def test_a_dist_without_the_version_is_refused_before_anything(cli: Cli, tmp_path: Path) -> None:
    from release.fakes.dists import write_dists

    built = tmp_path / "built"
    write_dists(built, ["tinynum-1.0.0.tar.gz"], "tinynum")
    result = cli("rehearse", "1.1.1", "--workdir", str(tmp_path / "w"), "--dist", str(built))
    assert result.code == 2
    assert "holds no sdist or wheel of 1.1.1" in result.err
    assert not (tmp_path / "w").exists()
