"""The C-API hash NumPy records in cversions.txt, computed by parsing numpy_api.py.

The file is parsed with `ast` and never imported or executed: it is code from the repository
being released, and importing it would need NumPy's build helpers.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass

from release.errors import PreconditionError

API_DICTS = (
    "multiarray_global_vars",
    "multiarray_scalar_bool_values",
    "multiarray_types_api",
    "multiarray_funcs_api",
    "ufunc_funcs_api",
    "ufunc_types_api",
)
VERSION_LINE = re.compile(r"(^0x[\da-f]{8})\s*=\s*([\da-f]{32})")


@dataclass(frozen=True, order=True)
class Annotation:
    """`MinVersion("2.5")` or `StealRef(2)` as the hash sees them: their C macro text."""

    text: str

    def __str__(self) -> str:
        return self.text


def api_hash(source: str, where: str = "numpy_api.py") -> str:
    """md5 over every API entry's name and value tuple, in index order (NumPy's fullapi_hash)."""
    dicts = api_dicts(source, where)
    chars: list[str] = []
    for name in API_DICTS:
        entries = dicts[name]
        for key, value in sorted(entries.items(), key=lambda item: (*item[1], item[0])):
            chars.append(key)
            chars.append(",".join(map(str, value)))
    return hashlib.md5("".join(chars).encode("ascii"), usedforsecurity=False).hexdigest()


def api_dicts(source: str, where: str = "numpy_api.py") -> dict[str, dict[str, tuple[object, ...]]]:
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise PreconditionError(f"{where} does not parse: {exc.msg} (line {exc.lineno})",
                                hint="fix the file; it is read, never imported") from None
    found: dict[str, dict[str, tuple[object, ...]]] = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in API_DICTS
                and isinstance(node.value, ast.Dict)):
            found[node.targets[0].id] = _entries(node.value, where)
    missing = [name for name in API_DICTS if name not in found]
    if missing:
        raise PreconditionError(f"{where} lacks the API dicts {', '.join(missing)}",
                                hint="check the numpy_api path in [tool.release]")
    return found


def min_versions(source: str, where: str = "numpy_api.py") -> set[tuple[int, int]]:
    """Every (major, minor) named by a MinVersion annotation."""
    out = set()
    for entries in api_dicts(source, where).values():
        for value in entries.values():
            for item in value:
                match = re.fullmatch(r"NPY_(\d+)_(\d+)_API_VERSION", str(item))
                if isinstance(item, Annotation) and match:
                    out.add((int(match[1]), int(match[2])))
    return out


def _entries(node: ast.Dict, where: str) -> dict[str, tuple[object, ...]]:
    entries: dict[str, tuple[object, ...]] = {}
    for key, value in zip(node.keys, node.values, strict=True):
        if not isinstance(key, ast.Constant) or not isinstance(key.value, str):
            raise PreconditionError(f"{where}: an API dict key is not a string literal",
                                    hint="NumPy's API dicts map names to tuples")
        if key.value != "__unused_indices__":
            entries[key.value] = _value(value, where)
    return entries


def _value(node: ast.expr, where: str) -> tuple[object, ...]:
    items = node.elts if isinstance(node, ast.Tuple | ast.List) else [node]
    return tuple(_item(item, where) for item in items)


def _item(node: ast.expr, where: str) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1:
        arg = ast.literal_eval(node.args[0])
        if node.func.id == "MinVersion" and isinstance(arg, str):
            major, minor = arg.split(".")[:2]
            return Annotation(f"NPY_{major}_{minor}_API_VERSION")
        if node.func.id == "StealRef":
            args = arg if isinstance(arg, tuple) else (arg,)
            return Annotation(" ".join(f"NPY_STEALS_REF_TO_ARG({n})" for n in args))
    raise PreconditionError(f"{where}: cannot read API value {ast.unparse(node)!r}",
                            hint="only literals, MinVersion(...) and StealRef(...) are understood")


def read_cversions(text: str, where: str = "cversions.txt") -> dict[int, str]:
    """Version -> hash, as NumPy reads it (the last duplicate wins).

    NumPy's reader skips a line it cannot match, so a mistyped hash line would silently stop
    counting; here any line that is neither a comment nor `0x........ = <md5>` is an error.
    """
    entries: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = VERSION_LINE.match(line)
        if match:
            entries[int(match[1], 16)] = match[2]
        elif line.strip() and not line.lstrip().startswith("#"):
            raise PreconditionError(f"{where} line {number} is not `0x........ = <md5>`: {line!r}",
                                    hint="fix the line; NumPy's reader would skip it")
    return entries
