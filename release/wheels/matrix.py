"""The files a release must publish: wheels per interpreter and platform, plus one sdist.

The platform catalogue carries NumPy's filename tags (numpy-release's manylinux/musllinux images,
macOS deployment targets per BLAS variant) and each platform's NEP 57 tier. A matrix is read from
`[tool.release.wheels]`; for NumPy itself the published matrix of a known series wins.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from release.config import Config, WheelsConfig
from release.errors import ConfigError
from release.version import ReleaseVersion
from release.wheels.platform_tiers import platform_tier, tier_of

_INTERPRETER_RE = re.compile(r"^(cp|pp)3(\d+)(t?)$")


@dataclass(frozen=True)
class Interpreter:
    """One wheel ABI: `cp312`, free-threaded `cp314t`, PyPy `pp311`."""

    name: str
    minor: int
    pypy: bool = False
    free_threaded: bool = False

    @classmethod
    def parse(cls, name: str, where: str) -> Interpreter:
        match = _INTERPRETER_RE.match(name)
        if not match or (match[1] == "pp" and match[3]):
            raise ConfigError(f"{where}: {name!r} is not an interpreter tag",
                              hint="use cp312, cp314t (free-threaded) or pp311 (PyPy)")
        return cls(name, int(match[2]), pypy=match[1] == "pp", free_threaded=bool(match[3]))

    @property
    def tags(self) -> str:
        """The `{python}-{abi}` part of a wheel filename."""
        if self.pypy:
            return f"pp3{self.minor}-pypy3{self.minor}_pp73"
        return f"cp3{self.minor}-{self.name}"


def _macos_x86_64_openblas(interp: Interpreter) -> str:
    # The python.org builds' deployment targets: 10.9 up to 3.11, 10.13 for 3.12-3.13, then 10.15.
    if interp.pypy or interp.minor >= 14:
        return "macosx_10_15_x86_64"
    return "macosx_10_13_x86_64" if interp.minor >= 12 else "macosx_10_9_x86_64"


@dataclass(frozen=True)
class Platform:
    """A build row of the workflow: its name, NEP 57 tier and the tag its wheels carry."""

    key: str
    tier: str
    tag: Callable[[Interpreter], str]
    pypy: bool = True


def _fixed(tag: str) -> Callable[[Interpreter], str]:
    return lambda _interp: tag


def _row(key: str, tag: Callable[[Interpreter], str], pypy: bool = True) -> Platform:
    """A build row whose tier is the one NEP 57's table (release/data/platforms.toml) gives."""
    return Platform(key, tier_of(key), tag, pypy)


PLATFORMS: dict[str, Platform] = {p.key: p for p in (
    _row("manylinux_x86_64", _fixed("manylinux_2_27_x86_64.manylinux_2_28_x86_64")),
    _row("manylinux_aarch64", _fixed("manylinux_2_27_aarch64.manylinux_2_28_aarch64")),
    _row("musllinux_x86_64", _fixed("musllinux_1_2_x86_64"), pypy=False),
    _row("musllinux_aarch64", _fixed("musllinux_1_2_aarch64"), pypy=False),
    _row("macosx_x86_64-openblas", _macos_x86_64_openblas),
    _row("macosx_x86_64-accelerate", _fixed("macosx_14_0_x86_64")),
    _row("macosx_arm64-openblas", _fixed("macosx_11_0_arm64")),
    _row("macosx_arm64-accelerate", _fixed("macosx_14_0_arm64")),
    _row("win_amd64", _fixed("win_amd64")),
    _row("win_arm64", _fixed("win_arm64"), pypy=False),
    _row("win32", _fixed("win32"), pypy=False),
)}

# scipy-release's macOS OpenBLAS rows set their own deployment targets (10.15 on x86-64, 12.3 on
# arm64, which wheel tags write as 12_0); its other rows carry numpy-release's tags.
SCIPY_RELEASE_TAGS: dict[str, str] = {
    "macosx_x86_64-openblas": "macosx_10_15_x86_64",
    "macosx_arm64-openblas": "macosx_12_0_arm64",
}
WHEEL_TAGS: dict[str, dict[str, str]] = {"numpy-release": {}, "scipy-release": SCIPY_RELEASE_TAGS}
"""Per `wheel_tags` choice, the platforms whose tag differs from the catalogue's."""

# NEP 57: free-threaded CPython is a Tier 2 dimension across every platform.
FREE_THREADED_TIER = tier_of("free-threaded")

# numpy-release's published matrices per maintenance branch (2.6 is its main branch).
NUMPY_SERIES: dict[str, WheelsConfig] = {
    "2.4": WheelsConfig(python=("cp311", "cp312", "cp313", "cp314"),
                        free_threaded=("cp313t", "cp314t"), pypy=("pp311",),
                        legacy_platforms=("win32",),
                        exclude=("cp313t:macosx_x86_64-openblas",
                                 "cp314t:macosx_x86_64-openblas")),
    "2.5": WheelsConfig(python=("cp312", "cp313", "cp314"), free_threaded=("cp314t",),
                        legacy_platforms=("win32",)),
    "2.6": WheelsConfig(),
}


@dataclass(frozen=True)
class ExpectedFile:
    filename: str
    interpreter: str  # "" for the sdist
    platform: str  # "sdist" for the sdist

    @property
    def is_sdist(self) -> bool:
        return self.platform == "sdist"


