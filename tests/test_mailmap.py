from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GITHUB_CANARY
from helpers import Cli, git, one_line_error, snapshot

from release.config import Config
from release.errors import PreconditionError
from release.fakes.example import ExampleProject
from release.fakes.github import FakeGitHub
from release.fakes.history_seed import history_pulls, seed_pulls
from release.identities.findings import find_problems, is_handle_like, name_problem
from release.identities.history import collect
from release.identities.mailmap import Mailmap, insert_lines, parse_lines, sort_key
from release.identities.online import commit_pulls, first_known
from release.repo.revision_range import RevisionRange
from release.services.git import GitService
from release.services.github import PullRequestInfo

MAILMAP = ".mailmap"


# --- the parser against git itself ---------------------------------------------------------------

def test_mapping_equals_git_on_all_of_numpy_history(numpy_bundle_clone: Path, tmp_path: Path) -> None:
    """Every author and committer identity in NumPy's history maps as `%aN <%aE>` shows it."""
    repo = tmp_path / "numpy"
    git(tmp_path, "clone", "--quiet", "--shared", "--no-checkout", str(numpy_bundle_clone), str(repo))
    text = git(repo, "show", "v2.5.2:.mailmap")
    mailmap = Mailmap.parse(text)
    fmt = "%an%x1f%ae%x1f%aN%x1f%aE%n%cn%x1f%ce%x1f%cN%x1f%cE"
    out = git(repo, "-c", "mailmap.blob=v2.5.2:.mailmap", "log", f"--format={fmt}", "v2.5.2")
    rows = set(out.splitlines())
    assert len(rows) > 2500
    for row in rows:
        name, email, mapped_name, mapped_email = row.split("\x1f")
        assert mailmap.map(name, email) == (mapped_name, mapped_email), row
    assert len(mailmap.entries) == 855
    assert [exc.message for exc in mailmap.malformed] == [
        ".mailmap line 775: unbalanced < >: 'SUMIT SRIMANI <2301109104@ptuniv.edu.in'"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Just A Name", "no <e-mail> in angle brackets"),
        ("Name <a@b.c", "unbalanced < >"),
        ("Name <> <x@y.z>", "empty first e-mail"),
        ("<a@b.c>", "an e-mail with neither a name nor a second e-mail"),
        ("Name <a@b.c> Other <>", "empty commit e-mail"),
    ],
)
def test_malformed_lines_name_their_line(line: str, reason: str) -> None:
    with pytest.raises(PreconditionError) as info:
        parse_lines(f"# header\nGood Name <good@example.org>\n{line}\n")
    assert info.value.message.startswith(f".mailmap line 3: {reason}")


def test_insert_keeps_numpy_order() -> None:
    text = "# header\n!bonpyt <b@x.org>\nAlan Fontenot <logeaux@yahoo.com>\nZoe Z <z@x.org>\n"
    out = insert_lines(text, ["Geonho <mnb0968@naver.com>", "!alpha <a@x.org>",
                              "Abhijeetsingh Meena <abhijeet040403@gmail.com> <amethhac@gmail.com>"])
    assert out.splitlines() == [
        "# header", "!alpha <a@x.org>", "!bonpyt <b@x.org>",
        "Abhijeetsingh Meena <abhijeet040403@gmail.com> <amethhac@gmail.com>",
        "Alan Fontenot <logeaux@yahoo.com>", "Geonho <mnb0968@naver.com>", "Zoe Z <z@x.org>"]
    assert insert_lines(out, ["Geonho <mnb0968@naver.com>"]) == out


# --- NumPy's own hand fix in the 2.5.2 release PR -------------------------------------------------

