"""The C-API version in its three places (meson.build, cversions.txt, numpyconfig.h) checked
against the hash of numpy_api.py, following NumPy's release guide.

Everything here is pure: texts in, CheckResults out. A hash or version mismatch fails; a
missing `NPY_X_Y_API_VERSION` macro only warns, because NumPy adds it sometimes at the start of
a cycle and sometimes at the first API change.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from release.checks.capi import api_hash, min_versions, read_cversions
from release.checks.result import CheckResult
from release.config import Config
from release.errors import PreconditionError
from release.repo.files import RepoFiles
from release.templating import render
from release.version import ReleaseVersion

AREA = "C-API"
_API_RE = re.compile(r"^C_API_VERSION\s*=\s*'(0x[0-9a-fA-F]{8})'", re.M)
_ABI_RE = re.compile(r"^C_ABI_VERSION\s*=\s*'(0x[0-9a-fA-F]{8})'", re.M)
_MACRO_RE = re.compile(r"^#define NPY_(\d+)_(\d+)_API_VERSION\s+(0x[0-9a-fA-F]{8})\s*$", re.M)
_FEATURE_RE = re.compile(
    r"^#elif NPY_FEATURE_VERSION == NPY_(\d+)_(\d+)_API_VERSION(.*)$"
    r"|^#if NPY_FEATURE_VERSION == NPY_(\d+)_(\d+)_API_VERSION(.*)$", re.M)


@dataclass(frozen=True)
class CapiFiles:
    """The four files' texts and the names to use for them in messages."""

    meson: str
    cversions: str
    numpy_api: str
    numpyconfig: str
    meson_path: str = "meson.build"
    cversions_path: str = "cversions.txt"
    numpy_api_path: str = "numpy_api.py"
    numpyconfig_path: str = "numpyconfig.h"


@dataclass(frozen=True)
class Macro:
    major: int
    minor: int
    value: int
    line: int
    text: str


def meson_versions(text: str, where: str) -> tuple[int, int | None]:
    """(C_API_VERSION, C_ABI_VERSION or None) from meson.build."""
    api = _API_RE.search(text)
    if api is None:
        raise PreconditionError(f"{where} has no line C_API_VERSION = '0x........'",
                                hint="check the meson_build path in [tool.release]")
    abi = _ABI_RE.search(text)
    return int(api[1], 16), int(abi[1], 16) if abi else None


def macros(text: str) -> list[Macro]:
    found = []
    for match in _MACRO_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        found.append(Macro(int(match[1]), int(match[2]), int(match[3], 16), line, match[0].strip()))
    return found


def macro_line(major: int, minor: int, value: int) -> str:
    return f"#define NPY_{major}_{minor}_API_VERSION 0x{value:08x}"


def cversions_entry(value: int, hash_: str) -> str:
    return f"0x{value:08x} = {hash_}"


def cversions_comment(value: int, project: str, major: int, minor: int) -> str:
    return f"# Version {value} ({project} {major}.{minor}.0)"


def check_capi(files: CapiFiles, major: int, minor: int, project: str) -> list[CheckResult]:
    """Rules 1-5 of NumPy's C-API consistency check for the release series major.minor."""
    version, abi = meson_versions(files.meson, files.meson_path)
    computed = api_hash(files.numpy_api, files.numpy_api_path)
    entries = read_cversions(files.cversions, files.cversions_path)
    if not entries:
        raise PreconditionError(f"{files.cversions_path} has no `0x........ = <md5>` lines",
                                hint="check the cversions path in [tool.release]")
    found = macros(files.numpyconfig)
    results = [_abi(files, abi, major)]
    results.append(_hash(files, version, computed, entries, project, major, minor))
    results.append(_series_macro(files, found, version, major, minor))
    results.append(_macro_order(files, found))
    results.append(_min_versions(files, found, version))
    results.append(_feature_string(files, major, minor))
    results.append(_cversions_comment(files, version, project, major, minor))
    results.append(_meson_comment(files, version, major, minor))
    return results


def missing_cversions_line(files: CapiFiles, project: str, major: int, minor: int) -> str | None:
    """The text `--fix` appends to cversions.txt, or None when nothing is missing there."""
    version, _ = meson_versions(files.meson, files.meson_path)
    entries = read_cversions(files.cversions, files.cversions_path)
    if version in entries or (entries and max(entries) > version):
        return None
    return _new_entry(version, api_hash(files.numpy_api, files.numpy_api_path), project, major, minor)


