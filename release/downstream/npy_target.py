"""Where a downstream project sets `NPY_TARGET_VERSION`, and which NumPy C API that names.

The downstream guide sets it with a `#define` before the NumPy headers or the equivalent `-D`
compiler flag; in a project's build files that is a meson `add_project_arguments`/`c_args`, a
setuptools `define_macros` pair, or `CFLAGS` in `[tool.cibuildwheel]`'s environment. Those files
at the project's top level are read; C sources are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from release.downstream.numpy_releases import series_for_api

BUILD_FILES = ("pyproject.toml", "meson.build", "meson.options", "meson_options.txt", "setup.py",
               "setup.cfg", "CMakeLists.txt")

_SETTING = re.compile(
    r"NPY_TARGET_VERSION['\"]?\s*[=,:]?\s*['\"]?"
    r"(NPY_(\d+)_(\d+)_API_VERSION|NPY_API_VERSION|0x[0-9A-Fa-f]+)\b")


@dataclass(frozen=True)
class TargetSetting:
    """One place the target is set: `meson.build:12` says `NPY_1_22_API_VERSION` (NumPy 1.22)."""

    where: str
    value: str
    series: str | None  # None: NPY_API_VERSION (the building NumPy's own) or a number unknown

    @property
    def own_version(self) -> bool:
        return self.value == "NPY_API_VERSION"


def find_targets(project: Path) -> list[TargetSetting]:
    """Every NPY_TARGET_VERSION setting in the project's top-level build files, in file order."""
    found = []
    for name in BUILD_FILES:
        path = project / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            for match in _SETTING.finditer(line):
                found.append(TargetSetting(f"{name}:{number}", match[1], _series(match)))
    return found


def _series(match: re.Match[str]) -> str | None:
    if match[2] is not None:
        return f"{match[2]}.{match[3]}"
    if match[1].startswith("0x"):
        return series_for_api(int(match[1], 16))
    return None