def test_flags_every_identity_numpy_fixed_by_hand_for_2_5_2(numpy_bundle_clone: Path, cli: Cli) -> None:
    """The 2.5.2 REL commit mapped `NumPy Bugfix <bugfix@localhost>`, `snoopuppy582`,
    `Yeshwanth` and a second e-mail; at its parent, each of them is flagged."""
    repo = GitService(numpy_bundle_clone)
    rel = repo.rev_parse("v2.5.2")
    assert repo.log("v2.5.2^!")[0].subject == "REL: Prepare for the NumPy 2.5.2 release (#32226)"
    parent = repo.rev_parse("v2.5.2^")
    old = Mailmap.parse(repo.show_file(parent, MAILMAP) or "")
    new = Mailmap.parse(repo.show_file(rel, MAILMAP) or "")
    span = f"v2.5.1..{parent}"
    sightings = collect(repo, span)
    fixed = {who for who in sightings.commits
             if old.map(who.name, who.email) != new.map(who.name, who.email)}
    assert {str(who) for who in fixed} >= {
        "NumPy Bugfix <bugfix@localhost>", "snoopuppy582 <mnb0968@naver.com>",
        "Yeshwanth <87797634+Yeshwanth-G@users.noreply.github.com>",
        "Abhijeetsingh Meena <amethhac@gmail.com>"}

    result = cli("mailmap", span, "--repo", str(numpy_bundle_clone), "--ref", parent, "--offline")
    flagged = set()
    for line in result.out.splitlines():
        for who in fixed:
            if str(who) in line or repr(who.name) in line:
                flagged.add(who)
    assert flagged == fixed, result.out
    assert "warn  placeholder: NumPy Bugfix <bugfix@localhost> is a machine or default identity" in result.out
    assert "warn  handle: 'snoopuppy582' looks like a handle, not a name" in result.out
    # the line NumPy added, proposed offline from the range alone
    assert "propose: Abhijeetsingh Meena <abhijeet040403@gmail.com> <amethhac@gmail.com>" in result.out
    # the malformed line NumPy carries is an error with its line number
    assert "error malformed: .mailmap line 769: unbalanced < >" in result.out
    assert result.code == 1


def test_numpy_findings_name_the_commits(numpy_bundle_clone: Path) -> None:
    repo = GitService(numpy_bundle_clone)
    parent = repo.rev_parse("v2.5.2^")
    text = repo.show_file(parent, MAILMAP) or ""
    findings = find_problems(collect(repo, f"v2.5.1..{parent}"), Mailmap.parse(text), text,
                             placeholders=Config().mailmap_placeholders)
    bugfix = next(f for f in findings if f.kind == "placeholder")
    shas = [sha[:10] for sha in repo.run(["log", "--no-mailmap", "--format=%H",
                                          "--author=bugfix@localhost", f"v2.5.1..{parent}"]).split()]
    assert set(bugfix.commits) == set(shas) and len(shas) == 3


def proposed_lines(out: str) -> list[str]:
    """The lines the report's closing list proposes."""
    tail = out[out.index("proposed .mailmap line(s)"):].splitlines()[1:]
    return [line.strip() for line in tail
            if line.startswith("  ") and not line.strip().startswith("not proposed")]