@dataclass(frozen=True)
class Matrix:
    """Interpreters x platforms minus exclusions, for one distribution."""

    source: str
    distribution: str
    interpreters: tuple[Interpreter, ...]
    platforms: tuple[Platform, ...]
    exclude: frozenset[tuple[str, str]]
    sdist: bool

    def files(self, version: ReleaseVersion | str) -> list[ExpectedFile]:
        """Every expected filename: wheels in matrix order, the sdist last."""
        stem = f"{wheel_name(self.distribution)}-{version}"
        found = [
            ExpectedFile(f"{stem}-{interp.tags}-{plat.tag(interp)}.whl",
                         interp.name, plat.key)
            for interp in self.interpreters
            for plat in self.platforms
            if (interp.name, plat.key) not in self.exclude and (plat.pypy or not interp.pypy)
        ]
        if self.sdist:
            found.append(ExpectedFile(sdist_name(self.distribution, str(version)), "", "sdist"))
        return found

    def platform_labels(self, version: ReleaseVersion | str) -> dict[str, str]:
        """Each wheel's platform and NEP 57 tier, to say what a missing file costs."""
        labels = {}
        for item in self.files(version):
            if item.is_sdist:
                continue
            label = platform_tier(item.platform).describe()
            if item.interpreter.endswith("t"):
                label += f"; free-threaded, tier {FREE_THREADED_TIER}"
            labels[item.filename] = label
        return labels

    def filenames(self, version: ReleaseVersion | str) -> list[str]:
        return [item.filename for item in self.files(version)]

    def describe(self, version: ReleaseVersion | str) -> str:
        files = self.files(version)
        wheels = [f for f in files if not f.is_sdist]
        sdist = " + 1 sdist" if len(wheels) != len(files) else ""
        return (f"{len(wheels)} wheels{sdist} = {len(files)} files "
                f"({len(self.interpreters)} interpreters x {len(self.platforms)} platforms, "
                f"{self.source})")


def wheel_name(distribution: str) -> str:
    """The distribution name as wheel and sdist filenames spell it (PEP 427/625)."""
    return re.sub(r"[-_.]+", "_", distribution).lower()


def sdist_name(distribution: str, version: str) -> str:
    """`numpy-2.4.0.tar.gz`: the distribution name normalised as the sdist spec says."""
    return f"{wheel_name(distribution)}-{version}.tar.gz"


def matrix_for(config: Config, version: ReleaseVersion) -> Matrix:
    """NumPy's published matrix for a known series, else `[tool.release.wheels]`."""
    wheels = config.wheels
    distribution = wheels.distribution or config.package
    source = "[tool.release.wheels]"
    if wheels.series_matrix and wheel_name(distribution) == "numpy" \
            and version.series in NUMPY_SERIES:
        wheels = NUMPY_SERIES[version.series]
        source = f"numpy-release maintenance/{version.series}.x matrix"
    return build_matrix(wheels, distribution, source, tags=WHEEL_TAGS[config.wheel_tags])


def build_matrix(wheels: WheelsConfig, distribution: str, source: str, *,
                 tags: dict[str, str] | None = None) -> Matrix:
    """The matrix of `wheels`; `tags` replaces the catalogue's tag of the platforms it names."""
    where = source
    interpreters = [Interpreter.parse(n, f"{where} python") for n in wheels.python]
    interpreters += [Interpreter.parse(n, f"{where} pypy") for n in wheels.pypy]
    for name in wheels.free_threaded:
        interp = Interpreter.parse(name, f"{where} free_threaded")
        if not interp.free_threaded:
            raise ConfigError(f"{where} free_threaded: {name!r} has no `t` suffix",
                              hint=f"write {name}t")
        if FREE_THREADED_TIER in wheels.tiers:
            interpreters.append(interp)
    interpreters.sort(key=lambda i: (i.pypy, i.minor, i.free_threaded))
    names = wheels.platforms or tuple(k for k, p in PLATFORMS.items() if p.tier in wheels.tiers)
    platforms = [_platform(name, where) for name in _unique((*names, *wheels.legacy_platforms))]
    own = tags or {}
    platforms = [dataclasses.replace(p, tag=_fixed(own[p.key])) if p.key in own else p
                 for p in platforms]
    return Matrix(source, distribution, tuple(interpreters), tuple(platforms),
                  frozenset(_exclusion(item, where) for item in wheels.exclude), wheels.sdist)


def _platform(name: str, where: str) -> Platform:
    if name not in PLATFORMS:
        close = difflib.get_close_matches(name, PLATFORMS, n=1)
        raise ConfigError(f"{where}: unknown platform {name!r}",
                          hint=f"did you mean {close[0]!r}?" if close
                          else f"known platforms: {', '.join(PLATFORMS)}")
    return PLATFORMS[name]


def _exclusion(item: str, where: str) -> tuple[str, str]:
    interp, sep, platform = item.partition(":")
    if not sep:
        raise ConfigError(f"{where} exclude: {item!r} is not INTERPRETER:PLATFORM",
                          hint='e.g. "cp314t:macosx_x86_64-openblas"')
    Interpreter.parse(interp, f"{where} exclude")
    _platform(platform, f"{where} exclude")
    return interp, platform


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
