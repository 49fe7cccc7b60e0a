from __future__ import annotations

from pathlib import Path

import pytest

from release.errors import VersionError
from release.version import ReleaseVersion, versions_from_tags


@pytest.mark.parametrize("text", ["2.4.0", "2.4.0rc1", "2.5.0.dev0", "v2.4.0", "2.0.0b1"])
def test_accepts_release_versions(text: str) -> None:
    assert str(ReleaseVersion.parse(text)) == text.removeprefix("v")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2.4", "exactly three numbers"),
        ("2.4.0.1", "exactly three numbers"),
        ("banana", "is not a version"),
        ("2.4.0.post1", "post"),
        ("2.4.0.dev3", "dev0"),
        ("2.4.0-rc1", "canonical"),
        ("", "is not a version"),
    ],
)
def test_rejects_with_a_clear_message(text: str, words: str) -> None:
    with pytest.raises(VersionError) as info:
        ReleaseVersion.parse(text)
    assert words in info.value.message
    assert "2.4.0rc1" in (info.value.hint or "")


def test_derived_names() -> None:
    v = ReleaseVersion.parse("2.4.0")
    assert v.tag() == "v2.4.0"
    assert v.series == "2.4"
    assert v.maintenance_branch() == "maintenance/2.4.x"
    assert str(v.next_patch()) == "2.4.1"
    assert str(v.next_dev()) == "2.5.0.dev0"
    assert v.is_feature and v.is_final and not v.is_patch


def test_release_candidate_shares_the_final_documents() -> None:
    rc = ReleaseVersion.parse("2.5.0rc1")
    assert rc.is_prerelease and not rc.is_final
    assert rc.base == "2.5.0"
    assert str(rc.next_patch()) == "2.5.0"
    assert rc.tag("v{version}") == "v2.5.0rc1"


def test_previous_release_from_tags() -> None:
    tags = ["v2.3.5", "v2.4.0.dev0", "v2.4.0rc1", "v2.4.0", "v2.4.1", "v2.5.0.dev0", "other"]
    assert str(ReleaseVersion.parse("2.4.2").previous_release(tags)) == "2.4.1"
    assert str(ReleaseVersion.parse("2.4.0").previous_release(tags)) == "2.4.0rc1"
    assert str(ReleaseVersion.parse("2.4.0rc1").previous_release(tags)) == "2.3.5"
    assert ReleaseVersion.parse("1.0.0").previous_release(tags) is None


def test_tags_with_another_format() -> None:
    found = versions_from_tags(["release-1.0.0", "release-1.1.0rc1", "v9.9.9"], "release-{version}")
    assert [str(v) for v in found] == ["1.0.0", "1.1.0rc1"]


def test_previous_release_on_numpy_history(numpy_bundle_clone: Path) -> None:
    from release.services.git import GitService

    tags = GitService(numpy_bundle_clone).tags()
    assert str(ReleaseVersion.parse("2.5.2").previous_release(tags)) == "2.5.1"
    assert str(ReleaseVersion.parse("2.5.0").previous_release(tags)) == "2.5.0rc1"