def test_numpy_2_5_2_online_credits_the_original_authors(numpy_bundle_clone: Path, cli: Cli,
                                                         fake_github: FakeGitHub) -> None:
    """Online, against a fake GitHub seeded as a rehearsal seeds it (the range's pull requests and
    main's), the 2.5.2 proposals are the lines NumPy's REL commit added. `NumPy Bugfix` and
    `snoopuppy582` reached 2.5.x through backports by charris whose titles carry no `(#N)`; their
    branches (`charris/backport-31968`, `charris/backport-31985`) name the originals, whose
    authors are Ethan0456 and snoopuppy582."""
    repo = GitService(numpy_bundle_clone)
    parent = repo.rev_parse("v2.5.2^")
    span = f"v2.5.1..{parent}"
    seeded = seed_pulls(fake_github, "numpy/numpy", history_pulls(
        repo, [("maintenance/2.5.x", span), ("main", "v2.5.1..main")]))
    assert seeded > 28
    # the profile names GitHub shows for these accounts (as NumPy's 2.5.2 changelog lists them)
    for login, name in (("Ethan0456", "Abhijeetsingh Meena"), ("snoopuppy582", "Geonho"),
                        ("Yeshwanth-G", "Gopu Yeshwanth Reddy"), ("charris", "Charles Harris")):
        fake_github.add_user(login, name)

    result = cli("mailmap", span, "--repo", str(numpy_bundle_clone), "--ref", parent, "--issue")
    assert result.code == 1, result.err  # NumPy's malformed line stays an error
    ours = proposed_lines(result.out)
    assert ours == [
        # most likely first: a placeholder, then names that are no names, then a second address
        "Abhijeetsingh Meena <abhijeet040403@gmail.com> NumPy Bugfix <bugfix@localhost>",
        "Geonho <mnb0968@naver.com>",
        "Gopu Yeshwanth Reddy <Gopu.Reddy@deshaw.com> <87797634+Yeshwanth-G@users.noreply.github.com>",
        "Abhijeetsingh Meena <abhijeet040403@gmail.com> <amethhac@gmail.com>",
    ], result.out
    assert "charris" not in result.out.replace("charlesr.harris", "")
    assert "- [ ] @Ethan0456: NumPy Bugfix <bugfix@localhost> (placeholder" in result.out
    assert "- [ ] @snoopuppy582: snoopuppy582 <mnb0968@naver.com> (handle" in result.out

    # each is a line NumPy added; NumPy's other added lines change no identity of the range
    old_text = repo.show_file(parent, MAILMAP) or ""
    new_text = repo.show_file(repo.rev_parse("v2.5.2"), MAILMAP) or ""
    added = set(new_text.splitlines()) - set(old_text.splitlines())
    assert set(ours) <= added and len(added) == 6
    with_ours, numpys = Mailmap.parse(insert_lines(old_text, ours)), Mailmap.parse(new_text)
    for who in collect(repo, span).commits:
        assert with_ours.map(who.name, who.email) == numpys.map(who.name, who.email), who
    assert GITHUB_CANARY not in result.out + result.err


def test_numpy_2_5_2_commits_trace_to_their_own_pull_requests(numpy_bundle_clone: Path) -> None:
    """A commit a backport merge brought in is traced first to the pull request its own subject
    names (the typing fixes came in two backports of several), then to the merge's original."""
    repo = GitService(numpy_bundle_clone)
    span = RevisionRange("v2.5.1", repo.rev_parse("v2.5.2^"))
    by_subject = {commit.subject: commit.sha for commit in repo.log(str(span))}
    numbers = commit_pulls(repo, span)

    def of(subject: str) -> tuple[int, ...]:
        return numbers[by_subject[subject]]

    assert of("TYP: fix ``ma.count_masked`` return type when ``out=None`` (default) (#31920)") == (
        31920, 31921)
    assert of("BUG: fix `StringDType` coerce flag in binary ufunc promotion (#31861) (#31862)") == (
        31861, 31862)
    assert of("BUG: Fix buffered iterator stride after removing multi-index") == (31985,)
    assert of("TST: exercise copyto where=False overlap leak for sanitizers") == (31968,)
    assert by_subject["Merge pull request #32116 from charris/backport-31985"] not in numbers
    assert of("MAINT: Update cibuildwheel to v4.2.0") == (32206,)

    infos = {31862: PullRequestInfo(31862, "BUG: coerce flag", "amethhac"),
             31921: PullRequestInfo(31921, "TYP: typing fixes 2", "charris"),
             31920: PullRequestInfo(31920, "TYP: count_masked", None)}
    assert first_known((31861, 31862), infos) == "amethhac"  # #31861 is no pull request
    assert first_known((31920, 31921), infos) is None  # a deleted account is not the backporter
    assert first_known((31985,), infos) is None


# --- the example project ------------------------------------------------------------------------

@pytest.fixture
def branch(example: ExampleProject) -> Path:
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    return example.repo


def _commit_as(repo: Path, name: str, email: str, message: str, trailer: str = "") -> str:
    (repo / "extra.txt").write_text(message + "\n")
    git(repo, "add", "extra.txt")
    body = message + (f"\n\n{trailer}" if trailer else "")
    git(repo, "-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-q", "-m", body)
    return git(repo, "rev-parse", "--short=10", "HEAD").strip()


