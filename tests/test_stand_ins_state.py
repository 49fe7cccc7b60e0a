"""Stand-ins that keep their state on disk: a restarted fake carries on where the last one
stopped, on a new port."""

from __future__ import annotations

import io
import smtplib
from email.message import EmailMessage
from pathlib import Path

import github
import pytest
import requests
from github import Auth

from release.fakes.github import FakeGitHub
from release.fakes.smtp import FakeSMTP

TOKEN = "ghp_state_test_token_0000000000000000000"


def client(gh: FakeGitHub) -> github.Github:
    return github.Github(base_url=gh.api_url, auth=Auth.Token(TOKEN), retry=None,
                         seconds_between_requests=None, seconds_between_writes=None)


def test_github_world_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "github-state.pickle"
    with FakeGitHub(tokens={TOKEN: "write"}, state_file=state) as first:
        first.add_repo("example/tinynum")
        first.save()
        repo = client(first).get_repo("example/tinynum")
        release = repo.create_git_release("v1.2.0", "v1.2.0", "notes", draft=True)
        release.upload_asset_from_memory(io.BytesIO(b"wheel bytes"), 11, "a.whl")
        first_root = first.root
    assert state.is_file() and [p.name for p in tmp_path.iterdir()] == [state.name]

    with FakeGitHub(tokens={TOKEN: "write"}, state_file=state) as second:
        assert second.root != first_root
        [found] = client(second).get_repo("example/tinynum").get_releases()
        assert (found.tag_name, found.draft) == ("v1.2.0", True)
        [asset] = found.get_assets()
        assert asset.name == "a.whl" and asset.size == 11
        assert asset.url.startswith(second.api_url)  # URLs are made from the running root
        again = client(second).get_repo("example/tinynum").create_git_release(
            "v1.2.1", "v1.2.1", "", draft=True)
        assert again.id > found.id  # ids carry on


def test_without_a_state_file_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with FakeGitHub(tokens={TOKEN: "write"}) as gh:
        gh.add_repo("example/tinynum")
        response = requests.post(f"{gh.api_url}/repos/example/tinynum/issues", timeout=10,
                                 json={"title": "t"}, headers={"Authorization": f"token {TOKEN}"})
        assert response.status_code == 201
    assert list(tmp_path.iterdir()) == []


def test_asset_upload_hook_runs_before_the_asset_is_stored(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with FakeGitHub(tokens={TOKEN: "write"}) as gh:
        gh.add_repo("example/tinynum")
        stored = gh.repo("example/tinynum").releases
        gh.before_asset = lambda n: seen.append(
            (n, sum(len(r.assets) for r in stored.values())))
        release = client(gh).get_repo("example/tinynum").create_git_release(
            "v1.2.0", "v1.2.0", "", draft=True)
        for name in ("a.whl", "b.whl"):
            release.upload_asset_from_memory(io.BytesIO(b"x"), 1, name)
    assert seen == [(1, 0), (2, 1)]


def test_mail_is_kept_as_eml_and_reloaded(tmp_path: Path) -> None:
    mail_dir = tmp_path / "mail"

    def send(smtp: FakeSMTP, subject: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@example.org", "list@example.org", subject
        message.set_content("body\n")
        with smtplib.SMTP(smtp.host, smtp.port) as client:
            client.login("alice", "pw")
            client.send_message(message)

    with FakeSMTP(user="alice", password="pw", tls=False, mail_dir=mail_dir) as first:
        send(first, "one")
    assert sorted(p.name for p in mail_dir.iterdir()) == ["0001.eml", "0001.json"]
    with FakeSMTP(user="alice", password="pw", tls=False, mail_dir=mail_dir) as second:
        assert [m.message["Subject"] for m in second.messages] == ["one"]
        send(second, "two")
        assert [m.message["Subject"] for m in second.messages] == ["one", "two"]
        assert second.messages[0].rcpt_tos == ("list@example.org",)
    assert (mail_dir / "0002.eml").read_bytes() == second.messages[1].data
