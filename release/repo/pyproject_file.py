"""Read and set the static version in a project's `pyproject.toml`, keeping its formatting."""

from __future__ import annotations

import tomllib

import tomlkit
from tomlkit.items import StringType

from release.errors import PreconditionError


def read_version(text: str, where: str = "pyproject.toml") -> str:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PreconditionError(f"{where} is not valid TOML: {exc}", hint="fix its syntax") from None
    version = data.get("project", {}).get("version")
    if not isinstance(version, str):
        raise PreconditionError(
            f"{where} has no static [project] version",
            hint='the release steps need `version = "X.Y.Z"` under [project]',
        )
    return version


def set_version(text: str, version: str, where: str = "pyproject.toml") -> str:
    """Rewrite only the version value; comments, quoting and order stay as they were."""
    read_version(text, where)
    doc = tomlkit.parse(text)
    project = doc["project"]
    literal = getattr(project["version"], "type", None) == StringType.SLL  # 'single quotes'
    project["version"] = tomlkit.string(version, literal=literal)
    return tomlkit.dumps(doc)