def test_example_offline_findings(branch: Path, cli: Cli) -> None:
    result = cli("mailmap", "1.2.0", "--repo", str(branch), "--offline")
    assert result.code == 0, result.err
    erin = git(branch, "log", "--no-mailmap", "--format=%H", "--author=erin@localhost").strip()[:10]
    assert f"warn  placeholder: erin <erin@localhost> is a machine or default identity\n" \
           f"      commits: {erin}" in result.out
    dana = git(branch, "log", "--format=%H", "--author=dana-n@").strip()[:10]
    assert ("noreply: Dana Newcomer <41234567+dana-n@users.noreply.github.com> is a GitHub no-reply "
            f"address with no mapping\n      commits: {dana}\n") in result.out
    assert "Bob Builder" not in result.out  # the old address is mapped by .mailmap
    assert "v1.2.0.dev0..maintenance/1.2.x" in result.err


def test_folded_names_bad_trailers_and_write(branch: Path, cli: Cli) -> None:
    sha = _commit_as(branch, "BOB  BUILDER", "bob.b@example.net", "MAINT: tidy (#20)",
                     "Co-authored-by: just a name")
    with (branch / MAILMAP).open("a") as handle:
        handle.write("Zed Zero <zed@example.org> <zed@old.example.org>\n")
    git(branch, "commit", "-qam", "one more mapping")
    before_lines = (branch / MAILMAP).read_text().splitlines()
    before = snapshot(branch)
    dry = cli("mailmap", "1.2.0", "--repo", str(branch), "--offline", "--write", "--dry-run")
    assert snapshot(branch) == before
    assert "names that differ only in case, accents or spaces" in dry.out
    assert f"      commits: {sha} " in dry.out  # with Bob's own commits after it
    assert f"warn  bad-trailer: Co-authored-by: 'just a name' is not `Name <email>`\n" \
           f"      commits: {sha}" in dry.out
    line = "Bob Builder <bob@example.org> <bob.b@example.net>"
    assert f"propose: {line}" in dry.out
    assert "-BOB  BUILDER\n" in dry.out and "--- Contributors (before)" in dry.out
    assert f"+{line}\n" in dry.out

    result = cli("mailmap", "1.2.0", "--repo", str(branch), "--offline", "--write")
    assert result.code == 0, result.err
    text = (branch / MAILMAP).read_text()
    mapping = [entry.line for entry in parse_lines(text)]  # every line parses
    lines = text.splitlines()
    assert lines[:3] == before_lines[:3]  # the header comments stay on top
    assert [lines[n - 1] for n in mapping] == sorted(
        [*before_lines[3:], line], key=sort_key)
    assert "verified: git shortlog lists the names predicted above" in result.err
    shortlog = git(branch, "shortlog", "-s", "v1.2.0.dev0..maintenance/1.2.x")
    assert "BOB  BUILDER" not in shortlog and "Bob Builder" in shortlog
    again = cli("mailmap", "1.2.0", "--repo", str(branch), "--offline", "--write")
    assert "same-name" not in again.out and (branch / MAILMAP).read_text() == text


def test_one_email_several_names(branch: Path, cli: Cli) -> None:
    sha = _commit_as(branch, "chandra", "chandra@example.org", "BUG: one more (#21)")
    first = git(branch, "log", "--no-mailmap", "--format=%h", "--abbrev=10", "--author=Chandra Dev",
                "v1.2.0.dev0..HEAD").split()
    result = cli("mailmap", "1.2.0", "--repo", str(branch), "--offline")
    assert ("several-names: <chandra@example.org> is used under 2 names: Chandra Dev, chandra\n"
            f"      commits: {sha} {' '.join(first)}\n") in result.out
    assert "propose: Chandra Dev <chandra@example.org>" in result.out


