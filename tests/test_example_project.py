from __future__ import annotations

import tomllib
from pathlib import Path

from helpers import git

from release.checks.capi import api_hash, read_cversions
from release.config import load_config
from release.fakes.example import ExampleProject, build_example_project


def test_deterministic(tmp_path: Path, example_template: ExampleProject) -> None:
    again = build_example_project(tmp_path)
    for ref in ("main", "maintenance/1.1.x", "maintenance/1.2.x", "v1.1.0", "v1.3.0.dev0"):
        assert git(again.repo, "rev-parse", ref) == git(example_template.repo, "rev-parse", ref)


def test_numpy_shape(example: ExampleProject) -> None:
    repo = example.repo
    cfg = load_config(repo).config
    assert cfg.project == "tinynum" and cfg.github_repo == "example/tinynum"
    tags = git(repo, "tag").split()
    assert {"v1.1.0", "v1.2.0.dev0", "v1.3.0.dev0"} <= set(tags)
    assert git(repo, "cat-file", "-t", "v1.1.0").strip() == "tag"
    pyproject = tomllib.loads(git(repo, "show", "maintenance/1.2.x:pyproject.toml"))
    assert pyproject["project"]["version"] == "1.2.0.dev0"
    assert "towncrier" in pyproject["tool"]
    fragments = git(repo, "ls-tree", "--name-only", "maintenance/1.2.x",
                    "doc/release/upcoming_changes/").split()
    assert "doc/release/upcoming_changes/8.c_api.rst" in fragments
    api = git(repo, "show", f"maintenance/1.2.x:{cfg.numpy_api}")
    cversions = read_cversions(git(repo, "show", f"maintenance/1.2.x:{cfg.cversions}"))
    assert cversions[2] == api_hash(api)
    log = git(repo, "log", "--format=%s%n%b", "v1.2.0.dev0..maintenance/1.2.x")
    assert "Merge pull request #5 from bob/mean" in log
    assert "Co-authored-by: Frank Fixer <frank@example.org>" in log
    assert "DOC: explain broadcasting rules (#6)" in log
    assert git(repo, "remote").split() == ["origin", "upstream"]
    assert git(example.upstream, "rev-parse", "maintenance/1.2.x") == git(
        repo, "rev-parse", "maintenance/1.2.x")


def test_merge_base_of_maintenance_branch_is_before_the_dev_tag(example: ExampleProject) -> None:
    repo = example.repo
    parent = git(repo, "rev-parse", "v1.3.0.dev0^{commit}^").strip()
    assert git(repo, "merge-base", "main", "maintenance/1.2.x").strip() == parent
