"""Every difference from NumPy's published 2.x changelogs, explained: fork-internal merges set
aside, `--include`, `--explain`, and the 30 final releases against their published files."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import NUMPY_FIXTURE
from helpers import Cli, git

from release.changelog.compute import compute, decisions
from release.changelog.explain import against_published
from release.changelog.format import separator_in
from release.config import Config
from release.fakes.github import FakeGitHub
from release.repo.revision_range import RevisionRange, infer_start
from release.services.git import GitService
from release.version import ReleaseVersion

PUBLISHED = NUMPY_FIXTURE / "changelogs"
VERSIONS = sorted((path.name.split("-")[0] for path in PUBLISHED.glob("2.*-changelog.rst")),
                  key=lambda v: tuple(map(int, v.split("."))))
# NumPy's hand edits of Contributors (facts §3.7): the other 23 lists are git's exactly
HAND_EDITED_PEOPLE = {"2.0.0", "2.0.1", "2.1.0", "2.1.2", "2.2.3", "2.2.5", "2.4.5"}


@pytest.fixture(scope="module")
def numpy_repo(numpy_bundle_clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("numpy-explain") / "numpy"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(numpy_bundle_clone), str(dest)],
                   check=True)
    return dest


def pr_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^\* `#(\d+) <", text, re.MULTILINE)]


def people(text: str) -> str:
    """From the Contributors title to the pull requests (2.5.0's file has a stray first line)."""
    return text[text.index("Contributors\n"):].split("Pull requests merged\n")[0]


@pytest.mark.parametrize(("version", "span"), [("2.0.0", "v1.26.0..v2.0.0"),
                                               ("2.0.0", "v2.0.0.dev0..v2.0.0"),
                                               ("2.5.0", "v2.5.0.dev0..v2.5.0")])
def test_no_pull_request_from_a_fork_internal_merge(
    version: str, span: str, numpy_repo: Path, cli: Cli
) -> None:
    """`Merge pull request #1 from rmhowe425/main` (2.0.0) and `… #1 from ChristinaDec/…` (2.5.0)
    merged into the contributors' own branches; #23840 (the 1.25.0rc1 release PR, merged into
    maintenance/1.25.x and later into main) is off v2.0.0's first-parent line too, but on a
    tag's, so it stays in the dev0 range, as NumPy lists it."""
    result = cli("changelog", version, span, "--offline", "--output", "-", "--repo", str(numpy_repo))
    assert result.code == 0, result.err
    numbers = pr_numbers(result.out)
    assert 1 not in numbers
    assert (23840 in numbers) == span.startswith("v2.0.0.dev0")
    assert f"A total of {len(numbers)} pull requests" in result.out
    explained = cli("changelog", version, span, "--offline", "--explain", "--repo", str(numpy_repo))
    assert explained.code == 0, explained.err
    owner = "rmhowe425/main" if version == "2.0.0" else "ChristinaDec/ChristinaDec-patch-1"
    assert re.search(rf"^  #1 +left out [0-9a-f]{{10}}  Merge pull request #1 from {owner}$",
                     explained.out, re.MULTILINE)
    assert f"rule fork-internal: a merge off the first-parent line of v{version}" in explained.out
    assert "NumPy's tool lists it (NumPy removes it by hand)" in explained.out
    assert not (numpy_repo / "doc" / "changelog").exists()  # --explain writes nothing


def test_explain_names_the_commit_and_rule_numpys_tool_differs_by(
    numpy_repo: Path, cli: Cli
) -> None:
    git(numpy_repo, "checkout", "--quiet", "--detach", "v2.4.6")
    result = cli("changelog", "2.4.6", "v2.4.5..v2.4.6", "--offline", "--explain",
                 "--repo", str(numpy_repo))
    assert result.code == 0, result.err
    sha = git(numpy_repo, "log", "-1", "--format=%h", "--abbrev=10", "--grep", r"(#31460)$",
              "v2.4.5..v2.4.6").strip()
    assert len(git(numpy_repo, "log", "-1", "--format=%P", sha).split()) == 2
    lines = result.out.splitlines()
    assert lines[0] == "changelog for v2.4.5..v2.4.6: 4 pull requests listed"
    assert lines[1] == "2 where this differs from NumPy's tools/changelog.py:"
    assert lines[2].startswith(f"  #31460 listed   {sha}  BUG: core: Don't call INCREF/DECREF")
    assert lines[3] == ("          rule two-parent-squash: a two-parent commit on the first-parent "
                        "line of v2.4.6 whose subject ends (#31460); NumPy's tool misses it (it "
                        "reads `(#N)` subjects only from one-parent commits)")
    assert lines[4].startswith("  #31462 left out ")
    assert "rule release-pr: the release's own pull request" in lines[5]
    assert lines[6] == "the other 3: the same in both (merge 3)"


def test_include_lists_what_the_rules_leave_out(numpy_repo: Path, cli: Cli) -> None:
    """2.0.2's published list has the previous release's REL PR #27000, merged before the range;
    `--include 27000` reproduces the published set, with git's title for it."""
    git(numpy_repo, "checkout", "--quiet", "--detach", "v2.0.2")
    plain = cli("changelog", "2.0.2", "v2.0.1..v2.0.2", "--offline", "--output", "-",
                "--repo", str(numpy_repo))
    kept = cli("changelog", "2.0.2", "v2.0.1..v2.0.2", "--offline", "--output", "-",
               "--include", "27000", "--repo", str(numpy_repo))
    assert plain.code == 0 and kept.code == 0, plain.err + kept.err
    published = (PUBLISHED / "2.0.2-changelog.rst").read_text(encoding="utf-8")
    assert 27000 not in pr_numbers(plain.out)
    assert pr_numbers(kept.out) == pr_numbers(published)
    assert "`__: REL: Prepare for the NumPy 2.0.1 release [wheel build]" in kept.out
    explained = cli("changelog", "2.0.2", "v2.0.1..v2.0.2", "--offline", "--explain",
                    "--include", "27000", "--repo", str(numpy_repo))
    assert ("rule include: --include 27000: found in the history before the range; NumPy's tool "
            "misses it (it reads only the range)") in explained.out


def test_include_keeps_a_beta_release_pr(numpy_repo: Path, cli: Cli) -> None:
    """2.0.0b1 was prepared in three PRs; the release-PR rule drops those in the range, and
    `--include` keeps the first two, as NumPy's 2.0.0 list did."""
    args = ("changelog", "2.0.0b1", "v2.0.0.dev0..v2.0.0b1", "--offline", "--output", "-",
            "--repo", str(numpy_repo))
    plain, kept = cli(*args), cli(*args, "--include", "25977", "--include", "25987")
    assert plain.code == 0 and kept.code == 0, plain.err + kept.err
    assert not {25977, 25987} & set(pr_numbers(plain.out))
    assert {25977, 25987} <= set(pr_numbers(kept.out))
    assert len(pr_numbers(kept.out)) == len(pr_numbers(plain.out)) + 2
    both = cli(*args, "--include", "25977", "--exclude", "25977")
    assert both.code == 2
    assert both.err.startswith("error: #25977 is both --include'd and --exclude'd\nhint: ")


def test_include_offline_needs_a_commit_that_names_it(numpy_repo: Path, cli: Cli) -> None:
    result = cli("changelog", "2.5.2", "v2.5.1..v2.5.2", "--offline", "--output", "-",
                 "--include", "99999", "--repo", str(numpy_repo))
    assert result.code == 1
    assert result.err.splitlines()[-2:] == [
        "error: no commit names #99999, so its title needs GitHub",
        "hint: drop --offline (a token in GITHUB_TOKEN)"]


def test_every_difference_from_the_30_published_changelogs_is_explained(numpy_repo: Path) -> None:
    """Contributors byte-identical where NumPy did not edit them by hand (23 of 30); every pull
    request only one side lists is explained: NumPy's tool missed it (11 two-parent commits),
    or a person edited the published file."""
    service, config = GitService(numpy_repo), Config()
    identical, explained = [], {}
    for version_text in VERSIONS:
        version = ReleaseVersion.parse(version_text)
        git(numpy_repo, "checkout", "--quiet", "--detach", f"v{version_text}")
        span = RevisionRange(infer_start(service, config, version), f"v{version_text}")
        ours = compute(service, config, span, version, github=None, say=lambda _: None)
        published = (PUBLISHED / f"{version_text}-changelog.rst").read_text(encoding="utf-8")
        if people(ours.text) == people(published):
            identical.append(version_text)
        mine, theirs = set(pr_numbers(ours.text)), set(pr_numbers(published))
        for line in against_published(mine - theirs, theirs - mine,
                                      decisions(service, config, span, version)):
            explained[f"{version_text} {line.split(':')[0]}"] = line.split(": ", 1)[1]
    assert len(identical) == 23 and set(VERSIONS) - set(identical) == HAND_EDITED_PEOPLE
    missed = {key for key, why in explained.items() if why.startswith("NumPy's tool missed it")}
    assert missed == {"2.3.0 #28588", "2.4.0 #29613", "2.4.0 #30241", "2.4.6 #31460",
                      *(f"2.5.0 #{n}" for n in (29929, 30705, 30905, 31271, 31331, 31346, 31388))}
    assert all("two-parent-squash" in explained[key] for key in missed)
    by_hand = {key: why for key, why in explained.items() if key not in missed}
    assert by_hand == {
        "2.0.0 #26175": "NumPy's tool lists it too; removed by hand from the published changelog "
                        "(changelog --exclude 26175)",
        **{f"{v} #{n}": "no commit of the range names it; added by hand to the published changelog "
                        f"(changelog --include {n})"
           for v, n in (("2.0.2", 27000), ("2.1.1", 27236), ("2.1.2", 27406))},
    }


def test_online_a_number_github_merged_outside_the_range_is_left_out(
    numpy_repo: Path, fake_github: FakeGitHub, cli: Cli
) -> None:
    """GitHub records each pull request's merge commit: one outside the range (here #31947's,
    set to a commit of 2.5.1's cycle) is no pull request of this release: left out with a note,
    explained, and kept by `--include`."""
    from release.fakes.history_seed import history_pulls, seed_pulls

    git(numpy_repo, "checkout", "--quiet", "--detach", "v2.5.2")
    service = GitService(numpy_repo)
    pulls = history_pulls(service, [("maintenance/2.5.x", "v2.5.1..v2.5.2")])
    assert seed_pulls(fake_github, "numpy/numpy", pulls) == 29
    elsewhere = service.rev_parse("v2.5.1^")
    fake_github.repo("numpy/numpy").pulls[31947].merge_commit = elsewhere
    args = ("changelog", "2.5.2", "v2.5.1..v2.5.2", "--repo", str(numpy_repo))
    result = cli(*args, "--output", "-")
    assert result.code == 0, result.err
    numbers = pr_numbers(result.out)
    assert 31947 not in numbers and len(numbers) == 27
    assert (f"left out #31947 ('MAINT: Update x86-simd-sort subproject (5adb334 → fa944ef) "
            f"(#31908)'): GitHub's merge commit {elsewhere[:10]} is not in the range "
            "(--include 31947 keeps it)") in result.err
    explained = cli(*args, "--explain")
    assert (f"rule merged-elsewhere: GitHub's merge commit for numpy/numpy#31947 ({elsewhere[:10]}) "
            "is not in the range; NumPy's tool lists it") in explained.out
    kept = cli(*args, "--output", "-", "--include", "31947")
    assert kept.code == 0 and 31947 in pr_numbers(kept.out)


def test_what_separator_a_published_changelog_shows() -> None:
    shown = {v: separator_in((PUBLISHED / f"{v}-changelog.rst").read_text(encoding="utf-8"))
             for v in ("2.1.0", "2.2.0", "2.3.0", "2.4.1", "2.5.0")}
    assert shown == {"2.1.0": None, "2.2.0": " ", "2.3.0": "\\ ", "2.4.1": "\\ ", "2.5.0": "\\ "}


@pytest.mark.parametrize(("version", "previous", "said", "line"), [
    ("2.2.1", "2.2.0", "a plain space", "DOC: ``np.select`` : fix ``default``"),
    ("2.3.1", "2.3.0", "an escaped space", "DOC: ``np.select``\\ : fix ``default``"),
])
def test_the_title_separator_follows_the_series(
    version: str, previous: str, said: str, line: str, numpy_repo: Path, cli: Cli
) -> None:
    """With the series' earlier changelog in the tree at the range's end (NumPy keeps them in
    doc/changelog/), a title's code span is followed by what that file shows: 2.2.x's plain
    space, the escaped space of later series."""
    git(numpy_repo, "checkout", "--quiet", "--detach", f"v{version}")
    target = numpy_repo / "doc" / "changelog" / f"{previous}-changelog.rst"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((PUBLISHED / f"{previous}-changelog.rst").read_text(encoding="utf-8"),
                      encoding="utf-8")
    git(numpy_repo, "add", str(target))
    who = ["-c", "user.name=Charles Harris", "-c", "user.email=charlesr.harris@gmail.com"]
    git(numpy_repo, *who, "commit", "--quiet", "-m", "DOC: `np.select`: fix `default` (#99999)")
    try:
        result = cli("changelog", version, f"v{previous}..HEAD", "--offline", "--output", "-",
                     "--repo", str(numpy_repo))
        assert result.code == 0, result.err
        assert (f"titles: {said} after a code span, as doc/changelog/{previous}-changelog.rst "
                "has it") in result.err
        assert f"`__: {line}\n" in result.out
    finally:
        git(numpy_repo, "checkout", "--quiet", "--detach", f"v{version}")