def test_placeholders_are_configurable_and_guessed(branch: Path, cli: Cli) -> None:
    """`mailmap_placeholders` replaces the default list; an address no person reads (a host with
    no dot) is still caught by the heuristic."""
    default = cli("mailmap", "1.2.0", "--repo", str(branch), "--offline")
    assert "Chandra Dev" not in default.out
    pyproject = branch / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'project = "tinynum"\n', 'project = "tinynum"\nmailmap_placeholders = ["Chandra*"]\n', 1))
    git(branch, "commit", "-qam", "configure placeholders")
    result = cli("mailmap", "1.2.0", "--repo", str(branch), "--offline")
    assert "placeholder: Chandra Dev <chandra@example.org> is a machine or default identity" in result.out
    assert "placeholder: erin <erin@localhost> is a machine or default identity" in result.out


def test_name_equal_to_the_login_is_a_handle(branch: Path, cli: Cli) -> None:
    """One word with a dash, digits, inner capitals or in lowercase is a handle; so is a name
    equal to the login behind the address."""
    assert is_handle_like("Gus-Dev") and is_handle_like("Gus", ["gus"])
    assert is_handle_like("snoopuppy") and is_handle_like("Tontonio3")
    assert is_handle_like("SigureMo") and is_handle_like("Shirong_Wang")
    assert not is_handle_like("张伟")  # one word, but a script without case is no handle
    sha = _commit_as(branch, "Gus-Dev", "99+gus-dev@users.noreply.github.com", "DOC: typo (#22)")
    result = cli("mailmap", "1.2.0", "--repo", str(branch), "--offline", "--issue")
    assert f"warn  handle: 'Gus-Dev' looks like a handle, not a name\n      commits: {sha}" in result.out
    assert "- [ ] @gus-dev: Gus-Dev <99+gus-dev@users.noreply.github.com> (handle; commits" in result.out


def test_online_names_come_from_github(branch: Path, cli: Cli, fake_github: FakeGitHub) -> None:
    fake_github.add_user("erin-codes", "Erin Example")
    fake_github.add_user("dana-n", "Dana N. Newcomer")
    fake_github.add_pull("example/tinynum", 7, "BUG: handle empty input in ``mean``", "erin-codes")
    result = cli("mailmap", "1.2.0", "--repo", str(branch))
    assert result.code == 0, result.err
    assert "propose: Erin Example <erin-codes@users.noreply.github.com> erin <erin@localhost>" in result.out
    assert ("propose: Dana N. Newcomer <41234567+dana-n@users.noreply.github.com>" in result.out)
    assert GITHUB_CANARY not in result.out + result.err


def test_a_merge_names_its_merger_not_the_pull_requests_author(branch: Path, cli: Cli,
                                                              fake_github: FakeGitHub) -> None:
    """A maintainer with a handle for a name who only merged pull requests is not taken for the
    authors of what they merged; the commits the merge brought in still name their author."""
    fake_github.add_user("fay-c", "Fay Contributor")
    fake_github.add_pull("example/tinynum", 31, "BUG: fix the thing", "fay-c", head="fay-c:fix")
    git(branch, "checkout", "-q", "-b", "fix")
    fay = _commit_as(branch, "fay", "fay@example.org", "BUG: fix the thing")
    git(branch, "checkout", "-q", "maintenance/1.2.x")
    git(branch, "-c", "user.name=maint9", "-c", "user.email=maint9@example.org", "merge", "-q",
        "--no-ff", "-m", "Merge pull request #31 from fay-c/fix", "-m", "BUG: fix the thing", "fix")
    result = cli("mailmap", "1.2.0", "--repo", str(branch))
    assert result.code == 0, result.err
    assert f"warn  handle: 'fay' looks like a handle, not a name\n      commits: {fay}\n" \
           "      propose: Fay Contributor <fay@example.org>\n" in result.out
    assert "warn  handle: 'maint9' looks like a handle, not a name" in result.out
    assert "maint9@example.org>" not in "".join(proposed_lines(result.out))