def _new_entry(version: int, hash_: str, project: str, major: int, minor: int) -> str:
    """The comment and hash lines for a new C-API version, as `--fix` writes them."""
    return render("cversions-entry.txt.j2", api_version=version, project=project,
                  version=f"{major}.{minor}.0", hash=hash_)


def _abi(files: CapiFiles, abi: int | None, major: int) -> CheckResult:
    name = "C_ABI_VERSION"
    if abi is None:
        return CheckResult.warn(AREA, name, f"{files.meson_path} has no C_ABI_VERSION line",
                                f"add to {files.meson_path}: C_ABI_VERSION = '0x{major:02x}000000'")
    if abi >> 24 != major:
        return CheckResult.warn(AREA, name, f"0x{abi:08x} does not belong to major version {major}",
                                "C_ABI_VERSION changes only for a major release")
    return CheckResult.ok(AREA, name, f"0x{abi:08x}")


def _hash(files: CapiFiles, version: int, computed: str, entries: dict[int, str], project: str,
          major: int, minor: int) -> CheckResult:
    name = "cversions.txt hash"
    newest = max(entries)
    where = f"{files.meson_path} says C_API_VERSION 0x{version:08x}"
    if newest > version:
        return CheckResult.fail(
            AREA, name, f"{where}, but {files.cversions_path} goes up to 0x{newest:08x}",
            f"in {files.meson_path}: C_API_VERSION = '0x{newest:08x}'")
    if version not in entries:
        return CheckResult.fail(
            AREA, name, f"{where}, but {files.cversions_path} has no entry for it",
            f"add to {files.cversions_path} (or run with --fix):\n"
            + _new_entry(version, computed, project, major, minor).rstrip("\n"))
    if entries[version] != computed:
        return CheckResult.fail(
            AREA, name,
            f"{files.numpy_api_path} hashes to {computed}, {files.cversions_path} records "
            f"{entries[version]} for 0x{version:08x}: the C API changed",
            f"set C_API_VERSION = '0x{version + 1:08x}' in {files.meson_path} and add "
            f"`{cversions_entry(version + 1, computed)}` to {files.cversions_path}\n"
            f"(if no release has shipped 0x{version:08x} yet, instead replace its line with "
            f"`{cversions_entry(version, computed)}`)")
    return CheckResult.ok(AREA, name, f"0x{version:08x} = {computed} matches {files.numpy_api_path}")


def _series_macro(files: CapiFiles, found: list[Macro], version: int, major: int,
                  minor: int) -> CheckResult:
    name = f"NPY_{major}_{minor}_API_VERSION"
    want = macro_line(major, minor, version)
    mine = [m for m in found if (m.major, m.minor) == (major, minor)]
    if not mine:
        return CheckResult.warn(AREA, name, f"{files.numpyconfig_path} does not define it yet",
                                f"add to {files.numpyconfig_path}: {want}")
    macro = mine[-1]
    if macro.value != version:
        return CheckResult.fail(
            AREA, name,
            f"{files.numpyconfig_path} line {macro.line}: `{macro.text}` but C_API_VERSION is "
            f"0x{version:08x}",
            f"change {files.numpyconfig_path} line {macro.line} to: {want}")
    return CheckResult.ok(AREA, name, f"0x{version:08x} ({files.numpyconfig_path} line {macro.line})")


def _macro_order(files: CapiFiles, found: list[Macro]) -> CheckResult:
    name = "API version macros"
    ordered = sorted(found, key=lambda m: (m.major, m.minor))
    for before, after in itertools.pairwise(ordered):
        if after.value < before.value:
            return CheckResult.fail(
                AREA, name, f"{files.numpyconfig_path} line {after.line}: `{after.text}` is lower "
                f"than `{before.text}`",
                f"change line {after.line} to: "
                f"{macro_line(after.major, after.minor, before.value)} (or higher)")
    return CheckResult.ok(AREA, name, f"{len(found)} macros, non-decreasing")


