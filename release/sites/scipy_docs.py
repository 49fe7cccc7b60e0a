"""docs.scipy.org's shapes: the front page's release rows (`index.rst` in scipy/docs.scipy.org),
the served tree (`scipy-X.Y.Z/` folders and the `scipy` link `make upload` points at the newest),
and the version switcher on the project's main (`doc/source/_static/version_switcher.json`,
one entry per release with docs, the stable one `preferred`).

Each is edited as text so that an edit changes exactly the lines SciPy's own commits change.
"""

from __future__ import annotations

import json
import re

from packaging.version import InvalidVersion, Version

from release.errors import PreconditionError

INDEX = "index.rst"
SWITCHER = "doc/source/_static/version_switcher.json"
TRY_EXAMPLES = "try_examples.json"
_ROW = re.compile(r'^(\s*)<p><a href="(\w+)-([0-9][^/"]*)/">')
_LATEST = re.compile(r'(<span><a href=")(\w+)/(\w+)-html-([0-9][^"]*)\.zip(">)')


def release_dir(package: str, version: str) -> str:
    return f"{package}-{version}"


def _key(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def release_rows(index_rst: str, package: str) -> list[str]:
    """The versions the front page lists for `package`, as written, in page order."""
    return [m[3] for line in index_rst.splitlines() if (m := _ROW.match(line)) and m[2] == package]


def with_release(index_rst: str, row: str, package: str, version: str, where: str) -> str:
    """`index_rst` with `row` (the template's lines) above the first listed release older than
    `version`, and the "Latest releases" zip link moved to `version` when it is the newest."""
    if version in release_rows(index_rst, package):
        return index_rst
    lines = index_rst.splitlines(keepends=True)
    new = Version(version)
    rows = [(n, _key(m[3])) for n, line in enumerate(lines)
            if (m := _ROW.match(line)) and m[2] == package]
    if not rows:
        raise PreconditionError(f"{where} lists no {package} release (`<p><a href=\"{package}-X.Y.Z/\">`)",
                                hint="is --doc-repo a clone of the docs.scipy.org-shaped repository?")
    at = next((n for n, key in rows if key is not None and key < new), None)
    if at is None:
        at = _row_end(lines, rows[-1][0])
    lines[at:at] = [row]
    text = "".join(lines)
    newest = all(key is None or key < new for _, key in rows)
    if newest:
        text = _LATEST.sub(lambda m: f"{m[1]}{m[2]}/{m[3]}-html-{version}.zip{m[5]}"
                           if m[2] == package and m[3] == package else m[0], text, count=0)
    return text


def _row_end(lines: list[str], start: int) -> int:
    for number in range(start, len(lines)):
        if lines[number].strip() == "</p>":
            return number + 1
    return start + 1


def latest_zip(index_rst: str, package: str) -> str | None:
    """The version the "Latest releases" `package/package-html-X.Y.Z.zip` link names."""
    for m in _LATEST.finditer(index_rst):
        if m[2] == package and m[3] == package:
            return m[4]
    return None


def enable_try_examples(text: str, where: str) -> str:
    """The uploaded docs' `try_examples.json` with the catch-all `.*` ignore pattern removed
    (what the release manager edits on the server to switch the interactive examples on)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PreconditionError(f"{where} is not valid JSON ({exc.msg})",
                                hint="look at the built file") from None
    patterns = data.get("ignore_patterns") if isinstance(data, dict) else None
    if not isinstance(patterns, list) or ".*" not in patterns:
        return text
    data["ignore_patterns"] = [p for p in patterns if p != ".*"]
    return json.dumps(data, indent=4) + "\n"


# -- version_switcher.json -------------------------------------------------------------------

_ENTRY = re.compile(r"\{[^{}]*\}", re.DOTALL)


def switcher_entries(text: str, where: str) -> list[dict[str, object]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PreconditionError(f"{where} is not valid JSON (line {exc.lineno}: {exc.msg})",
                                hint="fix it by hand, then rerun") from None
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise PreconditionError(f"{where} is not a JSON list of objects",
                                hint="it must be the pydata-sphinx-theme switcher list")
    preferred = [e for e in data if e.get("preferred") is True]
    if len(preferred) != 1:
        raise PreconditionError(f'{where} has {len(preferred)} entries with "preferred": true, '
                                "not exactly one", hint='keep "preferred": true on the stable entry')
    return data


def with_stable(text: str, version: str, url: str, where: str) -> str:
    """The switcher after `version` is released with docs at `url`: a newer release becomes the
    preferred entry (the old stable's entry keeps its place, rewritten, and comes back as a plain
    entry right after it, as SciPy's forward ports do); an older one is added as a plain entry
    in version order. Already listed: unchanged."""
    entries = switcher_entries(text, where)
    if any(e.get("version") == version for e in entries):
        return text
    blocks = list(_ENTRY.finditer(text))
    if len(blocks) != len(entries):
        raise PreconditionError(f"{where}: entries nest or hold braces; cannot edit it as text",
                                hint="edit it by hand")
    index = next(i for i, e in enumerate(entries) if e.get("preferred") is True)
    stable = str(entries[index]["version"])
    new = Version(version)
    old_key = _key(stable)
    block = blocks[index]
    body = block[0]
    if old_key is None or new > old_key:
        promoted = _set_field(_set_field(_set_field(body, "name", f"{version} (stable)"),
                                         "version", version), "url", url)
        plain = _plain(body, stable, str(entries[index]["url"]))
        indent = _indent_before(text, block.start())
        replaced = promoted + ",\n" + indent + plain
        return text[:block.start()] + replaced + text[block.end():]
    template = next((b[0] for i, b in enumerate(blocks) if i != index
                     and _key(str(entries[i].get("version"))) is not None), None)
    if template is None:
        raise PreconditionError(f"{where} has no plain release entry to copy the form of",
                                hint="add the entry by hand")
    position = next((b for i, b in enumerate(blocks) if i != index
                     and (k := _key(str(entries[i].get("version")))) is not None and k < new), None)
    entry = _set_field(_set_field(_set_field(template, "name", version), "version", version),
                       "url", url)
    if position is None:
        last = blocks[-1]
        return text[:last.end()] + ",\n" + _indent_before(text, last.start()) + entry + text[last.end():]
    return (text[:position.start()] + entry + ",\n" + _indent_before(text, position.start())
            + text[position.start():])


def _plain(body: str, version: str, url: str) -> str:
    """`body` (the stable entry) as a plain entry for `version`: no `preferred` line."""
    without = re.sub(r'\n[ \t]*"preferred"\s*:\s*true\s*,?', "", body)
    return _set_field(_set_field(_set_field(without, "name", version), "version", version),
                      "url", url)


def _set_field(body: str, key: str, value: str) -> str:
    pattern = re.compile(r'("' + key + r'"\s*:\s*)"[^"]*"')
    if pattern.search(body) is None:
        raise PreconditionError(f"a version switcher entry has no {key!r}",
                                hint="every entry needs name, version and url")
    return pattern.sub(lambda m: m[1] + json.dumps(value), body, count=1)


def _indent_before(text: str, position: int) -> str:
    line_start = text.rfind("\n", 0, position) + 1
    return text[line_start:position]
