"""The HTML report looked at in headless Chromium, at 1400 and 800 px wide: stage titles on one
line at 1400 px, the verdict, the findings and the forecast above the first table, nothing wider
than the window, the verdict's colour on the first screen. Chromium comes from Debian's
`chromium` package (.ci/run installs it)."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest

from release.cli import main
from release.rehearsal.layout import WIDTHS, look, read_png, shows
from release.services.browser import chromium


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's rehearsal (1.2.0rc1, then 1.2.0: amber, over 70 stages, long titles)."""
    tmp = tmp_path_factory.mktemp("layout")
    code = main(["rehearse", "--workdir", str(tmp / "w")], env=dict(os.environ),
                out=io.StringIO(), err=io.StringIO())
    assert code == 0
    return tmp / "w" / "rehearsal-report.html"


def test_chromium_is_there() -> None:
    assert Path(chromium()).is_file(), "install Chromium: apt-get install chromium"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_reads_well_at(report: Path, width: int, tmp_path: Path) -> None:
    seen = look(report, width, tmp_path)
    assert seen.problems == []
    m = seen.measured
    assert m["width"] == width and isinstance(m["titles"], int) and m["titles"] > 70
    if width >= 1400:
        assert m["wrapped"] == []
    table = m["first_table"]
    assert isinstance(table, float | int)
    for part in ("verdict", "findings", "forecast"):
        where = m[part]
        assert isinstance(where, float | int) and where < table, part
    assert m["level"] == "amber" and m["findings_count"] == 2
    assert seen.png.is_file() and read_png(seen.png, 1)[0] == width


def test_the_check_catches_a_squeezed_page(report: Path, tmp_path: Path) -> None:
    """The same page with the stage titles allowed to wrap in a narrow table, and the verdict
    moved below the stages: the check says both."""
    page = report.read_text(encoding="utf-8")
    verdict = page[page.index('<section id="verdict"'):page.index("</section>") + len("</section>")]
    squeezed = (page.replace(verdict, "")
                .replace('<section id="stage-details">', verdict + '<section id="stage-details">')
                .replace("table.stages td.title { white-space: nowrap; }",
                         "table.stages td.title { white-space: normal; width: 9em; }")
                .replace("table.stages { width: 100%; }", "table.stages { width: 40em; }"))
    bad = tmp_path / "squeezed.html"
    bad.write_text(squeezed, encoding="utf-8")
    problems = look(bad, 1400, tmp_path).problems
    assert any("stage titles wrap at 1400 px" in problem for problem in problems), problems
    assert any(problem.startswith("the verdict ends at") for problem in problems), problems


def test_the_png_reader_and_the_colour_look(tmp_path: Path) -> None:
    """Two rows of two pixels, filters None and Up, read back; the colour is found only where
    it is."""
    rows = [b"\x00" + bytes([230, 155, 0, 255, 0, 0, 0, 255]),
            b"\x02" + bytes([0, 0, 0, 0, 10, 10, 10, 0])]
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    png = tmp_path / "p.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 6, 0, 0, 0))
                    + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))
    width, height, channels, pixels = read_png(png)
    assert (width, height, channels) == (2, 2, 4)
    assert pixels[1] == bytes([230, 155, 0, 255, 10, 10, 10, 255])  # Up adds the row above
    assert shows(png, "#e69b00") and not shows(png, "#c62828")
