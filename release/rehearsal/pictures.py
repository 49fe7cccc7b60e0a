"""The report's pictures, as SVG to embed in the HTML page (nothing loaded at view time).

Three things a release manager would rather look at than read: the real release as a timeline
(steps, wheel builds, the review, on an hour scale), the GitHub budget as bars against the
hourly limits, and which steps ran as dry run, for real and again, coloured by outcome. This
module only lays them out; the SVG text comes from templates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from release.rehearsal.forecast import LIMITS, Forecast, Span
from release.templating import render

# One palette for the page and the pictures: status -> (fill, text on it).
COLOURS = {"ok": "#2e7d32", "refused": "#558b2f", "amber": "#e69b00", "failed": "#c62828",
           "not-run": "#bdbdbd", "steps": "#1565c0", "build": "#6a1b9a", "review": "#00838f"}
MODES = ("dry run", "real", "rerun")
LABEL_WIDTH, ROW_HEIGHT, CHART_WIDTH = 190, 26, 640


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str = ""
    title: str = ""
    link: str = ""


def timeline_svg(lanes: Sequence[tuple[str, list[Span]]]) -> str:
    """One lane per version; each span a bar, at least a few pixels wide so a quick run of
    steps still shows; hour ticks under the lanes."""
    longest = max((lane[-1].end for _, lane in lanes if lane), default=0.0)
    hours = max(1, math.ceil(longest))
    scale = CHART_WIDTH / hours
    bars, labels = [], []
    for row, (version, lane) in enumerate(lanes):
        y = 10 + row * (ROW_HEIGHT + 26)
        labels.append((y + ROW_HEIGHT / 2 + 4, f"{version} ({_hours(lane[-1].end if lane else 0)})"))
        for span in lane:
            width = max(span.hours * scale, 4.0)
            minutes = span.hours * 60
            bars.append(Bar(LABEL_WIDTH + span.start * scale, y, width, ROW_HEIGHT,
                            COLOURS[span.kind], span.label if width > 90 else "",
                            f"{span.label}: {minutes:.1f} min" if minutes < 60 else
                            f"{span.label}: {_hours(span.hours)}",
                            f"#stage-{span.stages[0]}" if span.stages else ""))
    height = 10 + len(lanes) * (ROW_HEIGHT + 26) + 24
    ticks = [(LABEL_WIDTH + h * scale, f"{h} h") for h in range(hours + 1)]
    return render("rehearsal-timeline.svg.j2", width=LABEL_WIDTH + CHART_WIDTH + 40,
                  height=height, bars=bars, labels=labels, ticks=ticks, axis=height - 22,
                  left=LABEL_WIDTH, right=LABEL_WIDTH + CHART_WIDTH,
                  legend=[("steps (time measured here)", COLOURS["steps"]),
                          ("wheel build (about 1 hour)", COLOURS["build"]),
                          ("review (assumed)", COLOURS["review"])])


def budget_svg(fc: Forecast) -> str:
    """The real release's REST requests, as GitHub counts them, as a bar against each hourly
    limit; past the limit the bar turns red and runs off the end."""
    bars = []
    for row, (name, limit) in enumerate(LIMITS):
        share = fc.counted / limit
        y = 10 + row * (ROW_HEIGHT + 14)
        colour = COLOURS["failed"] if share > 1 else COLOURS["amber"] if share > 0.5 else COLOURS["ok"]
        bars.append((Bar(LABEL_WIDTH, y, CHART_WIDTH, ROW_HEIGHT, "#eeeeee"),
                     Bar(LABEL_WIDTH, y, max(2.0, min(share, 1.0) * CHART_WIDTH), ROW_HEIGHT, colour,
                         f"{fc.counted:,} of {limit:,} requests an hour ({share:.1%})",
                         f"{name.replace('`', '')}: {limit:,} REST requests an hour"),
                     name.replace("`", "")))
    return render("rehearsal-budget.svg.j2", width=LABEL_WIDTH + CHART_WIDTH + 40,
                  height=10 + len(LIMITS) * (ROW_HEIGHT + 14), bars=bars, left=LABEL_WIDTH)


@dataclass(frozen=True)
class Cell:
    status: str  # the worst outcome among the stages in it
    stages: tuple[tuple[int, str], ...]  # (number, status label)


def matrix_svg(rows: Sequence[tuple[str, dict[str, Cell]]]) -> str:
    """Walkthrough steps down, dry run / real / rerun across, each cell in its status colour
    and linked to its stage; an empty cell is a mode the rehearsal does not run for the step."""
    cell_w, cell_h = 90, 20
    cells, labels = [], []
    for row, (name, by_mode) in enumerate(rows):
        y = 30 + row * (cell_h + 4)
        labels.append((y + cell_h / 2 + 4, name))
        for column, mode in enumerate(MODES):
            cell = by_mode.get(mode)
            x = LABEL_WIDTH + column * (cell_w + 6)
            if cell is None:
                cells.append(Bar(x, y, cell_w, cell_h, "none"))
                continue
            title = "; ".join(f"stage {n}: {label}" for n, label in cell.stages)
            cells.append(Bar(x, y, cell_w, cell_h, COLOURS[cell.status], cell.status.replace("-", " "),
                             f"{name}, {mode}: {title}", f"#stage-{cell.stages[0][0]}"))
    heads = [(LABEL_WIDTH + column * (cell_w + 6) + cell_w / 2, mode) for column, mode in enumerate(MODES)]
    return render("rehearsal-matrix.svg.j2", width=LABEL_WIDTH + 3 * (cell_w + 6) + 20,
                  height=40 + len(rows) * (cell_h + 4), cells=cells, labels=labels, heads=heads)


def _hours(hours: float) -> str:
    return f"{hours:.1f} h"