def test_issue_text_and_publish(branch: Path, cli: Cli, fake_github: FakeGitHub) -> None:
    fake_github.add_user("dana-n", "Dana Newcomer")
    shown = cli("mailmap", "1.2.0", "--repo", str(branch), "--issue")
    assert "# mailmap update for 1.2" in shown.out
    assert "- [ ] @dana-n: Dana Newcomer <41234567+dana-n@users.noreply.github.com> (noreply" in shown.out
    assert "- [ ] erin <erin@localhost> (placeholder" in shown.out
    assert not fake_github.repo("example/tinynum").issues
    dry = cli("mailmap", "1.2.0", "--repo", str(branch), "--publish", "--dry-run")
    assert "open the issue 'mailmap update for 1.2' on example/tinynum" in dry.out
    assert not fake_github.repo("example/tinynum").issues
    done = cli("mailmap", "1.2.0", "--repo", str(branch), "--publish")
    assert done.code == 0, done.err
    issues = list(fake_github.repo("example/tinynum").issues.values())
    assert len(issues) == 1 and issues[0].title == "mailmap update for 1.2"
    assert "@dana-n" in issues[0].body
    assert "opened " in done.out
    again = cli("mailmap", "1.2.0", "--repo", str(branch), "--publish")
    assert again.code == 0, again.err
    assert len(fake_github.repo("example/tinynum").issues) == 1
    assert "is already open" in again.out + again.err


