from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from helpers import Cli, git, one_line_error, snapshot

from release.fakes.example import ExampleProject
from release.fakes.github import FakeGitHub
from release.fakes.numpy_org import (
    NEWS,
    SITE_CONFIG,
    WebsiteRepo,
    build_numpy_org,
    news_md,
    project_site,
    site_config,
)
from release.fakes.smtp import FakeSMTP

CHANGELOGS = Path(__file__).resolve().parent / "data" / "numpy" / "changelogs"
CANARY = "smtp-canary-Pa55word-never-printed"

# numpy/numpy.org commit 048232a2 ("announce the NumPy 2.4.0 release"), numpy-satellite-facts.md
# §2.1-2.4: the front matter, the new section, the release line and the hero button it wrote.
FRONT_MATTER_2_4_0 = """\
---
title: "News"
sidebar: false
newsHeader: "NumPy 2.4.0 released!"
date: 2025-12-20
---
"""
SECTION_2_4_0 = """\
### NumPy 2.4.0 released

_20 Dec, 2025_ -- The NumPy 2.4.0 release continues the work to improve free
threaded Python support, user dtypes implementation, and annotations. There are
many expired deprecations and bug fixes as well. Highlights are:

- Many annotation improvements. In particular, runtime signature introspection.
- New `casting` kwarg `'same_value'` for casting by value.
- New `PyUFunc_AddLoopsFromSpec` function that can be used to add user sort
  loops using the `ArrayMethod` API.
- New `__numpy_dtype__` protocol.

This release supports Python versions 3.11-3.14


"""
LINE_2_4_0 = ("- NumPy 2.4.0 ([release notes](https://github.com/numpy/numpy/releases/tag/v2.4.0)) "
              "-- _20 Dec 2025_.\n")
BUTTON_2_4 = '    buttontext: "Latest release: NumPy 2.4. View all releases"\n'
# numpy/numpy.org adccfe8d ("announce the NumPy 2.4.6 release (#905)") added exactly this line.
LINE_2_4_6 = ("- NumPy 2.4.6 ([release notes](https://github.com/numpy/numpy/releases/tag/v2.4.6)) "
              "-- _18 May 2026_.\n")

# The head of numpy's doc/source/release/2.4.0-notes.rst (as published): the input.
NOTES_2_4_0 = """\
.. currentmodule:: numpy

==========================
NumPy 2.4.0 Release Notes
==========================

*Released on 2025-12-20.*

The NumPy 2.4.0 release continues the work to improve free threaded Python
support, user dtypes implementation, and annotations. There are many expired
deprecations and bug fixes as well.

This release supports Python versions 3.11-3.14


Highlights
==========

Apart from annotations and ``same_value`` kwarg, the 2.4 highlights are mostly
of interest to downstream developers. They should help in implementing new user
dtypes.

* Many annotation improvements. In particular, runtime signature introspection.

* New ``casting`` kwarg ``'same_value'`` for casting by value.

* New ``PyUFunc_AddLoopsFromSpec`` function that can be used to add user sort
  loops using the ``ArrayMethod`` API.

* New ``__numpy_dtype__`` protocol.

Deprecations
============

Setting the ``strides`` attribute is deprecated
-----------------------------------------------
Setting the strides attribute is now deprecated.
"""
OLDER = (("2.0.2", "26 Aug 2024"), ("2.1.0", "18 Aug 2024"))


def patch_notes(version: str, previous: str) -> str:
    title = f"NumPy {version} Release Notes"
    return (f".. currentmodule:: numpy\n\n{'=' * len(title)}\n{title}\n{'=' * len(title)}\n\n"
            f"NumPy {version} is a patch release that fixes bugs discovered after the\n"
            f"{previous} release.\n\nThis release supports Python versions 3.11-3.14\n")


def make_project(root: Path, version: str, notes: str, changelog: str) -> Path:
    (root / "doc/changelog").mkdir(parents=True)
    (root / "doc/source/release").mkdir(parents=True)
    (root / f"doc/changelog/{version}-changelog.rst").write_text(changelog)
    (root / f"doc/source/release/{version}-notes.rst").write_text(notes)
    return root


@pytest.fixture
def numpy_240(tmp_path: Path) -> Path:
    changelog = (CHANGELOGS / "2.4.1-changelog.rst").read_text()
    return make_project(tmp_path / "numpy", "2.4.0", NOTES_2_4_0, changelog)


