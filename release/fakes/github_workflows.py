"""Workflow files on the fake GitHub: what their `on:` block declares, and GitHub's dispatch rules.

A workflow is seeded with its YAML text, as a repository holds it. GitHub reads the
`workflow_dispatch` trigger and its inputs from that file and refuses a dispatch that does not fit
(422, the message at the top level): no such trigger, more than 25 inputs, inputs the file does
not declare, a required input left out, a choice outside its options.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

MAX_INPUTS = 25

# numpy/numpy-release's .github/workflows/wheels.yml triggers (its jobs are left out).
NUMPY_RELEASE_WORKFLOW = """\
name: Wheel builder

on:
  pull_request:
    branches: [main, maintenance/**]
  workflow_dispatch:
    inputs:
      environment:
        description: Which PyPI environment to upload to, if any
        required: true
        type: choice
        options: ["none", "testpypi", "pypi"]

jobs: {}
"""


@dataclass(frozen=True)
class DispatchInput:
    name: str
    required: bool
    kind: str
    options: tuple[str, ...]
    default: str | None


def triggers(source: str) -> dict[str, Any]:
    """The `on:` block as a mapping (a bare list or string of event names is spread out)."""
    document = yaml.safe_load(source) or {}
    # YAML 1.1 reads the key `on` as True.
    on = document.get("on", document.get(True)) if isinstance(document, dict) else None
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {str(event): None for event in on}
    return dict(on) if isinstance(on, dict) else {}


def dispatch_inputs(source: str) -> dict[str, DispatchInput] | None:
    """The declared workflow_dispatch inputs; None when the file has no workflow_dispatch trigger."""
    found = triggers(source)
    if "workflow_dispatch" not in found:
        return None
    inputs = (found["workflow_dispatch"] or {}).get("inputs") or {}
    declared = {}
    for name, spec in inputs.items():
        spec = spec or {}
        default = spec.get("default")
        declared[str(name)] = DispatchInput(
            str(name), bool(spec.get("required", False)), str(spec.get("type", "string")),
            tuple(str(option) for option in spec.get("options") or ()),
            None if default is None else str(default))
    return declared


def dispatch_refusal(source: str, given: Any) -> str | None:
    """GitHub's 422 message for dispatching this workflow with `given` inputs, or None if fine."""
    declared = dispatch_inputs(source)
    if declared is None:
        return "Workflow does not have 'workflow_dispatch' trigger"
    if given is None:
        given = {}
    if not isinstance(given, dict):
        return f"Invalid request.\n\nFor 'properties/inputs', {json.dumps(given)} is not an object."
    if len(given) > MAX_INPUTS:
        return (f"Invalid request.\n\nNo more than {MAX_INPUTS} properties are allowed; "
                f"{len(given)} were supplied.")
    unexpected = [name for name in given if name not in declared]
    if unexpected:
        return f"Unexpected inputs provided: {json.dumps(unexpected)}"
    for spec in declared.values():
        if spec.name not in given:
            if spec.required and spec.default is None:
                return f"Required input '{spec.name}' not provided"
            continue
        value = str(given[spec.name])
        if spec.kind == "choice" and value not in spec.options:
            return (f"Provided value '{value}' for input '{spec.name}' not in the list of "
                    "allowed values")
    return None


def with_defaults(source: str, given: dict[str, Any]) -> dict[str, Any]:
    """The inputs a run sees: the given ones, and each declared default for those left out."""
    declared = dispatch_inputs(source) or {}
    filled = {name: spec.default for name, spec in declared.items()
              if name not in given and spec.default is not None}
    return {**filled, **given}
