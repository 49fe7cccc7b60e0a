from __future__ import annotations

from pathlib import Path

import pytest

from release.config import Config, load_config
from release.errors import ConfigError


def test_builtin_profile_is_numpy(tmp_path: Path) -> None:
    loaded = load_config(tmp_path)
    assert loaded.source == "built-in NumPy profile"
    cfg = loaded.config
    assert cfg.github_repo == "numpy/numpy"
    assert cfg.tag_message.format(project=cfg.project, version="2.4.0") == "NumPy 2.4.0 release"
    assert cfg.maintenance_branch == "maintenance/{major}.{minor}.x"
    assert cfg.cversions == "numpy/_core/code_generators/cversions.txt"


def test_pyproject_overrides(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.release]\nproject = "SciPy"\nsign-tags = true\n'
        '[tool.release.mail]\nsmtp_port = 25\nto = ["scipy-dev@python.org"]\n'
    )
    loaded = load_config(tmp_path)
    assert loaded.config.project == "SciPy"
    assert loaded.config.sign_tags is True
    assert loaded.config.mail.smtp_port == 25
    assert loaded.config.mail.to == ("scipy-dev@python.org",)
    assert str(tmp_path / "pyproject.toml") in loaded.source


def test_release_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.release]\nproject = "A"\n')
    (tmp_path / "release.toml").write_text('project = "B"\n')
    assert load_config(tmp_path).config.project == "B"


@pytest.mark.parametrize(
    ("toml", "message", "hint"),
    [
        ('projet = "x"', "unknown key 'projet'", "did you mean 'project'?"),
        ("sign_tags = 'yes'", "sign_tags must be true or false", "'yes'"),
        ("[mail]\nsmpt_host = 'x'", "unknown key 'smpt_host'", "did you mean 'smtp_host'?"),
        ("tag_requires = 'notes'", "must be a list of strings", ""),
        ("mail = 3", "mail must be a table", ""),
        ("[wheels]\nworkflow = 5", "workflow must be a string", ""),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, toml: str, message: str, hint: str) -> None:
    (tmp_path / "release.toml").write_text(toml + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert message in info.value.message
    assert hint in (info.value.hint or "")


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text("project = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(tmp_path)


def test_explicit_config_file(tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text('[tool.release]\nupstream_remote = "numpy"\n')
    assert load_config(tmp_path, other).config.upstream_remote == "numpy"
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path, tmp_path / "missing.toml")


def test_defaults_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Config().project = "x"  # type: ignore[misc]


def test_scipy_profile_and_a_single_override(tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text('profile = "scipy"\nrel_commit = "pull-request"\n'
                                           '[wheels]\nworkflow = "build.yml"\n')
    cfg = load_config(tmp_path).config
    assert (cfg.profile, cfg.project, cfg.github_repo, cfg.tag_message) == \
        ("scipy", "SciPy", "scipy/scipy", "v{version}")
    assert (cfg.credits, cfg.series_start, cfg.branch_version, cfg.index_entry) == \
        ("authors", "previous-feature", "next-dev0", "bare")
    assert cfg.rel_commit == "pull-request"  # the project's choice over the profile's "direct"
    assert (cfg.wheels.workflow_repo, cfg.wheels.workflow) == ("scipy/scipy-release", "build.yml")


def test_numpy_profile_file_spells_out_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text('profile = "numpy"\n')
    assert load_config(tmp_path).config == Config(profile="numpy")


@pytest.mark.parametrize(
    ("toml", "message", "hint"),
    [
        ('profile = "skimage"', "unknown profile 'skimage' (built in: numpy, scipy)",
         "override the choices that differ (announcement, branch_version, branching, credits, "
         "doc_site, index_entry"),
        ('profile = "scipy"\nseries_start = "dev-tags"', "series_start = 'dev-tags' is not a choice",
         "'dev-tag': an X.Y.0 range starts at the vX.Y.0.dev0 tag"),
        ("profile = 3", "profile must be a string", 'profile = "numpy" or "scipy"'),
    ],
)
def test_unknown_profile_or_choice_names_what_to_choose(tmp_path: Path, toml: str, message: str,
                                                        hint: str) -> None:
    (tmp_path / "release.toml").write_text(toml + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert message in info.value.message
    assert hint in (info.value.hint or "")