def test_publish_dry_run_without_a_token(branch: Path, cli: Cli, fake_github: FakeGitHub,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    fake_github.reset_counts()
    dry = cli("mailmap", "1.2.0", "--repo", str(branch), "--publish", "--dry-run", "--offline")
    assert dry.code == 0, dry.err
    assert "not looking for an open issue" in dry.out + dry.err
    assert "open the issue 'mailmap update for 1.2'" in dry.out
    assert fake_github.total_requests == 0


def test_publish_without_token_is_an_error(branch: Path, cli: Cli) -> None:
    before = snapshot(branch)
    result = cli("mailmap", "1.2.0", "--repo", str(branch), "--publish")
    assert result.code == 1
    assert result.err.strip().splitlines()[-2].startswith("error: ")
    assert snapshot(branch) == before


@pytest.mark.parametrize(
    ("kind", "argv", "code", "words"),
    [
        ("malformed", ["1.2.0", "--write"], 1, "fix the malformed line first: .mailmap line 5"),
        ("none", ["banana"], 2, "is not a version"),
        ("none", ["v9.9.9..HEAD"], 1, "unknown revision 'v9.9.9'"),
        ("none", ["9.9.0", "--write"], 1, "the development tag v9.9.0.dev0 for 9.9.0 does not exist"),
        ("none", ["1.2.0", "--ref", "v1.1.0", "--write"], 2, "cannot be combined with --ref"),
    ],
)
def test_bad_input(branch: Path, cli: Cli, kind: str, argv: list[str], code: int, words: str) -> None:
    if kind == "malformed":
        with (branch / MAILMAP).open("a") as handle:
            handle.write("Broken Line <broken@example.org\n")
    before = snapshot(branch)
    result = cli("mailmap", *argv, "--repo", str(branch), "--offline")
    assert result.code == code, result.out + result.err
    one_line_error(result.err[result.err.index("error: "):], words)
    assert snapshot(branch) == before


def test_numpy_2_5_0_range(numpy_bundle_clone: Path, cli: Cli) -> None:
    """Bots and AI co-authors are listed as they are; a `.local` host address is a placeholder;
    a proposal that an existing later line would override is not offered."""
    result = cli("mailmap", "v2.5.0.dev0..v2.5.0", "--repo", str(numpy_bundle_clone), "--ref", "v2.5.0^",
                 "--offline")
    assert "Copilot" not in result.out and "Claude" not in result.out
    assert "placeholder: Teja Muthyala <tejamuthyala@Tejas-MacBook-Air.local>" in result.out
    assert ("not proposed (a later .mailmap line for that address wins; edit it instead): "
            "Rohit Goswami <rgoswami@ieee.org> <r95g10@gmail.com>") in result.out


def test_takes_effect_sees_later_lines() -> None:
    from release.identities.mailmap import takes_effect

    text = "A Person <a@x.org> <old@x.org>\nB Person <b@x.org>\n"
    assert takes_effect(text, "C Person <c@x.org> <new@x.org>")
    assert not takes_effect(text, "A Aaa <aaa@x.org> <old@x.org>")  # sorts before A Person's line
    assert takes_effect(text, "Z Person <z@x.org> <old@x.org>")  # sorts after it, so it wins


@pytest.mark.parametrize(
    ("name", "kind"),
    [  # names NumPy fixed by hand in the 2.x cycles, and names that are fine
        ("Rostan", "one-word"), ("Kei", "one-word"), ("WA", "one-word"),
        ("SigureMo", "handle"), ("KarthikKaiplody", "handle"), ("Shirong_Wang", "handle"),
        ("V-R-S", "handle"), ("Anirudh-kasthuri", "handle"), ("Azuk 443", "handle"),
        ("partev", "handle"),
        ("Hrisca Daniel (uidn3651)", "extra-text"), ("Vijayakumar Z @ 'Z", "extra-text"),
        ("Charles Harris", None), ("Marten van Kerkwijk", None), ("!EarlMilktea", None),
        ("@partev", None), ("H. Vetinari", None),
    ],
)
def test_what_is_not_a_real_name(name: str, kind: str | None) -> None:
    found = name_problem(name)
    assert (found[0] if found else None) == kind


def test_findings_are_ranked_and_give_their_reason(numpy_bundle_clone: Path, cli: Cli) -> None:
    """With the `.mailmap` at the start of the 2.5.0 cycle, `riku-sakamoto` is flagged with the
    fuller name the history has for it (`Riku Sakamoto`), ranked high, and the line proposed
    offline is the one NumPy added by 2.5.0; `--json` carries each identity as git has it, the
    reason, the likelihood and the proposed line, and the lines git skips."""
    import json

    args = ("mailmap", "v2.5.0.dev0..v2.5.0^", "--repo", str(numpy_bundle_clone),
            "--ref", "v2.5.0.dev0", "--offline")
    raw = "riku-sakamoto <46015196+riku-sakamoto@users.noreply.github.com>"
    line = "Riku Sakamoto <rikusaka03@gmail.com> <46015196+riku-sakamoto@users.noreply.github.com>"
    assert line in (GitService(numpy_bundle_clone).show_file("v2.5.0", MAILMAP) or "").splitlines()
    text = cli(*args)
    assert "warn  handle: 'riku-sakamoto' looks like a handle, not a name\n      commits: " in text.out
    assert f"      propose: {line}\n" in text.out
    why = ("the name is the GitHub login behind the address; the history also has the fuller name "
           "'Riku Sakamoto'")
    assert f"      why (high): {why}\n" in text.out
    result = cli(*args, "--json")
    assert result.code == 1, result.err  # NumPy's malformed line
    document = json.loads(result.out)
    assert (document["kind"], document["schema_version"]) == ("mailmap", 1)
    riku = next(f for f in document["findings"] if f["identities"] == [raw])
    assert riku == {"kind": "handle", "identities": [raw], "reason": why,
                    "detail": "'riku-sakamoto' looks like a handle, not a name",
                    "likelihood": "high", "proposed": line, "commits": riku["commits"],
                    "logins": ["riku-sakamoto"]}
    likelihoods = [f["likelihood"] for f in document["findings"]]
    assert likelihoods == sorted(likelihoods, key=["high", "medium", "low"].index)
    assert all(f["reason"] for f in document["findings"])
    lines = (GitService(numpy_bundle_clone).show_file("v2.5.0.dev0", MAILMAP) or "").splitlines()
    number = next(n for n, text in enumerate(lines, 1) if text.startswith("SUMIT SRIMANI"))
    assert document["malformed"] == [
        {"line": number, "text": "SUMIT SRIMANI <2301109104@ptuniv.edu.in"}]
    assert "malformed" not in {f["kind"] for f in document["findings"]}
    fixed = cli("mailmap", "v2.5.1..v2.5.2^", "--repo", str(numpy_bundle_clone), "--ref", "v2.5.2^",
                "--offline", "--json")
    assert fixed.code == 1
    assert json.loads(fixed.out)["malformed"] == [
        {"line": 769, "text": "SUMIT SRIMANI <2301109104@ptuniv.edu.in"}]
