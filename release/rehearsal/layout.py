"""Look at the HTML report in a real browser at a wide and a narrow window, as a reader would.

`python -m release.rehearsal.layout REPORT.html [--shots DIR]` takes a screenshot at 1400 and
800 px wide and measures the laid-out page: stage titles on one line at 1400 px; the verdict,
the findings and the forecast above the first table; nothing wider than the window; the
verdict's colour on the first screen. Exit 1 when something is off, one line per problem.
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from release.errors import ReleaseError
from release.rehearsal.pictures import COLOURS
from release.services.browser import dom_after_load, screenshot
from release.templating import render

WIDTHS = (1400, 800)
SCREEN = 900  # the first screen's height, where the verdict must show
LEVEL_COLOURS = {"green": COLOURS["ok"], "amber": COLOURS["amber"], "red": COLOURS["failed"]}

@dataclass
class Look:
    """The page at one window width: what was measured and what is off."""

    width: int
    measured: dict[str, object]
    png: Path
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def look(page: Path, width: int, shots: Path) -> Look:
    html = page.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="release-layout-") as tmp:
        probed = Path(tmp) / page.name
        # the probe measures the laid-out page and leaves the figures for --dump-dom to carry out
        probed.write_text(html.replace("</body>", render("rehearsal-layout-probe.html.j2") + "</body>", 1),
                          encoding="utf-8")
        dom = dom_after_load(probed, width, SCREEN)
    found = re.search(r'<pre id="layout-probe">(.*?)</pre>', dom, re.DOTALL)
    if found is None:
        raise ReleaseError(f"the page at {width} px gave no measurements",
                           hint="open it in a browser and look at the console")
    measured = json.loads(found[1].replace("&quot;", '"').replace("&amp;", "&")
                          .replace("&lt;", "<").replace("&gt;", ">"))
    png = screenshot(page, shots / f"{page.stem}-{width}.png", width, SCREEN)
    return Look(width, measured, png, problems(measured, width, png))


def problems(m: dict[str, object], width: int, png: Path) -> list[str]:
    said = []
    wrapped = m.get("wrapped") or []
    assert isinstance(wrapped, list)
    if width >= 1400 and wrapped:
        said.append(f"{len(wrapped)} stage titles wrap at {width} px, e.g. {wrapped[0]!r}")
    table = m.get("first_table")
    for part in ("verdict", "findings", "forecast"):
        where = m.get(part)
        if where is None:
            if part != "findings" or m.get("level") != "green":
                said.append(f"no {part} on the page")
        elif isinstance(table, (int, float)) and isinstance(where, (int, float)) and where > table:
            said.append(f"the {part} ends at {where:.0f} px, below the first table ({table:.0f} px)")
    scroll = m.get("scroll_width")
    if isinstance(scroll, int) and scroll > width:
        said.append(f"the page is {scroll} px wide in a {width} px window")
    level = str(m.get("level"))
    if level in LEVEL_COLOURS and not shows(png, LEVEL_COLOURS[level]):
        said.append(f"the {level} verdict's colour is not on the first screen")
    return said


def shows(png: Path, colour: str) -> bool:
    """Whether pixels of `colour` (#rrggbb) are in the screenshot."""
    want = bytes.fromhex(colour.lstrip("#"))
    width, _, channels, rows = read_png(png, SCREEN // 2)
    for row in rows:
        for x in range(0, width * channels, channels):
            if all(abs(row[x + i] - want[i]) <= 6 for i in range(3)):
                return True
    return False


def read_png(path: Path, limit: int | None = None) -> tuple[int, int, int, list[bytes]]:
    """An 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) as rows of pixels, the
    first `limit` rows only when given."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ReleaseError(f"{path} is not a PNG", hint="take the screenshot again")
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ReleaseError(f"{path}: a PNG kind this reader does not know", hint="use RGB(A), 8 bit")
    channels = 3 if colour_type == 2 else 4
    raw, stride, rows = zlib.decompress(idat), width * channels, []
    previous = bytearray(stride)
    for y in range(min(height, limit or height)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            line[x] = (line[x] + (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m release.rehearsal.layout",
                                     description="look at a rehearsal report in headless Chromium")
    parser.add_argument("report", type=Path, help="rehearsal-report.html")
    parser.add_argument("--shots", type=Path, help="where to keep the screenshots "
                                                   "(default: beside the report)")
    args = parser.parse_args(argv)
    shots = args.shots or args.report.parent
    shots.mkdir(parents=True, exist_ok=True)
    try:
        looks = [look(args.report, width, shots) for width in WIDTHS]
    except ReleaseError as exc:
        print(f"error: {exc.message}\nhint: {exc.hint}", file=sys.stderr)
        return 1
    for seen in looks:
        m = seen.measured
        print(f"{seen.width} px: {'ok' if seen.ok else 'PROBLEMS'}; {m['titles']} stage titles, "
              f"{len(m['wrapped'])} wrapped; verdict ends {m['verdict']}, findings "  # type: ignore[arg-type]
              f"{m['findings']}, forecast {m['forecast']}, first table at {m['first_table']}; "
              f"screenshot {seen.png}")
        for problem in seen.problems:
            print(f"  problem: {problem}")
    return 0 if all(seen.ok for seen in looks) else 1


if __name__ == "__main__":
    sys.exit(main())