def _min_versions(files: CapiFiles, found: list[Macro], version: int) -> CheckResult:
    name = "MinVersion annotations"
    used = min_versions(files.numpy_api, files.numpy_api_path)
    known = {(m.major, m.minor): m for m in found}
    missing = sorted(used - known.keys())
    if missing:
        lines = [macro_line(a, b, version) for a, b in missing]
        return CheckResult.fail(
            AREA, name, f"{files.numpy_api_path} uses MinVersion for "
            f"{', '.join(f'{a}.{b}' for a, b in missing)} without a macro",
            f"add to {files.numpyconfig_path}: " + "; ".join(lines))
    if used:
        top = known[max(used)]
        if top.value > version:
            return CheckResult.fail(
                AREA, name, f"MinVersion(\"{top.major}.{top.minor}\") needs 0x{top.value:08x}, "
                f"C_API_VERSION is 0x{version:08x}",
                f"in {files.meson_path}: C_API_VERSION = '0x{top.value:08x}'")
        newest = f"; newest {top.major}.{top.minor}"
    else:
        newest = ""
    return CheckResult.ok(AREA, name, f"{len(used)} versions used{newest}")


def _feature_string(files: CapiFiles, major: int, minor: int) -> CheckResult:
    name = "NPY_FEATURE_VERSION_STRING"
    chain = list(_FEATURE_RE.finditer(files.numpyconfig))
    if not chain:
        return CheckResult.ok(AREA, name, f"{files.numpyconfig_path} has no version-string chain")
    series = f"{major}.{minor}"
    for match in chain:
        own = (match[1] or match[4], match[2] or match[5])
        rest = match[3] if match[3] is not None else match[6]
        if own == (str(major), str(minor)) or re.search(rf"also\b[^*]*\b{re.escape(series)}\b", rest):
            return CheckResult.ok(AREA, name, f"covers {series}")
    return CheckResult.warn(
        AREA, name, f"the #elif chain in {files.numpyconfig_path} does not cover {series}",
        f"add `#elif NPY_FEATURE_VERSION == NPY_{major}_{minor}_API_VERSION` with "
        f"`#define NPY_FEATURE_VERSION_STRING \"{series}\"`, or an `/* also {series} */` comment")


def _cversions_comment(files: CapiFiles, version: int, project: str, major: int,
                       minor: int) -> CheckResult:
    name = "cversions.txt comment"
    pattern = re.compile(rf"^#\s*Version\s+(\d+)\s+\(\S+\s+{major}\.{minor}\.0\)", re.M | re.I)
    match = pattern.search(files.cversions)
    want = cversions_comment(version, project, major, minor)
    if match is None:
        return CheckResult.warn(AREA, name, f"no `# Version … ({project} {major}.{minor}.0)` line",
                                f"add above the 0x{version:08x} line: {want}")
    if int(match[1]) != version:
        line = files.cversions.count("\n", 0, match.start()) + 1
        return CheckResult.warn(AREA, name, f"line {line} `{match[0]}` says version {match[1]}, "
                                f"C_API_VERSION is {version}", f"change line {line} to start: {want}")
    return CheckResult.ok(AREA, name, match[0])


def _meson_comment(files: CapiFiles, version: int, major: int, minor: int) -> CheckResult:
    name = "meson.build comment"
    want = f"# 0x{version:08x} - {major}.{minor}.x"
    if re.search(rf"^{re.escape(want)}\s*$", files.meson, re.M):
        return CheckResult.ok(AREA, name, want)
    return CheckResult.warn(AREA, name, f"no `{want}` line in the table above C_API_VERSION",
                            f"add to {files.meson_path}: {want}")


def load_capi_files(files: RepoFiles, config: Config) -> CapiFiles:
    meson_path, meson = files.require(config.meson_build, "meson.build")
    cversions_path, cversions = files.require(config.cversions, "cversions.txt")
    numpy_api_path, numpy_api = files.require(config.numpy_api, "numpy_api.py")
    numpyconfig_path, numpyconfig = files.require(config.numpyconfig, "numpyconfig.h")
    return CapiFiles(meson=meson, cversions=cversions, numpy_api=numpy_api, numpyconfig=numpyconfig,
                     meson_path=meson_path, cversions_path=cversions_path,
                     numpy_api_path=numpy_api_path, numpyconfig_path=numpyconfig_path)


def no_capi(config: Config) -> CheckResult:
    """The row for a project that says it has no NumPy-style C API (`cversions = ""`)."""
    return CheckResult.ok("C-API", "C-API version",
                          f'none to check: cversions = "" in {config.project}\'s [tool.release]')


def capi_results(files: RepoFiles, config: Config, version: ReleaseVersion) -> list[CheckResult]:
    """The C-API rows for `version` from the files at `files`' commit (or work tree)."""
    if not config.cversions:
        return [no_capi(config)]
    return check_capi(load_capi_files(files, config), version.major, version.minor, config.project)
