"""Deprecations in the code, as NumPy marks them: a `DEPRECATE(` call (C), a `DeprecationWarning`
(Python), a `deprecate` decorator, near comments and messages that say when (`/* Deprecated
2024-01-17, NumPy 2.0 */`, `# Deprecated in NumPy 2.5, 2026-01-12`, `(Deprecated NumPy 2.5)`).

Markers within a few lines of each other in one file are one deprecation; its version and date are
the first the cluster names. NEP 23 keeps a deprecation for at least two releases: one made in
X.Y is due for review from X.(Y+2). Tests and type stubs are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from release.services.git import GitService

CODE_FILES = ("*.py", "*.c", "*.h", "*.cpp", "*.hpp", "*.c.src", "*.h.src", "*.pyx", "*.pxd")
SKIPPED = ("/tests/", "/testing/_private/", "conftest.py", "/benchmarks/")
# POSIX extended regular expressions (git grep -E): plain groups only.
CALL = r"DEPRECATE\(|DeprecationWarning|@(np\.)?(_utils\.)?deprecate\b"
_SPACE = "[[:space:]]+"
MARKER = "|".join((rf"[Dd]eprecated{_SPACE}(in{_SPACE})?NumPy{_SPACE}[0-9]+\.[0-9]+",
                   rf"DEPRECATED{_SPACE}NumPy{_SPACE}[0-9]+\.[0-9]+",
                   rf"Deprecated{_SPACE}[0-9]{{4}}-[0-9]{{2}}"))
GREP = f"{CALL}|{MARKER}"
_VERSION = re.compile(r"(?i)deprecated\b[^\n]{0,40}?\bNumPy\s+(\d+)\.(\d+)")
_DATE = re.compile(r"\b(\d{4}-\d{2}(?:-\d{2})?)\b")
_CALL = re.compile(r"DEPRECATE\(|DeprecationWarning|@(np\.)?(_utils\.)?deprecate\b")
_MARKER = re.compile(r"(?i)deprecated\s+(in\s+)?NumPy\s+\d+\.\d+|Deprecated\s+\d{4}-\d{2}")
# A warning class named, not raised: declarations, imports, comments and docstrings about it.
_NOT_A_SITE = re.compile(r"^(\*|#|//|class |from |import |def |PyObject \*|IMPORT_GLOBAL|\"|')")
WINDOW = 6  # lines: markers this close belong to one deprecation


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    text: str


@dataclass(frozen=True)
class Deprecation:
    path: str
    line: int
    kind: str  # "C DEPRECATE", "DeprecationWarning", "decorator", "comment"
    version: tuple[int, int] | None
    date: str
    text: str

    @property
    def version_text(self) -> str:
        return f"{self.version[0]}.{self.version[1]}" if self.version else ""

    def due(self, release: tuple[int, int]) -> bool:
        """NEP 23: made at least two releases before `release` (X.Y)."""
        if self.version is None:
            return False
        major, minor = release
        return (major, minor) >= (self.version[0], self.version[1] + 2) or major > self.version[0]


def grep(git: GitService, rev: str | None) -> list[Hit]:
    """Every marker line in the code files at `rev` (None: the work tree's tracked files)."""
    argv = ["grep", "-n", "-I", "-E", GREP, *([rev] if rev else []), "--", *CODE_FILES]
    status, out = git.status_and_output(argv)
    if status not in (0, 1):
        raise_grep(f"exit {status}")
    hits = []
    for line in out.splitlines():
        if rev:
            line = line.removeprefix(f"{rev}:")
        path, number, text = line.split(":", 2)
        text = text.strip()
        if any(part in f"/{path}" for part in SKIPPED) or path.endswith(".pyi"):
            continue
        if not _MARKER.search(text) and _NOT_A_SITE.match(text):
            continue
        hits.append(Hit(path, int(number), text))
    return hits


def raise_grep(out: str) -> None:
    from release.errors import GitError

    raise GitError(f"git grep failed: {out.strip()[:200]}", hint="check --ref")


def cluster(hits: Iterable[Hit]) -> list[Deprecation]:
    """Neighbouring marker lines of one file as one deprecation, anchored on its call."""
    found: list[Deprecation] = []
    group: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.path, h.line)):
        if group and (hit.path != group[-1].path or hit.line - group[-1].line > WINDOW):
            found.append(_one(group))
            group = []
        group.append(hit)
    if group:
        found.append(_one(group))
    return found


def _one(group: list[Hit]) -> Deprecation:
    call = next((h for h in group if _CALL.search(h.text)), None)
    anchor = call or group[0]
    text = " ".join(h.text for h in group)
    version = _VERSION.search(text)
    date = _DATE.search(" ".join(h.text for h in group if "eprecat" in h.text or "DEPRECAT" in h.text))
    return Deprecation(anchor.path, anchor.line, _kind(anchor.text if call else ""),
                       (int(version[1]), int(version[2])) if version else None,
                       date[1] if date else "", anchor.text[:120])


def _kind(text: str) -> str:
    if "DEPRECATE(" in text:
        return "C DEPRECATE"
    if "DeprecationWarning" in text:
        return "DeprecationWarning"
    if "deprecate" in text:
        return "decorator"
    return "comment"


def added_lines(git: GitService, start: str, end: str) -> dict[str, set[int]]:
    """Line numbers (in `end`) each code file gained between `start` and `end`."""
    out = git.run(["diff", "--unified=0", "--no-color", "--no-ext-diff", f"{start}..{end}", "--",
                   *CODE_FILES])
    added: dict[str, set[int]] = {}
    path = ""
    for line in out.splitlines():
        if line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else ""
        elif line.startswith("@@") and path:
            match = re.search(r"\+(\d+)(?:,(\d+))?", line)
            if match:
                first, count = int(match[1]), int(match[2] or 1)
                added.setdefault(path, set()).update(range(first, first + count))
    return added
