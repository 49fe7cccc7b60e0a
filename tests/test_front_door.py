from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import Cli, git

from release import config as config_module
from release.fakes.example import ExampleProject
from release.steps import declared

ROOT = Path(__file__).resolve().parents[1]


def test_help_lists_every_step() -> None:
    out = subprocess.run([sys.executable, "-m", "release", "--help"], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout
    for name, summary in ((step.name, step.summary) for step in declared().values()):
        assert f"  {name}" in out and summary in out


def test_nox_lists_every_step() -> None:
    out = subprocess.run([sys.executable, "-m", "nox", "-l"], check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout
    for name, summary in ((step.name, step.summary) for step in declared().values()):
        line = next((ln for ln in out.splitlines() if ln.startswith(f"* {name} ")
                     or ln.startswith(f"- {name} ")), None)
        assert line is not None, name
        assert summary in line


def test_a_real_process_exits_nonzero_with_one_line(example: ExampleProject) -> None:
    proc = subprocess.run([sys.executable, "-m", "release", "tag", "1.2.0", "--repo",
                           str(example.repo)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.splitlines()[0] == "error: on branch main, not on maintenance/1.2.x"


def test_config_repo_key_is_used(example: ExampleProject, tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "release.toml").write_text(f'repo = "{example.repo}"\n')
    git(example.repo, "checkout", "-q", "maintenance/1.2.x")
    result = cli("tag", "1.2.0", "--dry-run", env={"RELEASE_INVOKED_FROM": str(tmp_path)})
    # maintenance/1.2.x still reads 1.2.0.dev0: the step found the repo and checked it
    assert result.code == 1
    assert "says version 1.2.0.dev0, not 1.2.0" in result.err


def test_a_config_naming_the_repository_is_loaded_once(example: ExampleProject, tmp_path: Path,
                                                       cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The release.toml that names the checkout and the checkout's own [tool.release] are each
    read once, into the one config the step runs with, which says where each value came from."""
    named_by = tmp_path / "release.toml"
    named_by.write_text(f'repo = "{example.repo}"\nupstream_remote = "elsewhere"\n')
    reads: list[Path] = []
    real_read = config_module._read_toml

    def counted(path: Path) -> dict[str, Any]:
        reads.append(path)
        return real_read(path)

    monkeypatch.setattr(config_module, "_read_toml", counted)
    result = cli("config", "--json", env={**os.environ, "RELEASE_INVOKED_FROM": str(tmp_path),
                                          "XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert result.code == 0, result.err
    settings = {row["key"]: row for row in json.loads(result.out)["settings"]}
    own = f"[tool.release] in {example.repo / 'pyproject.toml'}"
    assert settings["project"]["source"] == own
    assert settings["upstream_remote"] == {"key": "upstream_remote", "value": "elsewhere",
                                           "source": f"[tool.release] in {named_by}"}
    assert sorted(reads) == sorted({named_by, example.repo / "pyproject.toml"})


def test_relative_paths_are_relative_to_where_nox_was_invoked(example: ExampleProject, cli: Cli) -> None:
    """nox runs steps from the noxfile's directory; `--repo tinynum` typed in the example's
    parent directory must still mean that directory's tinynum."""
    env = {"RELEASE_INVOKED_FROM": str(example.repo.parent)}
    result = cli("tag", "1.2.0", "--repo", example.repo.name, "--dry-run", env=env)
    assert result.code == 1
    assert result.err.splitlines()[0] == "error: on branch main, not on maintenance/1.2.x"
