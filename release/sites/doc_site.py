"""The numpy/doc-shaped repository's index files: the series list in `index.html` and the
version switcher's `_static/versions.json`.

Both are edited as text so that an edit changes exactly the lines NumPy's own commits change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import Version

from release.errors import PreconditionError

INDEX = "index.html"
VERSIONS = "_static/versions.json"
MARKER = "<!-- insert here -->"
_SERIES_RE = re.compile(r"^\d+\.\d+$")
_HREF_RE = re.compile(r'href="([^"]+)"')
_TAG_COMMENT_RE = re.compile(r"^\s*<!---? tag v(\d+\.\d+)\.")


def series_key(series: str) -> Version:
    return Version(series)


def series_directories(root: Path) -> list[str]:
    """Top-level `X.Y` directories: the series whose docs the repository hosts."""
    return sorted((p.name for p in root.iterdir() if p.is_dir() and _SERIES_RE.match(p.name)),
                  key=series_key)


def has_series_link(index_html: str, series: str) -> bool:
    return f'href="{series}"' in index_html


def insert_section(index_html: str, section: str, where: str, series: str | None = None) -> str:
    """Put `section` right after the `<!-- insert here -->` marker (newest first); for an older
    `series`, just above the first section of a series older than it (`<!--- tag vX.Y.Z -->`)."""
    lines = index_html.splitlines(keepends=True)
    marker = next((n for n, line in enumerate(lines) if line.strip() == MARKER), None)
    if marker is None:
        raise PreconditionError(
            f"{where} has no line `{MARKER}` to insert the new series after",
            hint="restore the marker inside <ul class=\"simple\"> (see numpy/doc's history)",
        )
    position = marker + 1
    if series is not None:
        for number in range(marker + 1, len(lines)):
            found = _TAG_COMMENT_RE.match(lines[number])
            if found is None:
                continue
            if series_key(found[1]) < series_key(series):
                break
            position = _section_end(lines, number)
    return "".join(lines[:position]) + section + "".join(lines[position:])


def _section_end(lines: list[str], start: int) -> int:
    """The line after the `</li>` closing the section that starts at `start`."""
    for number in range(start, len(lines)):
        if lines[number].strip() == "</li>":
            return number + 1
    return start


def section_links(section: str) -> list[str]:
    return _HREF_RE.findall(section)


def link_target(root: Path, href: str) -> Path:
    """The file an index link opens: a directory link opens its index.html."""
    target = root / href
    return target / "index.html" if target.is_dir() else target


def broken_links(root: Path, index_html: str, hrefs: list[str]) -> list[str]:
    """The `hrefs` that `index_html` does not carry or that open no file in the repository."""
    return [href for href in hrefs
            if f'href="{href}"' not in index_html or not link_target(root, href).is_file()]


# -- versions.json ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Switcher:
    """The parsed version switcher; `entries` keep their key order for a minimal diff."""

    entries: list[dict[str, Any]]

    @classmethod
    def parse(cls, text: str, where: str) -> Switcher:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PreconditionError(
                f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                hint="fix the file by hand (git diff shows recent edits), then rerun",
            ) from None
        if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
            raise PreconditionError(f"{where} is not a JSON list of objects",
                                    hint="it must be the pydata-sphinx-theme switcher list")
        for entry in data:
            missing = [k for k in ("name", "version", "url") if not isinstance(entry.get(k), str)]
            if missing:
                raise PreconditionError(
                    f"{where}: entry {entry!r} lacks the string field {missing[0]!r}",
                    hint="every entry needs name, version and url",
                )
        preferred = [e for e in data if e.get("preferred") is True]
        if len(preferred) != 1:
            raise PreconditionError(
                f"{where} has {len(preferred)} entries with \"preferred\": true, not exactly one",
                hint="keep \"preferred\": true only on the stable entry",
            )
        return cls(data)

    def dump(self) -> str:
        return json.dumps(self.entries, indent=4, ensure_ascii=False) + "\n"

    @property
    def preferred(self) -> dict[str, Any]:
        return next(e for e in self.entries if e.get("preferred") is True)

    def plain_version(self, entry: dict[str, Any]) -> str:
        """`doc/1.26` (an old quirk of the file) reads as `1.26`."""
        return str(entry["version"]).removeprefix("doc/")

    def has_plain(self, series: str) -> bool:
        return any(self.plain_version(e) == series and e.get("preferred") is not True
                   for e in self.entries)

    def stable_series(self) -> str:
        return self.plain_version(self.preferred)

    def with_series(self, series: str, url_pattern: str) -> Switcher:
        """The switcher after adding `series`: a newer series becomes the stable entry (rewritten
        in place, its URL kept) and the old stable comes back right after it as a plain entry;
        an older series is added as a plain entry in version order."""
        entries = [dict(e) for e in self.entries]
        stable = self.stable_series()
        if stable == series or self.has_plain(series):
            return Switcher(entries)
        if not _SERIES_RE.match(stable) or series_key(series) > series_key(stable):
            index = next(i for i, e in enumerate(entries) if e.get("preferred") is True)
            entries[index]["name"] = f"{series} (stable)"
            entries[index]["version"] = series
            if _SERIES_RE.match(stable) and not self.has_plain(stable):
                entries.insert(index + 1, plain_entry(stable, url_pattern))
            return Switcher(entries)
        position = len(entries)
        for i, entry in enumerate(entries):
            version = self.plain_version(entry)
            if (entry.get("preferred") is not True and _SERIES_RE.match(version)
                    and series_key(version) < series_key(series)):
                position = i
                break
        entries.insert(position, plain_entry(series, url_pattern))
        return Switcher(entries)


def plain_entry(series: str, url_pattern: str) -> dict[str, Any]:
    return {"name": series, "version": series, "url": url_pattern.format(series=series)}
