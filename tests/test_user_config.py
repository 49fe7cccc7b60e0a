"""Personal settings in the user config: the precedence of every layer, what a user config may
hold, and `config --show` naming each value's source without ever showing a secret."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from release.config import load_config, user_config_path

USER = '[mail]\nsender = "Me <me@example.org>"\nsmtp_user = "me"\n[github]\nfork_owner = "me"\n'


def _user_file(home: Path, text: str = USER) -> Path:
    path = home / "numpy-release" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    return path


def test_user_config_place_follows_xdg(tmp_path: Path) -> None:
    assert user_config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "numpy-release" / "config.toml"
    assert user_config_path({}).name == "config.toml"


def test_each_layer_overrides_the_one_below(tmp_path: Path) -> None:
    user = _user_file(tmp_path / "xdg")
    repo = tmp_path / "repo"
    repo.mkdir()
    only_user = load_config(repo, user_file=user)
    assert (only_user.config.mail.sender, only_user.config.github.fork_owner) == ("Me <me@example.org>", "me")
    assert only_user.config.mail.to == ("numpy-discussion@python.org",)  # the profile's
    (repo / "pyproject.toml").write_text(
        '[tool.release]\nproject = "P"\n[tool.release.mail]\nsmtp_host = "smtp.p.org"\n'
        'sender = "P <p@p.org>"\n')
    with_repo = load_config(repo, user_file=user)
    assert with_repo.config.mail.sender == "P <p@p.org>"  # the repository beats the user
    assert with_repo.config.mail.smtp_user == "me"  # ... and the user's other keys stay
    given = tmp_path / "given.toml"
    given.write_text('[tool.release]\nproject = "Q"\n')
    with_given = load_config(repo, given, user_file=user)
    assert (with_given.config.project, with_given.config.mail.smtp_host) == ("Q", "smtp.p.org")
    assert with_given.sources["project"] == f"[tool.release] in {given}"
    assert with_given.sources["mail.smtp_host"] == f"[tool.release] in {repo / 'pyproject.toml'}"
    assert with_given.sources["mail.smtp_user"] == f"the user config {user}"
    assert "mail.to" not in with_given.sources


def test_a_user_config_holds_only_personal_settings(tmp_path: Path) -> None:
    from release.errors import ConfigError

    user = _user_file(tmp_path, 'project = "Mine"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, user_file=user)
    assert "'project' belongs to the project, not to you" in raised.value.message


def test_the_command_line_beats_every_file(example: Any, cli: Any, tmp_path: Path) -> None:
    """--fork-owner on the command line over the user config's fork_owner."""
    _user_file(tmp_path / "xdg", '[github]\nfork_owner = "someone-else"\n')
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    import subprocess

    subprocess.run(["git", "-C", str(example.repo), "checkout", "--quiet", "maintenance/1.2.x"], check=True)
    args = ("prepare", "1.2.0", "--repo", str(example.repo), "--dry-run", "--offline", "--push")
    from_user = cli(*args, env=env)
    assert from_user.code == 0, from_user.err
    assert "someone-else" in from_user.out + from_user.err
    shown = cli(*args, "--fork-owner", "contributor", env=env)
    assert shown.code == 0, shown.err
    assert "someone-else" not in shown.out + shown.err and "contributor" in shown.out + shown.err


def test_config_show_names_each_source_and_no_secret(example: Any, cli: Any, tmp_path: Path) -> None:
    user = _user_file(tmp_path / "xdg")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "GITHUB_TOKEN": "ghp_canary_config_1234",
           "RELEASE_SMTP_PASSWORD": "smtp-canary-5678"}
    shown = cli("config", "--show", "--repo", str(example.repo), env=env)
    assert shown.code == 0, shown.err
    lines = {line.split()[0]: line for line in shown.out.splitlines() if "<-" in line}
    assert lines["mail.smtp_user"].endswith(f"<- the user config {user}  (personal)")
    assert "pyproject.toml" in lines["mail.sender"]  # the example's own [tool.release] beats it
    assert "<- [tool.release] in" in lines["project"] and "pyproject.toml" in lines["project"]
    assert "<- built-in numpy profile" in lines["mail.smtp_port"]
    assert "GITHUB_TOKEN: set" in shown.out and "RELEASE_SMTP_PASSWORD: set" in shown.out
    assert "canary" not in shown.out + shown.err
    document = json.loads(cli("config", "--repo", str(example.repo), "--json", "--only-set", env=env).out)
    assert document["kind"] == "config" and document["secrets"]["GITHUB_TOKEN"] == "set"
    assert {s["key"] for s in document["settings"]} >= {"mail.smtp_user", "project"}
    assert "mail.smtp_port" not in {s["key"] for s in document["settings"]}


def test_config_outside_the_repository_never_fails_check(example: Any, cli: Any, tmp_path: Path) -> None:
    _user_file(tmp_path / "xdg")
    given = tmp_path / "release.toml"
    given.write_text((example.repo / "pyproject.toml").read_text())
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    result = cli("check", "1.2.0", "--repo", str(example.repo), "--config", str(given), "--offline",
                 "--json", env=env)
    document = json.loads(result.out)
    untracked = [c for c in document["checks"] if "untracked" in (c["detail"] + c["name"]).lower()
                 and c["status"] != "pass"]
    assert not untracked, untracked
