"""How pytest-xdist hands the suite to its workers: the tests that share a module-wide fixture (a
rehearsal, a clone) go to one worker as one unit, so the fixture is made once, and the units that
run the most rehearsals go first, so the two workers end together instead of one starting a long
test when the other has nothing left.

The workers know which fixtures a test uses; the controller, which hands the work out, knows only
the tests' ids. So each worker writes the units it collected to the file UNITS_VAR names (both
write the same) and the controller reads it when it schedules, which is after every worker has
sent its collection.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from release.atomic_file import replace_file

UNITS_VAR = "RELEASE_TEST_UNITS"


def shared_setup(item: pytest.Item) -> str:
    """A name for the module-wide fixtures the test module itself defines and `item` uses (a
    rehearsal, a clone made once), or "" when it uses none."""
    info = getattr(item, "_fixtureinfo", None)
    module = item.nodeid.split("::")[0]
    used = sorted(name for name, defs in (info.name2fixturedefs.items() if info else ())
                  if any(d.scope == "module" and d.baseid == module for d in defs))
    return f"{module}::{'+'.join(used)}" if used else ""


def rehearsals(item: pytest.Item) -> int:
    """About how many whole rehearsals a test runs: `slow(rehearsals=N)`, else 1 for `slow`,
    else 0 (a test sharing its module's rehearsal counts it; a unit weighs its largest test)."""
    marker = item.get_closest_marker("slow")
    return 0 if marker is None else int(marker.kwargs.get("rehearsals", 1))


def order(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a worker: the tests unit by unit, the longest units first, and the units written down
    for the controller. In a single process the file order stays (`-x` stops early on the quick
    tests)."""
    if not hasattr(config, "workerinput"):
        return
    units: dict[str, list[pytest.Item]] = {}
    for item in items:
        units.setdefault(shared_setup(item) or item.nodeid, []).append(item)
    ordered = sorted(units.values(), key=lambda unit: -max(rehearsals(item) for item in unit))
    items[:] = [item for unit in ordered for item in unit]
    target = os.environ.get(UNITS_VAR)
    if target:
        grouped = {item.nodeid: name for name, unit in units.items() if len(unit) > 1
                   for item in unit}
        replace_file(Path(target), json.dumps(grouped).encode("utf-8"))


def make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's load scheduling by units (its loadscope scheduler, with the units read from the
    workers' file and kept in the workers' order); None (xdist's own) for an explicit --dist."""
    target = os.environ.get(UNITS_VAR)
    if config.getvalue("dist") != "load" or not target:
        return None
    from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

    units_file = Path(target)

    class UnitScheduling(LoadScopeScheduling):  # type: ignore[misc]
        units: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.units is None:
                self.units = json.loads(units_file.read_text(encoding="utf-8"))
            return self.units.get(nodeid, nodeid)

    config.option.loadscopereorder = False  # the workers' order, not the largest unit first
    return UnitScheduling(config, log)
