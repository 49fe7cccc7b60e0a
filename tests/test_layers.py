"""Which way imports point: the rules docs/architecture.md states, read from the source."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "release"
JOBS = ("changelog", "identities", "notes", "checks", "wheels", "support", "downstream", "sites",
        "repo")


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def within(name: str, *packages: str) -> bool:
    return any(name == f"release.{p}" or name.startswith(f"release.{p}.") for p in packages)


def test_only_the_entry_point_imports_the_cli() -> None:
    importers = [module for module, path in modules()
                 if module not in ("release.__main__", "release.cli")
                 and any(within(name, "cli") for name in imports(path))]
    assert importers == []


@pytest.mark.parametrize("job", JOBS)
def test_the_release_logic_never_reaches_up(job: str) -> None:
    """A job's package may use the core, services and other jobs, never steps, the rehearsal,
    the stand-ins or the CLI (steps compose through the jobs' functions)."""
    wrong = {module: sorted(name for name in imports(path)
                            if within(name, "steps", "rehearsal", "fakes", "bench", "cli"))
             for module, path in modules() if within(module, job)}
    assert {module: names for module, names in wrong.items() if names} == {}


def test_steps_compose_without_reparsing_each_other() -> None:
    for module, path in modules():
        text = path.read_text(encoding="utf-8")
        reparses = "_sub_context" in text or "step_parser" in text
        assert not reparses or module == "release.cli", module
