"""Which way imports point: the rules docs/architecture.md states, read from the source."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "release"
JOBS = ("changelog", "identities", "notes", "checks", "wheels", "support", "downstream", "sites",
        "repo", "assistants", "profiles", "output", "status")
# The toolkit's roads to the outside; only services/ takes them (the stand-ins are the outside).
OUTSIDE = ("git", "github", "smtplib", "twine", "pypandoc", "requests", "urllib", "http",
           "socket")


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


def test_the_core_stays_small() -> None:
    """At most a dozen modules at the top of release/; the rest live in a package for their job."""
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top


def test_what_people_see_depends_on_nothing_of_the_toolkits() -> None:
    wrong = {module: sorted(name for name in imports(path)
                            if name.startswith("release.") and not within(name, "output"))
             for module, path in modules() if within(module, "output")}
    assert {module: names for module, names in wrong.items() if names} == {}


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


def test_services_and_stand_ins_never_reach_into_steps() -> None:
    wrong = {module: sorted(name for name in imports(path)
                            if within(name, "steps", "rehearsal", "cli", "journal"))
             for module, path in modules() if within(module, "services", "fakes")}
    assert {module: names for module, names in wrong.items() if names} == {}


def test_only_services_talk_to_the_outside() -> None:
    """The stand-ins are the outside and the benchmarks measure it; everything else goes through
    release/services/."""
    wrong = {module: sorted(name for name in imports(path) if name.split(".")[0] in OUTSIDE)
             for module, path in modules()
             if not within(module, "services", "fakes", "bench")}
    assert {module: names for module, names in wrong.items() if names} == {}


def step_modules() -> set[str]:
    """The modules under release/steps/ that declare a step (`STEP = Step(...)`)."""
    return {module for module, path in modules()
            if module.startswith("release.steps.") and "STEP = Step(" in path.read_text("utf-8")}


def test_no_step_imports_another() -> None:
    """What two steps share lives in a job package; a step module imports no other step module
    (the registry and the argument helpers in steps/ are not steps)."""
    steps = step_modules()
    assert len(steps) > 20
    wrong = {module: sorted(name for name in imports(path)
                            if any(name == other or name.startswith(f"{other}.")
                                   for other in steps - {module})
                            or name in {f"release.steps.{other.rsplit('.', 1)[1]}"
                                        for other in steps - {module}})
             for module, path in modules() if module.startswith("release.steps")}
    assert {module: names for module, names in wrong.items() if names} == {}


# The classes that reach the outside; the Context hands them out (ctx.git, ctx.git_at(path),
# ctx.github(), ctx.index(url), ctx.mail(settings), ...), or a function takes one as a parameter.
SERVICES = ("GitService", "GitHubService", "GitHubActions", "GitHubReleases", "PackageIndex",
            "Uploader", "MailService", "GraphQLClient", "PullRequestCache", "TriageCache")


def constructions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in SERVICES:
            found.append(f"{func.id}() line {node.lineno}")
        elif (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
              and func.value.id in SERVICES and func.attr.startswith("from_")):
            found.append(f"{func.value.id}.{func.attr}() line {node.lineno}")
    return found


def test_services_come_from_the_context() -> None:
    """Only services/ and the Context construct a service (the stand-ins, which build the world
    the rehearsal runs in, and the benchmarks aside); everything else is handed one."""
    assert constructions(PACKAGE / "context.py")  # the rule looks at real constructions
    wrong = {module: constructions(path) for module, path in modules()
             if not within(module, "services", "fakes", "bench", "context")}
    assert {module: found for module, found in wrong.items() if found} == {}


def test_steps_compose_without_reparsing_each_other() -> None:
    for module, path in modules():
        text = path.read_text(encoding="utf-8")
        reparses = "_sub_context" in text or "step_parser" in text
        assert not reparses or module == "release.cli", module


def test_the_architecture_page_lists_every_module_once() -> None:
    """docs/architecture.md draws the tree: a folder line, then its files indented under it."""
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed: list[str] = []
    folder = ""
    for block in re.findall(r"^```\n(.*?)^```", text, re.M | re.S):
        for line in block.splitlines():
            if found := re.match(r"(release/(?:\w+/)*)\s", line + " "):
                folder = found.group(1)
            elif found := re.match(r"  (\w+\.py)\s", line + " ") if folder else None:
                listed.append(folder + found.group(1))
    on_disk = sorted(str(path.relative_to(PACKAGE.parent)) for _, path in modules())
    assert sorted(listed) == on_disk


def test_tests_are_typed_too() -> None:
    """mypy strict covers tests/: a test's fixtures carry their types (`cli: Cli`, ...)."""
    marker = "type: ignore[" + "no-untyped-def]"  # spelt apart, so this file does not hold it
    untyped = [path.name for path in sorted((PACKAGE.parent / "tests").glob("*.py"))
               if marker in path.read_text(encoding="utf-8")]
    assert untyped == []