@pytest.fixture
def site_before_240(tmp_path: Path) -> WebsiteRepo:
    news = news_md(header="NumPy 2.3.0 released!", date="2025-06-07", sections=(), releases=OLDER)
    return build_numpy_org(tmp_path / "web", news=news, config=site_config("2.3"))


def write_config(path: Path, extra: str = "") -> Path:
    path.write_text('[tool.release]\n[tool.release.mail]\nsender = "Alice Maintainer <alice@example.org>"\n'
                    + extra)
    return path




def _from_error(err: str) -> str:
    """The error and hint lines after the progress lines of a run that failed while applying."""
    return err[err.index("error: "):]


def test_feature_release_website_like_numpy(cli: Cli, numpy_240: Path, site_before_240: WebsiteRepo) -> None:
    site = site_before_240
    result = cli("announce", "2.4.0", "--repo", str(numpy_240), "--website-repo", str(site.repo),
                 "--date", "2025-12-20")
    assert result.code == 0, result.err
    news = (site.repo / NEWS).read_text()
    older = news_md(sections=(), releases=OLDER).split("<a name=")[1]
    assert news == FRONT_MATTER_2_4_0 + "\n" + SECTION_2_4_0 + "<a name=" + older.replace(
        "do.\n\n", "do.\n\n" + LINE_2_4_0, 1)
    config = (site.repo / SITE_CONFIG).read_text()
    assert config == site_config("2.3").replace(
        '    buttontext: "Latest release: NumPy 2.3. View all releases"\n', BUTTON_2_4)
    assert git(site.repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "announce-numpy-2.4.0"
    assert git(site.repo, "log", "-1", "--format=%s").strip() == "announce the NumPy 2.4.0 release"
    assert set(git(site.repo, "show", "--name-only", "--format=", "HEAD").split()) == {NEWS, SITE_CONFIG}
    assert git(site.repo, "status", "--porcelain") == ""
    assert "website branch not pushed" in result.err and "mail not sent" in result.err


def test_patch_release_adds_one_line(cli: Cli, tmp_path: Path) -> None:
    snapshot_news = news_md()
    assert LINE_2_4_6 in snapshot_news
    site = build_numpy_org(tmp_path / "web", news=snapshot_news.replace(LINE_2_4_6, ""))
    project = make_project(tmp_path / "numpy", "2.4.6", patch_notes("2.4.6", "2.4.5"),
                           (CHANGELOGS / "2.4.1-changelog.rst").read_text())
    config_before = (site.repo / SITE_CONFIG).read_text()
    result = cli("announce", "2.4.6", "--repo", str(project), "--website-repo", str(site.repo),
                 "--date", "2026-05-18")
    assert result.code == 0, result.err
    assert (site.repo / NEWS).read_text() == snapshot_news
    assert (site.repo / SITE_CONFIG).read_text() == config_before
    diff = git(site.repo, "diff", "HEAD^", "HEAD", "--unified=0", "--", NEWS).splitlines()
    assert [ln for ln in diff if ln.startswith(("+", "-")) and not ln.startswith(("+++", "---"))] == [
        "+" + LINE_2_4_6.rstrip("\n")]
    assert git(site.repo, "log", "-1", "--format=%s").strip() == "announce the NumPy 2.4.6 release"


def test_rerun_changes_nothing(cli: Cli, numpy_240: Path, site_before_240: WebsiteRepo) -> None:
    args = ("announce", "2.4.0", "--repo", str(numpy_240), "--website-repo", str(site_before_240.repo),
            "--date", "2025-12-20")
    assert cli(*args).code == 0
    before = snapshot(site_before_240.repo), snapshot(numpy_240)
    again = cli(*args[:-1], "2025-12-24")
    assert again.code == 0, again.err
    assert "already announced; nothing to do" in again.out
    assert (snapshot(site_before_240.repo), snapshot(numpy_240)) == before


def test_dry_run_shows_and_changes_nothing(cli: Cli, numpy_240: Path, site_before_240: WebsiteRepo) -> None:
    before = snapshot(site_before_240.repo), snapshot(numpy_240), snapshot(site_before_240.fork)
    result = cli("announce", "2.4.0", "--repo", str(numpy_240), "--website-repo",
                 str(site_before_240.repo), "--date", "2025-12-20", "--dry-run")
    assert result.code == 0, result.err
    assert (snapshot(site_before_240.repo), snapshot(numpy_240), snapshot(site_before_240.fork)) == before
    out = result.out
    assert "run git checkout --quiet -b announce-numpy-2.4.0" in out
    assert "+### NumPy 2.4.0 released\n" in out and "+" + LINE_2_4_0 in out
    assert '-newsHeader: "NumPy 2.3.0 released!"\n' in out and '+date: 2025-12-20\n' in out
    assert "+" + BUTTON_2_4 in out
    assert "create release/numpy-2.4.0-announcement.eml" in out and "+Subject: NumPy 2.4.0 released\n" in out
    assert "run git commit --quiet -m 'announce the NumPy 2.4.0 release'" in out


def test_push_opens_the_pull_request(cli: Cli, fake_github: FakeGitHub, numpy_240: Path,
                                     site_before_240: WebsiteRepo,
                                     tmp_path: Path) -> None:
    fake_github.add_repo("numpy/numpy.org", "main")
    fake_github.add_fork("numpy/numpy.org", "alice", git_dir=site_before_240.fork)
    config = write_config(tmp_path / "release.toml",
                          '[tool.release.docs]\nwebsite_fork_owner = "alice"\n')
    args = ("announce", "2.4.0", "--repo", str(numpy_240), "--website-repo", str(site_before_240.repo),
            "--date", "2025-12-20", "--config", str(config), "--push")
    result = cli(*args)
    assert result.code == 0, result.err
    branch = "refs/heads/announce-numpy-2.4.0"
    assert git(site_before_240.fork, "rev-parse", branch) == git(site_before_240.repo, "rev-parse", branch)
    pulls = list(fake_github.repo("numpy/numpy.org").pulls.values())
    assert [(p.title, p.head, p.base, p.state) for p in pulls] == [
        ("announce the NumPy 2.4.0 release", "alice:announce-numpy-2.4.0", "main", "open")]
    assert "pull request: " in result.out
    assert "verified: an open pull request from alice:announce-numpy-2.4.0 into main" in result.err
    before = snapshot(site_before_240.fork)
    again = cli(*args)
    assert again.code == 0, again.err
    assert "nothing to do" in again.out and "pull request already open" in again.err + again.out
    assert len(fake_github.repo("numpy/numpy.org").pulls) == 1 and snapshot(site_before_240.fork) == before


def test_push_after_the_merge_has_nothing_to_do(cli: Cli, fake_github: FakeGitHub, numpy_240: Path,
                                                  site_before_240: WebsiteRepo, tmp_path: Path) -> None:
    """Once the website PR is merged and its branch deleted, a rerun with --push pushes nothing."""
    fake_github.add_repo("numpy/numpy.org", "main")
    fake_github.add_fork("numpy/numpy.org", "alice", git_dir=site_before_240.fork)
    config = write_config(tmp_path / "release.toml",
                          '[tool.release.docs]\nwebsite_fork_owner = "alice"\n')
    site = site_before_240
    args = ("announce", "2.4.0", "--repo", str(numpy_240), "--website-repo", str(site.repo),
            "--date", "2025-12-20", "--config", str(config), "--push")
    assert cli(*args).code == 0
    git(site.repo, "checkout", "-q", "main")
    git(site.repo, "merge", "-q", "--ff-only", "announce-numpy-2.4.0")
    git(site.repo, "branch", "-q", "-D", "announce-numpy-2.4.0")
    before = snapshot(site.repo), snapshot(site.fork)
    again = cli(*args)
    assert again.code == 0, again.err
    assert "already announced; nothing to do" in again.out
    assert (snapshot(site.repo), snapshot(site.fork)) == before
    assert len(fake_github.repo("numpy/numpy.org").pulls) == 1


def test_dry_run_push_without_a_token(cli: Cli, fake_github: FakeGitHub, numpy_240: Path,
                                     site_before_240: WebsiteRepo, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    fake_github.add_repo("numpy/numpy.org", "main")
    monkeypatch.delenv("GITHUB_TOKEN")
    config = write_config(tmp_path / "release.toml",
                          '[tool.release.docs]\nwebsite_fork_owner = "alice"\n')
    site = site_before_240
    before = snapshot(site.repo), snapshot(site.fork), snapshot(numpy_240)
    result = cli("announce", "2.4.0", "--repo", str(numpy_240), "--website-repo", str(site.repo),
                 "--date", "2025-12-20", "--config", str(config), "--push", "--dry-run")
    assert result.code == 0, result.err
    assert (snapshot(site.repo), snapshot(site.fork), snapshot(numpy_240)) == before
    assert fake_github.total_requests == 0
    out = result.out
    assert ("run git push origin refs/heads/announce-numpy-2.4.0:refs/heads/announce-numpy-2.4.0"
            in out)
    assert ("did not look for an open pull request from alice:announce-numpy-2.4.0 into main"
            in out)
    assert ("open a pull request on numpy/numpy.org: alice:announce-numpy-2.4.0 into main, "
            "titled 'announce the NumPy 2.4.0 release'") in out


def _eml(out: str) -> email.message.EmailMessage:
    path = Path(out.strip().splitlines()[-1])
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


def test_patch_mail_has_the_changelog(cli: Cli, tmp_path: Path) -> None:
    changelog = (CHANGELOGS / "2.4.1-changelog.rst").read_text()
    project = make_project(tmp_path / "numpy", "2.4.1", patch_notes("2.4.1", "2.4.0"), changelog)
    result = cli("announce", "2.4.1", "--repo", str(project))
    assert result.code == 0, result.err
    assert result.out.strip().splitlines()[-1] == str(project / "release/numpy-2.4.1-announcement.eml")
    msg = _eml(result.out)
    assert msg["To"] == "numpy-discussion@python.org"
    assert msg["Bcc"] == "python-announce-list@python.org"
    assert msg["Subject"] == "NumPy 2.4.1 released"
    text = msg.get_content()
    assert text.startswith("Hi All,\n\nOn behalf of the NumPy team, I'm pleased to announce the release of"
                           " NumPy\n2.4.1. NumPy 2.4.1 is a patch release")
    assert "A total of 9 people contributed to this release." in text
    assert "A total of 15 pull requests were merged for this release." in text
    contributors = [ln for ln in changelog.splitlines() if ln.startswith("* ") and "`#" not in ln]
    pulls = [ln for ln in changelog.splitlines() if ln.startswith("* `#")]
    assert len(contributors) == 9 and len(pulls) == 15
    assert all(line in text.splitlines() for line in contributors + pulls)
    assert "The Python versions supported by this release are 3.11-3.14." in text
    assert "<https://pypi.org/project/numpy/2.4.1/>" in text
    assert "<https://github.com/numpy/numpy/releases/tag/v2.4.1>" in text
    assert "<https://numpy.org/doc/stable/release/2.4.1-notes.html>" in text
    assert "highlights" not in text


def test_feature_mail_counts_without_the_pr_list(cli: Cli, tmp_path: Path) -> None:
    changelog = (CHANGELOGS / "2.2.0-changelog.rst").read_text()
    notes = NOTES_2_4_0.replace("2.4.0", "2.2.0")
    project = make_project(tmp_path / "numpy", "2.2.0", notes, changelog)
    result = cli("announce", "2.2.0", "--repo", str(project))
    assert result.code == 0, result.err
    text = _eml(result.out).get_content()
    assert "A total of 106 people contributed to this release." in text
    assert "A total of 317 pull requests were merged for this release." in text
    assert sum(ln.startswith("* ") for ln in text.splitlines()) == 106
    assert "`#" not in text
    assert "The highlights of this release are:\n\n- Many annotation improvements." in text
    assert "- New ``PyUFunc_AddLoopsFromSpec`` function that can be used to add user sort\n  loops" in text


def _smtp_config(tmp_path: Path, smtp: FakeSMTP) -> Path:
    return write_config(tmp_path / "release.toml", smtp.config_toml())


@pytest.mark.parametrize("tls", [True, False])
def test_send_delivers_to_the_server(cli: Cli, numpy_240: Path, tmp_path: Path, tls: bool,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeSMTP(user="alice", password=CANARY, tls=tls) as smtp:
        assert smtp.tls is tls
        if smtp.cafile:
            monkeypatch.setenv("SSL_CERT_FILE", str(smtp.cafile))
        monkeypatch.setenv("RELEASE_SMTP_PASSWORD", CANARY)
        config = _smtp_config(tmp_path, smtp)
        args = ("announce", "2.4.0", "--repo", str(numpy_240), "--config", str(config), "--send")
        result = cli(*args)
        assert result.code == 0, result.err
        assert len(smtp.messages) == 1
        got = smtp.messages[0]
        assert got.mail_from == "alice@example.org" and got.authenticated_as == "alice"
        assert got.tls is tls
        assert set(got.rcpt_tos) == {"numpy-discussion@python.org", "python-announce-list@python.org"}
        assert b"Bcc:" not in got.data and got.message["Message-ID"] and got.message["Date"]
        eml = _eml(result.out)
        assert got.message.get_content().replace("\r\n", "\n") == eml.get_content()
        assert got.message["Subject"] == "NumPy 2.4.0 released"
        written = "".join(p.read_text() for p in (numpy_240 / "release").iterdir())
        assert CANARY not in result.out + result.err + written
        before = snapshot(numpy_240)
        again = cli(*args)
        assert again.code == 0, again.err
        assert len(smtp.messages) == 1 and "nothing to do" in again.out
        assert snapshot(numpy_240) == before


def test_send_with_a_wrong_password(cli: Cli, numpy_240: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeSMTP(user="alice", password="right", tls=False) as smtp:
        monkeypatch.setenv("RELEASE_SMTP_PASSWORD", CANARY)
        result = cli("announce", "2.4.0", "--repo", str(numpy_240), "--config",
                     str(_smtp_config(tmp_path, smtp)), "--send")
        assert result.code == 1
        one_line_error(_from_error(result.err), "refused the login for alice")
        assert CANARY not in result.out + result.err
        assert smtp.messages == [] and not list((numpy_240 / "release").glob("*.sent"))


def test_a_refused_recipient_is_not_sent_to_the_others_again(
        cli: Cli, numpy_240: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeSMTP(user="alice", password=CANARY, tls=False,
                  refuse=("python-announce-list@python.org",)) as smtp:
        monkeypatch.setenv("RELEASE_SMTP_PASSWORD", CANARY)
        args = ("announce", "2.4.0", "--repo", str(numpy_240), "--config",
                str(_smtp_config(tmp_path, smtp)), "--send")
        result = cli(*args)
        assert result.code == 1
        one_line_error(_from_error(result.err),
                        "the SMTP server refused python-announce-list@python.org")
        assert [m.rcpt_tos for m in smtp.messages] == [("numpy-discussion@python.org",)]
        assert list((numpy_240 / "release").glob("*.sent"))
        again = cli(*args)
        assert again.code == 0, again.err
        assert "mail already sent" in again.err and len(smtp.messages) == 1
        assert CANARY not in result.out + result.err + again.out + again.err


def test_release_candidate_mail_only(cli: Cli, tmp_path: Path, site_before_240: WebsiteRepo) -> None:
    project = make_project(tmp_path / "numpy", "2.4.0", NOTES_2_4_0,
                           (CHANGELOGS / "2.4.1-changelog.rst").read_text())
    before = snapshot(site_before_240.repo)
    result = cli("announce", "2.4.0rc1", "--repo", str(project), "--website-repo",
                 str(site_before_240.repo))
    assert result.code == 0, result.err
    assert snapshot(site_before_240.repo) == before
    assert "website left alone: pre-releases" in result.err
    msg = _eml(result.out)
    assert msg["Subject"] == "NumPy 2.4.0rc1 released"
    assert "This is a pre-release." in msg.get_content()
    # a release candidate's notes are the final's: 2.4.0-notes, never 2.4.0rc1-notes
    assert "release/2.4.0-notes.html" in msg.get_content()
    assert "2.4.0rc1-notes" not in msg.get_content()


def test_other_project(cli: Cli, example: ExampleProject, tmp_path: Path) -> None:
    (example.repo / "doc/changelog").mkdir(exist_ok=True)
    (example.repo / "doc/changelog/1.2.0-changelog.rst").write_text(
        "\nContributors\n============\n\nA total of 2 people contributed to this release.  People with a"
        ' "+" by their\nnames contributed a patch for the first time.\n\n* Alice Maintainer\n'
        "* Dana Newcomer +\n")
    news, config = project_site("tinynum", "1.1", "1.1.0", "2025-02-03")
    site = build_numpy_org(tmp_path / "web", news=news, config=config)
    result = cli("announce", "1.2.0", "--repo", str(example.repo), "--website-repo", str(site.repo),
                 "--date", "2025-04-02")
    assert result.code == 0, result.err
    text = (site.repo / NEWS).read_text()
    assert text.endswith("features; minor releases (the `y` increases) do.\n\n- tinynum 1.2.0 "
                         "([release notes](https://github.com/example/tinynum/releases/tag/v1.2.0)) "
                         "-- _2 Apr 2025_.\n")
    assert "### tinynum 1.2.0 released\n\n_2 Apr, 2025_ -- tinynum 1.2.0 is now available." in text
    button = 'buttontext: "Latest release: tinynum 1.2. View all releases"'
    assert button in (site.repo / SITE_CONFIG).read_text()
    assert git(site.repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "announce-tinynum-1.2.0"
    msg = _eml(result.out)
    assert msg["To"] == "tinynum-discussion@example.org"
    assert msg["From"] == "Alice Maintainer <alice@example.org>"
    assert msg.get_content().rstrip().endswith("Cheers,\n\nAlice Maintainer")


def _break(kind: str, project: Path, site: WebsiteRepo, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    if kind == "changelog":
        (project / "doc/changelog/2.4.0-changelog.rst").unlink()
    elif kind == "notes":
        (project / "doc/source/release/2.4.0-notes.rst").unlink()
    elif kind == "counts":
        path = project / "doc/changelog/2.4.0-changelog.rst"
        path.write_text(path.read_text().replace("A total of 9 people", "A total of 10 people"))
    elif kind in ("releases", "button"):
        rel = NEWS if kind == "releases" else SITE_CONFIG
        path = site.repo / rel
        path.write_text(path.read_text().replace("## Releases", "## Old releases").replace(
            "buttontext:", "button_text:"))
        git(site.repo, "commit", "-q", "-am", f"break {kind}")
    elif kind == "dirty":
        (site.repo / "stray.md").write_text("x\n")
    elif kind == "wrong-branch":
        git(site.repo, "checkout", "-q", "-b", "elsewhere")
    elif kind == "no-password":
        return ["--send"]
    elif kind == "date":
        return ["--date", "20 Dec 2025"]
    return []


@pytest.mark.parametrize(("kind", "code", "words"), [
    ("changelog", 1, "the changelog doc/changelog/2.4.0-changelog.rst is missing"),
    ("notes", 1, "the notes doc/source/release/2.4.0-notes.rst is missing"),
    ("counts", 1, "says 10 people but lists 9"),
    ("releases", 1, "has no `## Releases` heading"),
    ("button", 1, "has no `buttontext: \"Latest release: NumPy X.Y. View all releases\"` line"),
    ("dirty", 1, "is not clean (stray.md)"),
    ("wrong-branch", 1, "is on elsewhere, not on main"),
    ("no-password", 1, "RELEASE_SMTP_PASSWORD is not set"),
    ("date", 2, "--date '20 Dec 2025' is not a date"),
])
def test_bad_input(cli: Cli, numpy_240: Path, site_before_240: WebsiteRepo, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch, kind: str, code: int, words: str) -> None:
    extra = _break(kind, numpy_240, site_before_240, monkeypatch)
    config = write_config(tmp_path / "release.toml", 'smtp_user = "alice"\n')
    before = snapshot(numpy_240), snapshot(site_before_240.repo)
    result = cli("announce", "2.4.0", "--repo", str(numpy_240), "--website-repo", str(site_before_240.repo),
                 "--config", str(config), *extra)
    assert result.code == code
    one_line_error(result.err, words)
    assert (snapshot(numpy_240), snapshot(site_before_240.repo)) == before


def test_send_needs_a_sender(cli: Cli, numpy_240: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELEASE_SMTP_PASSWORD", CANARY)
    before = snapshot(numpy_240)
    result = cli("announce", "2.4.0", "--repo", str(numpy_240), "--send")
    assert result.code == 1
    one_line_error(result.err, "no sender for the announcement mail")
    assert snapshot(numpy_240) == before


def test_dry_run_send_shows_the_delivery(cli: Cli, numpy_240: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeSMTP(user="alice", password=CANARY) as smtp:
        monkeypatch.setenv("SSL_CERT_FILE", str(smtp.cafile))
        monkeypatch.setenv("RELEASE_SMTP_PASSWORD", CANARY)
        before = snapshot(numpy_240)
        result = cli("announce", "2.4.0", "--repo", str(numpy_240), "--config",
                     str(_smtp_config(tmp_path, smtp)), "--send", "--dry-run")
        assert result.code == 0, result.err
        assert (f"send numpy-2.4.0-announcement.eml to numpy-discussion@python.org, "
                f"python-announce-list@python.org via 127.0.0.1:{smtp.port} with STARTTLS as alice"
                in result.out)
        assert smtp.messages == [] and snapshot(numpy_240) == before
        assert CANARY not in result.out + result.err


def test_plain_client_against_a_starttls_server(cli: Cli, numpy_240: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeSMTP(user="alice", password=CANARY) as smtp:
        monkeypatch.setenv("RELEASE_SMTP_PASSWORD", CANARY)
        config = write_config(tmp_path / "release.toml",
                              smtp.config_toml().replace("starttls = true", "starttls = false"))
        result = cli("announce", "2.4.0", "--repo", str(numpy_240), "--config", str(config), "--send")
        assert result.code == 1
        assert "does not offer SMTP AUTH" in result.err and CANARY not in result.out + result.err
        assert smtp.messages == [] and not list((numpy_240 / "release").glob("*.sent"))


def test_starttls_client_against_a_plain_server(cli: Cli, numpy_240: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeSMTP(user="alice", password=CANARY, tls=False) as smtp:
        monkeypatch.setenv("RELEASE_SMTP_PASSWORD", CANARY)
        config = write_config(tmp_path / "release.toml",
                              smtp.config_toml().replace("starttls = false", "starttls = true"))
        result = cli("announce", "2.4.0", "--repo", str(numpy_240), "--config", str(config), "--send")
        assert result.code == 1
        one_line_error(_from_error(result.err), "does not offer STARTTLS")
        assert smtp.messages == []


def test_push_finds_the_fork_owner_from_the_token(cli: Cli, fake_github: FakeGitHub, example: ExampleProject,
                                                 tmp_path: Path) -> None:
    fake_github.add_repo("numpy/numpy.org", "main")
    (example.repo / "doc/changelog").mkdir(exist_ok=True)
    (example.repo / "doc/changelog/1.2.0-changelog.rst").write_text(
        "\nContributors\n============\n\nA total of 1 people contributed to this release.\n\n* Alice\n")
    news, config = project_site("tinynum", "1.1", "1.1.0", "2025-02-03")
    site = build_numpy_org(tmp_path / "web", news=news, config=config)
    fake_github.add_fork("numpy/numpy.org", "release-manager", git_dir=site.fork)
    result = cli("announce", "1.2.0", "--repo", str(example.repo), "--website-repo", str(site.repo),
                 "--date", "2025-04-02", "--push")
    assert result.code == 0, result.err
    pulls = list(fake_github.repo("numpy/numpy.org").pulls.values())
    assert [(p.head, p.title) for p in pulls] == [
        ("release-manager:announce-tinynum-1.2.0", "announce the tinynum 1.2.0 release")]


def test_send_for_another_project(cli: Cli, example: ExampleProject, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (example.repo / "doc/changelog").mkdir(exist_ok=True)
    (example.repo / "doc/changelog/1.2.0-changelog.rst").write_text(
        "\nContributors\n============\n\nA total of 1 people contributed to this release.\n\n* Alice\n")
    with FakeSMTP(user="alice", password=CANARY) as smtp:
        monkeypatch.setenv("SSL_CERT_FILE", str(smtp.cafile))
        monkeypatch.setenv("RELEASE_SMTP_PASSWORD", CANARY)
        config = tmp_path / "release.toml"
        config.write_text(smtp.release_toml(example.repo / "pyproject.toml"))
        result = cli("announce", "1.2.0", "--repo", str(example.repo), "--config", str(config), "--send")
        assert result.code == 0, result.err
        [got] = smtp.messages
        assert got.message["Subject"] == "tinynum 1.2.0 released"
        assert set(got.rcpt_tos) == {"tinynum-discussion@example.org", "python-announce-list@example.org"}
        assert "https://github.com/example/tinynum/releases/tag/v1.2.0" in got.message.get_content()


def test_fork_owner_option_and_token_login(cli: Cli, fake_github: FakeGitHub, numpy_240: Path,
                                           site_before_240: WebsiteRepo) -> None:
    """--fork-owner names the fork like the other steps; without any, the token's user's fork."""
    fake_github.add_repo("numpy/numpy.org", "main")
    base = ("announce", "2.4.0", "--repo", str(numpy_240), "--website-repo",
            str(site_before_240.repo), "--date", "2025-12-20", "--push", "--dry-run")
    named = cli(*base, "--fork-owner", "bob")
    assert named.code == 0, named.err
    assert "bob:announce-numpy-2.4.0" in named.out
    fallback = cli(*base)
    assert fallback.code == 0, fallback.err
    assert "release-manager:announce-numpy-2.4.0" in fallback.out
