"""`doctor` against the fake GitHub (its tokens, its users' access, forks), a throw-away gpg key,
pandoc, the fake SMTP server: every problem named for the step it would stop, no secret shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GITHUB_CANARY
from helpers import Cli, git, table_rows

from release.fakes.github import FakeGitHub
from release.fakes.smtp import FakeSMTP

FINE_READ = "github_pat_canaryReadOnly000000000000000000000000000001"
FINE_WRITE = "github_pat_canaryWriteAll00000000000000000000000000001"
SMTP_CANARY = "canary-smtp-password-5e1d"


def _row(out: str, check: str) -> list[str]:
    for row in table_rows(out):
        if row[1] == check:
            return row
    raise AssertionError(f"no row {check!r} in\n{out}")


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    fake = FakeGitHub(tokens={GITHUB_CANARY: "write", FINE_READ: "read", FINE_WRITE: "write"})
    fake.start()
    for name in ("numpy/numpy", "numpy/numpy-release", "numpy/numpy.org", "release-manager/numpy",
                 "release-manager/numpy.org"):
        fake.add_repo(name, "main")
    monkeypatch.setenv("GITHUB_API_URL", fake.api_url)
    monkeypatch.setenv("GITHUB_GRAPHQL_URL", fake.graphql_url)
    yield fake
    fake.stop()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    repo = tmp_path / "numpy"
    git(tmp_path, "init", "-q", str(repo))
    return repo


def test_without_a_token_it_says_how_to_get_one(github: FakeGitHub, project: Path, cli: Cli) -> None:
    result = cli("doctor", "--repo", str(project))
    assert result.code == 1
    row = _row(result.out, "GitHub token")
    assert row[2] == "fail" and "neither GITHUB_TOKEN nor GH_TOKEN is set" in row[3]
    assert row[4] == "export GITHUB_TOKEN=$(gh auth token)"


def test_a_refused_token_is_named_by_its_kind_never_shown(github: FakeGitHub, project: Path, cli: Cli,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_TOKEN", "ghp_canaryUnknownToken0000000000000000099")
    result = cli("doctor", "--repo", str(project))
    row = _row(result.out, "GitHub token")
    assert result.code == 1 and row[2] == "fail"
    assert "GH_TOKEN (classic personal access token)" in row[3] and "401" in row[3]
    assert "canaryUnknown" not in result.out + result.err


def test_a_fine_grained_token_without_actions_write_is_named_for_wheels(
        github: FakeGitHub, project: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """--probe learns what GitHub does not list, from writes it must refuse: nothing is made."""
    monkeypatch.setenv("GITHUB_TOKEN", FINE_READ)
    before = {name: (dict(github.repo(name).refs), dict(github.repo(name).pulls))
              for name in ("numpy/numpy", "numpy/numpy-release", "numpy/numpy.org")}
    unprobed = cli("doctor", "--repo", str(project))
    row = _row(unprobed.out, "Actions write on numpy/numpy-release")
    assert row[2] == "warn" and "does not list a fine-grained token's permissions" in row[3]
    assert "--probe" in row[4]
    result = cli("doctor", "--repo", str(project), "--probe")
    assert result.code == 1
    wheels = _row(result.out, "Actions write on numpy/numpy-release")
    assert wheels[0] == "wheels" and wheels[2] == "fail"
    assert "dispatching the wheel workflow would be refused (403)" in wheels[3]
    assert "Actions: Read and write on numpy/numpy-release" in wheels[4]
    tag = _row(result.out, "Contents write on numpy/numpy")
    assert tag[0] == "tag, github-release" and tag[2] == "fail"
    after = {name: (dict(github.repo(name).refs), dict(github.repo(name).pulls)) for name in before}
    assert after == before and not github.repo("numpy/numpy-release").runs
    assert "canaryReadOnly" not in result.out + result.err

    monkeypatch.setenv("GITHUB_TOKEN", FINE_WRITE)
    granted = cli("doctor", "--repo", str(project), "--probe")
    for check in ("Actions write on numpy/numpy-release", "Contents write on numpy/numpy",
                  "Pull requests write on numpy/numpy", "Pull requests write on numpy/numpy.org"):
        assert _row(granted.out, check)[2] == "pass", check
    after = {name: (dict(github.repo(name).refs), dict(github.repo(name).pulls)) for name in before}
    assert after == before and not github.repo("numpy/numpy-release").runs


def test_no_write_access_and_no_fork(github: FakeGitHub, project: Path, cli: Cli,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_CANARY)
    github.repo("numpy/numpy-release").writers = ("charris",)
    del github.world.repos["release-manager/numpy.org"]
    result = cli("doctor", "--repo", str(project))
    assert result.code == 1
    wheels = _row(result.out, "Actions write on numpy/numpy-release")
    assert wheels[2] == "fail" and "release-manager has no write access to numpy/numpy-release" in wheels[3]
    fork = _row(result.out, "fork release-manager/numpy.org")
    assert fork[0] == "announce" and fork[2] == "fail"
    assert fork[4] == "gh repo fork numpy/numpy.org --clone=false"
    assert _row(result.out, "fork release-manager/numpy")[2] == "pass"
    assert GITHUB_CANARY not in result.out + result.err


def test_gpg_key_that_git_will_use(github: FakeGitHub, project: Path, cli: Cli, gnupg: str) -> None:
    (project / "release.toml").write_text("[tool.release]\nsign_tags = true\n")
    git(project, "config", "user.email", "nobody@example.org")
    missing = cli("doctor", "--repo", str(project), "--offline")
    row = _row(missing.out, "gpg signing key")
    assert row[2] == "fail" and "no secret key for nobody@example.org (from your committer e-mail" in row[3]
    git(project, "config", "user.signingkey", gnupg)
    found = cli("doctor", "--repo", str(project), "--offline")
    row = _row(found.out, "gpg signing key")
    assert row[2] == "pass" and "Alice Maintainer <alice@example.org>" in row[3]
    assert gnupg[-16:] in row[3] and "git's user.signingkey" in row[3]


def test_pandoc_and_the_index_credentials(project: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    result = cli("doctor", "--repo", str(project), "--offline")
    assert _row(result.out, "pandoc")[2] == "pass" and "pandoc " in _row(result.out, "pandoc")[3]
    assert _row(result.out, "index credentials")[2] == "warn"
    monkeypatch.setenv("TWINE_USERNAME", "__token__")
    monkeypatch.setenv("TWINE_PASSWORD", "pypi-canaryTwinePassword")
    result = cli("doctor", "--repo", str(project), "--offline")
    row = _row(result.out, "index credentials")
    assert row[2] == "pass" and "TWINE_USERNAME, TWINE_PASSWORD set" in row[3]
    assert "canaryTwine" not in result.out + result.err
    assert _row(result.out, "GitHub token")[3] == "not looked at (--offline)"


@pytest.mark.parametrize(("password", "status", "words"), [
    (SMTP_CANARY, "pass", "logged in to 127.0.0.1"),
    ("wrong", "fail", "refused the login for alice (535)"),
    ("", "fail", "RELEASE_SMTP_PASSWORD is not set"),
])
def test_smtp_login_sends_nothing(project: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                  password: str, status: str, words: str) -> None:
    with FakeSMTP(user="alice", password=SMTP_CANARY) as smtp:
        monkeypatch.setenv("SSL_CERT_FILE", str(smtp.cafile))
        if password:
            monkeypatch.setenv("RELEASE_SMTP_PASSWORD", password)
        (project / "release.toml").write_text("[tool.release]\n[tool.release.mail]\n" + smtp.config_toml())
        result = cli("doctor", "--repo", str(project), "--offline")
        row = _row(result.out, "SMTP login")
        assert row[0] == "announce --send" and row[2] == status and words in row[3], row
        assert not smtp.messages
    assert SMTP_CANARY not in result.out + result.err


def test_a_classic_token_is_judged_by_its_scopes() -> None:
    """GitHub lists a classic token's scopes (X-OAuth-Scopes): `public_repo` is enough to tag a
    public repository but not to dispatch a workflow, which needs `repo`; no `workflow` scope is
    a warning for pushes that change .github/workflows."""
    from release.assistants.doctor import GitHubFacts, Need, need_row, workflow_row
    from release.services.github_token import RepoAccess, TokenView

    repos = {"numpy/numpy": RepoAccess("numpy/numpy", True, push=True),
             "numpy/numpy-release": RepoAccess("numpy/numpy-release", True, push=True)}
    facts = GitHubFacts("GITHUB_TOKEN", "classic personal access token",
                        TokenView("charris", ("public_repo", "read:org")), "", repos, {})
    tag = need_row(Need("tag, github-release", "numpy/numpy", "contents", "pushing the tag"), facts)
    assert tag.status.value == "pass" and "scope public_repo" in tag.detail
    wheels = need_row(Need("wheels", "numpy/numpy-release", "actions", "dispatching the wheel workflow"),
                      facts)
    assert wheels.status.value == "fail" and "lack repo: dispatching the wheel workflow" in wheels.detail
    assert wheels.fix.startswith("gh auth refresh -h github.com -s repo")
    row = workflow_row(facts)
    assert row.status.value == "warn" and row.fix == "gh auth refresh -h github.com -s workflow"
    full = GitHubFacts("GITHUB_TOKEN", "classic personal access token",
                       TokenView("charris", ("repo", "workflow")), "", repos, {})
    assert need_row(Need("wheels", "numpy/numpy-release", "actions", "x"), full).status.value == "pass"
    assert workflow_row(full).status.value == "pass"
