"""Each step module declares what it is in one `Step`, and everything that lists steps reads it:
the registry (`--help`, nox), the journal, `status` and a resumed rehearsal."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from pathlib import Path

import pytest

import release.steps
from release.steps import Look, Step, declared, literal_fields, steps
from release.steps.status import looked_at

# Modules of release/steps that are not steps.
NOT_STEPS = {"common"}
MODULES = sorted(info.name for info in pkgutil.iter_modules(release.steps.__path__)
                 if info.name not in NOT_STEPS)


@pytest.mark.parametrize("module_name", MODULES)
def test_every_step_module_declares_its_step(module_name: str) -> None:
    module = importlib.import_module(f"release.steps.{module_name}")
    descriptor = getattr(module, "STEP", None)
    assert isinstance(descriptor, Step), f"release/steps/{module_name}.py declares no STEP = Step(...)"
    assert descriptor.name.replace("-", "_") == module_name
    assert descriptor.summary and "\n" not in descriptor.summary and not descriptor.summary.endswith(".")
    assert isinstance(descriptor.journaled, bool)
    assert descriptor.status is None or isinstance(descriptor.status, Look)
    assert descriptor.resume is None or callable(descriptor.resume)
    # what the registry reads from the source without importing is what the module declares
    literal = literal_fields(Path(module.__file__ or ""))
    assert literal == {"name": descriptor.name, "summary": descriptor.summary,
                       "order": descriptor.order}
    assert declared()[descriptor.name].module == module.__name__


def test_a_declaration_without_a_field_fails() -> None:
    fields = {field.name for field in dataclasses.fields(Step)}
    assert fields == {"name", "summary", "order", "journaled", "read_only", "status", "resume"}
    with pytest.raises(TypeError, match="resume"):
        Step(name="x", summary="x", order=1, journaled=False, status=None)  # type: ignore[call-arg]


def test_the_registry_lists_every_step_once_in_walkthrough_order() -> None:
    names = list(declared())
    assert sorted(names) == sorted(step.name for step in steps())
    assert len({step.order for step in steps()}) == len(names)
    walkthrough = ["check", "support", "cversions", "changelog", "notes", "mailmap", "prepare",
                   "wheels", "tag", "github-release", "upload", "docs", "reset-branch", "announce",
                   "post-release", "branch"]
    assert [name for name in names if name in walkthrough] == walkthrough


def test_status_rows_come_from_the_descriptors() -> None:
    rows = [step.status.row for step in looked_at() if step.status is not None]
    assert rows[:8] == ["release PR merged", "tag", "wheels on the index", "GitHub release", "docs",
                    "maintenance reset", "announcement", "main updated"]
    assert len({step.status.order for step in looked_at() if step.status}) == len(rows)
    # a step with a row is a step whose runs the journal records, so status can say when
    assert all(step.journaled for step in looked_at())


def test_journaled_steps_are_the_ones_that_change_a_release() -> None:
    journaled = {step.name for step in steps() if step.journaled}
    assert not journaled & {"check", "support", "changelog", "notes", "status", "rehearse", "pins"}
    assert journaled >= {"prepare", "tag", "wheels", "upload", "github-release", "docs",
                         "reset-branch", "announce", "post-release", "branch", "mailmap",
                         "cversions"}


def test_a_resumed_rehearsal_rechecks_every_step_it_can_see() -> None:
    rechecked = {step.name for step in steps() if step.resume is not None}
    assert rechecked >= {"prepare", "wheels", "tag", "upload", "github-release", "docs",
                         "reset-branch", "announce", "post-release", "branch"}


@pytest.mark.parametrize("module_name", MODULES)
def test_a_steps_typed_options_are_options_its_parser_has(module_name: str) -> None:
    """A step's frozen `...Options` dataclass (what `ctx.typed` builds) names only what its parser
    defines, so a misspelt field fails here rather than at a release manager's run."""
    from release.cli import step_parser

    module = importlib.import_module(f"release.steps.{module_name}")
    kinds = [value for name, value in vars(module).items()
             if name.endswith("Options") and isinstance(value, type) and dataclasses.is_dataclass(value)
             and value.__module__ == module.__name__]
    parser = step_parser(module.STEP.name, module)
    dests = {action.dest for action in parser._actions}
    for kind in kinds:
        assert kind.__dataclass_params__.frozen, kind  # type: ignore[attr-defined]
        assert {item.name for item in dataclasses.fields(kind)} <= dests, kind


def test_steps_read_their_options_typed() -> None:
    """Each step reads its options from its frozen dataclass (`ctx.typed(XOptions)`), built once
    from argparse's namespace; no step looks an option up by its name as a string."""
    steps_dir = Path(release.steps.__file__).parent
    by_name = {path.name: [pattern for pattern in ("ctx.option(", "ctx.options[", "ctx.options.get(")
                           if pattern in path.read_text(encoding="utf-8")]
               for path in sorted(steps_dir.glob("*.py"))}
    assert len(by_name) > 20
    assert {name: found for name, found in by_name.items() if found} == {}
