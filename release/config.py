"""Typed configuration: a built-in profile (NumPy's unless `profile` says otherwise) overridden by
`[tool.release]`."""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from release.errors import ConfigError
from release.profiles import CHOICES, check_choice, merged, profile_table

T = typing.TypeVar("T")


@dataclass(frozen=True)
class GitHubConfig:
    """Where the project lives on GitHub and how releases there look."""

    release_title: str = "v{version} ({date})"
    release_assets: tuple[str, ...] = ("sdist", "readme", "changelog")
    pr_branch_prefix: str = ""
    fork_owner: str = ""  # GitHub login owning fork_remote; default: read from its github.com URL
    api_attempts: int = 6  # tries per GitHub API request on server errors (waits 1, 2, 4, ... s)


@dataclass(frozen=True)
class WheelsConfig:
    """The wheel-building workflow and the matrix its output is checked against."""

    workflow_repo: str = "numpy/numpy-release"
    workflow: str = "wheels.yml"
    workflow_ref: str = ""
    # The matrix (defaults: numpy-release main). CPython ABIs, free-threaded ABIs, PyPy ABIs.
    python: tuple[str, ...] = ("cp312", "cp313", "cp314", "cp315")
    free_threaded: tuple[str, ...] = ("cp314t", "cp315t")
    pypy: tuple[str, ...] = ()
    # NEP 57 tiers that get wheels; `platforms` (if set) replaces the tier selection;
    # `legacy_platforms` adds tier-3 platforms still shipped (win32 up to NumPy 2.5.x).
    tiers: tuple[str, ...] = ("1", "2")
    platforms: tuple[str, ...] = ()
    legacy_platforms: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ("cp314t:macosx_x86_64-openblas",)
    sdist: bool = True
    distribution: str = ""
    # For NumPy itself, use the published matrix of the release's series when it is known.
    series_matrix: bool = True


@dataclass(frozen=True)
class MailConfig:
    """Announcement e-mail: lists and the SMTP server (the password comes from the environment)."""

    to: tuple[str, ...] = ("numpy-discussion@python.org",)
    bcc: tuple[str, ...] = ("python-announce-list@python.org",)
    sender: str = ""
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_user: str = ""
    starttls: bool = True
    password_env: str = "RELEASE_SMTP_PASSWORD"
    subject: str = "{project} {version} released"
    signer: str = ""
    output: str = "release/{package}-{version}-announcement.eml"
    # announcement = "discourse": the post written for discuss.scientific-python.org
    post_output: str = "release/{package}-{version}-announcement.md"
    pypi_url: str = "https://pypi.org/project/{package}/{version}/"
    notes_url: str = "https://numpy.org/doc/stable/release/{version}-notes.html"


@dataclass(frozen=True)
class DocsConfig:
    """The numpy/doc-shaped repository hosting the built docs, and the numpy.org-shaped website."""

    doc_repo: str = ""
    built_html: str = "doc/build/html"
    doc_remote: str = "origin"
    doc_url: str = "https://numpy.org/doc/{series}/"
    doc_commit_message: str = "Add documentation for v{version}"
    website_repo: str = ""
    website_github_repo: str = "numpy/numpy.org"
    website_remote: str = "origin"
    website_fork_owner: str = ""
    website_base: str = "main"
    website_branch: str = "announce-{package}-{version}"
    website_commit_message: str = "announce the {project} {version} release"
    news_file: str = "content/en/news.md"
    # doc_site = "docs-scipy-org": the served tree to upload into (personal: a mount of the doc
    # server), whether patch releases get docs, each release's URL and the version switcher
    upload_dir: str = ""
    patch_releases: bool = True
    release_url: str = ""
    switcher: str = "doc/source/_static/version_switcher.json"
    site_config: str = "content/en/config.yaml"


@dataclass(frozen=True)
class PinsConfig:
    """The platform configurations a marker pin set must cover. An empty axis takes the shipped
    data: the CPython series not at end of life, the NEP 57 platforms of the wheel tiers, CPython."""

    python: tuple[str, ...] = ()  # "3.12", as python_version says
    platforms: tuple[str, ...] = ()  # "Linux-aarch64": platform_system-platform_machine
    implementations: tuple[str, ...] = ()  # "CPython", "PyPy": platform_python_implementation


@dataclass(frozen=True)
class SupportConfig:
    """The support policy a release's Python versions are checked against (NumPy: NEP 29)."""

    policy: str = "nep29"


@dataclass(frozen=True)
class Config:
    """Everything a step needs to know about the project; defaults are NumPy's."""

    profile: str = "numpy"
    # the strategy choices (release/profiles: CHOICES says what each value means)
    credits: str = "changelog"
    series_start: str = "dev-tag"
    branch_version: str = "next"
    rel_commit: str = "pull-request"
    index_entry: str = "labelled"
    mailmap_style: str = "git"
    branching: str = "begin-tag"
    doc_site: str = "numpy-doc"
    website: str = "numpy-org"
    announcement: str = "mail"
    wheel_tags: str = "numpy-release"
    # a folder of the project's own templates, searched before the profile's (templates/<profile>/)
    templates: str = ""
    project: str = "NumPy"
    package: str = "numpy"
    github_repo: str = "numpy/numpy"
    repo: str = ""
    upstream_remote: str = "upstream"
    fork_remote: str = "origin"
    main_branch: str = "main"
    tag_format: str = "v{version}"
    tag_message: str = "{project} {version} release"
    dev_tag_message: str = "Begin {project} {version} development"
    # last line of the reset / post-release / begin commits; "" leaves it out
    skip_ci_line: str = "[skip azp] [skip actions]"
    maintenance_branch: str = "maintenance/{major}.{minor}.x"
    release_branch: str = ""
    sign_tags: bool = False
    signing_key: str = ""
    tag_requires: tuple[str, ...] = ("changelog", "notes")
    pyproject: str = "pyproject.toml"
    changelog: str = "doc/changelog/{version}-changelog.rst"
    notes: str = "doc/source/release/{version}-notes.rst"
    notes_template: str = "doc/source/release/template.rst"
    release_index: str = "doc/source/release.rst"
    fragments_dir: str = "doc/release/upcoming_changes"
    mailmap: str = ".mailmap"
    mailmap_placeholders: tuple[str, ...] = (
        "Your Name", "GitHub", "root", "unknown", "user", "ubuntu", "nobody",
        "you@example.com", "*@localhost", "*@localhost.*", "noreply@github.com",
    )
    # fnmatch patterns (name or e-mail) listed as they are, never flagged; `[bot]` names always
    mailmap_ignore: tuple[str, ...] = ("Copilot", "*@anthropic.com", "*@openai.com")
    meson_build: str = "numpy/_core/meson.build"
    cversions: str = "numpy/_core/code_generators/cversions.txt"
    numpy_api: str = "numpy/_core/code_generators/numpy_api.py"
    numpyconfig: str = "numpy/_core/include/numpy/numpyconfig.h"
    # credits that are not people (AI assistants, bots), left out of the Authors (credits =
    # "authors"): fnmatch patterns on a credit line's <e-mail> or on the name; NumPy lists them
    credits_not_people: tuple[str, ...] = ()
    # names left out of the contributors (NumPy's tools/changelog.py drops exactly these two)
    changelog_drop_names: tuple[str, ...] = ("Homu", "dependabot-preview")
    # pull requests left out of a release's changelog: titles starting with one of these
    changelog_exclude_titles: tuple[str, ...] = ("REL: Prepare for the {project} {version} release",)
    # between a code span and the next character in a title: "auto" follows the series' own
    # earlier changelogs (NumPy's 2.2.x used " ", later series "\\ "), else "\\ "
    changelog_code_separator: str = "auto"
    # pull requests marked for the maintenance branch: this label, or the release's milestone
    backport_label: str = "09 - Backport-Candidate"
    milestone_format: str = "{version} release"
    # the project's own full test run, for the sanity check (run in a scratch clone)
    test_command: tuple[str, ...] = ("python", "-m", "spin", "test", "-m", "full")
    github: GitHubConfig = field(default_factory=GitHubConfig)
    wheels: WheelsConfig = field(default_factory=WheelsConfig)
    mail: MailConfig = field(default_factory=MailConfig)
    docs: DocsConfig = field(default_factory=DocsConfig)
    support: SupportConfig = field(default_factory=SupportConfig)
    pins: PinsConfig = field(default_factory=PinsConfig)


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    source: str
    # where each value that is not the built-in default came from, by dotted key (`mail.sender`)
    sources: dict[str, str] = field(default_factory=dict)
    # the checkout the config's `repo` key named (see `load_config`'s `follow`), if it did
    checkout: Path | None = None


# What belongs to the person, not the project: the only keys a user config may set.
PERSONAL_KEYS = {
    "signing_key": "the gpg key that signs your tags",
    "sign_tags": "whether your tags are signed",
    "github.fork_owner": "your GitHub login, owner of the fork",
    "mail.sender": "your From: address for the announcement",
    "mail.smtp_host": "your mail server", "mail.smtp_port": "its port",
    "mail.smtp_user": "your login there", "mail.starttls": "whether it speaks STARTTLS",
    "mail.signer": "the name that signs the announcement",
    "docs.doc_repo": "your clone of the doc repository",
    "docs.upload_dir": "where the doc server's served tree is mounted",
    "docs.website_repo": "your clone of the website",
    "docs.website_fork_owner": "your login owning the website's fork",
}
USER_CONFIG_NAME = "numpy-release"


def user_config_path(env: typing.Mapping[str, str]) -> Path:
    """`$XDG_CONFIG_HOME/numpy-release/config.toml`, else platformdirs' place for it."""
    if env.get("XDG_CONFIG_HOME"):
        return Path(env["XDG_CONFIG_HOME"]) / USER_CONFIG_NAME / "config.toml"
    import platformdirs

    return Path(platformdirs.user_config_dir(USER_CONFIG_NAME, appauthor=False)) / "config.toml"


def load_config(repo: Path | None, config_file: Path | None = None, *,
                user_file: Path | None = None,
                follow: Callable[[str], Path] | None = None) -> LoadedConfig:
    """The built-in profile, then the user config (personal keys only), then the repository's
    `release.toml` or `pyproject.toml` `[tool.release]`, then `--config`: each layer's keys on top
    of the ones below.

    With `follow` (which makes a `repo` value a path), a `repo` key naming another checkout
    brings that checkout's own `[tool.release]` in under the files that named it; every file is
    read once and the config built once."""
    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"config file {config_file} does not exist", hint="check --config")
    layers: list[tuple[str, dict[str, Any]]] = []
    if user_file is not None and user_file.is_file():
        layers.append(_user_layer(user_file))
    personal = len(layers)
    layers += _repository_layer(repo, config_file)
    if config_file is not None:
        table = _table(config_file)
        if table:
            layers.append((f"[tool.release] in {config_file}", table))
    checkout = None
    named = next((layer["repo"] for _, layer in reversed(layers) if layer.get("repo")), None)
    if follow is not None and isinstance(named, str):
        checkout = follow(named)
        if repo is None or checkout != repo.resolve():
            layers[personal:personal] = _repository_layer(checkout, config_file)
    if not layers:
        return LoadedConfig(Config(), "built-in NumPy profile", checkout=checkout)
    combined: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for where, layer in layers:
        # each layer's own unknown keys and wrong types are named there (the profile: below)
        build(Config, {k: v for k, v in layer.items() if k != "profile"}, where)
        combined = merged(combined, layer)
        sources.update(dict.fromkeys(_dotted(layer), where))
    where = layers[-1][0]
    return LoadedConfig(from_table(combined, where), where, sources, checkout)


def _repository_layer(repo: Path | None, config_file: Path | None) -> list[tuple[str, dict[str, Any]]]:
    """The repository's own `[tool.release]`: release.toml first, else pyproject.toml."""
    if repo is None:
        return []
    for name in ("release.toml", "pyproject.toml"):
        candidate = repo / name
        if candidate.is_file() and candidate != config_file:
            table = _table(candidate)
            if table:
                return [(f"[tool.release] in {candidate}", table)]
    return []


def _dotted(table: dict[str, Any], prefix: str = "") -> list[str]:
    keys = []
    for key, value in table.items():
        name = f"{prefix}{key.replace('-', '_')}"
        keys += _dotted(value, name + ".") if isinstance(value, dict) else [name]
    return keys


def _user_layer(path: Path) -> tuple[str, dict[str, Any]]:
    where = f"the user config {path}"
    table = _read_toml(path)
    table = table.get("tool", {}).get("release", table) if "tool" in table else table
    for key in _dotted(table):
        if key not in PERSONAL_KEYS:
            raise ConfigError(
                f"{where}: {key!r} belongs to the project, not to you",
                hint="set it in the project's [tool.release] (or --config); a user config takes "
                     "only " + ", ".join(PERSONAL_KEYS))
    return where, table


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", hint="fix the file's syntax") from None


def _table(path: Path) -> dict[str, Any]:
    data = _read_toml(path)
    table = data.get("tool", {}).get("release")
    if table is None and path.name != "pyproject.toml":
        table = {k: v for k, v in data.items() if k != "tool"}
    return dict(table or {})


def from_table(table: dict[str, Any], where: str) -> Config:
    """The named built-in profile (default NumPy's) with the table's keys on top."""
    name = table.get("profile", "numpy")
    if not isinstance(name, str):
        raise ConfigError(f"{where}: profile must be a string", hint='profile = "numpy" or "scipy"')
    config = build(Config, merged(profile_table(name, where), table), where)
    for key in CHOICES:
        check_choice(key, getattr(config, key), where)
    return config


def build(cls: type[T], table: dict[str, Any], where: str) -> T:
    """Make a config dataclass from a TOML table, naming any unknown key or wrong type."""
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for key, raw in table.items():
        attr = key.replace("-", "_")
        if attr not in names:
            close = difflib.get_close_matches(attr, names, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(names)}"
            raise ConfigError(f"unknown key {key!r} in {where}", hint=hint)
        values[attr] = _coerce(hints[attr], raw, f"{where}: {key}")
    return cls(**values)


def _coerce(expected: Any, raw: Any, where: str) -> Any:
    if dataclasses.is_dataclass(expected) and isinstance(expected, type):
        if not isinstance(raw, dict):
            raise ConfigError(f"{where} must be a table", hint=f"write [{where.split(': ')[-1]}]")
        return build(expected, raw, where)
    origin = typing.get_origin(expected)
    if origin is tuple:
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise ConfigError(f"{where} must be a list of strings", hint='e.g. ["a", "b"]')
        return tuple(raw)
    if origin in (types.UnionType, typing.Union):
        for option in typing.get_args(expected):
            if option is not type(None) and isinstance(raw, option):
                return raw
    elif isinstance(raw, expected) and not (expected is int and isinstance(raw, bool)):
        return raw
    name = getattr(expected, "__name__", str(expected))
    raise ConfigError(
        f"{where} must be {_TYPE_WORDS.get(name, name)}, not {type(raw).__name__}",
        hint=f"got {raw!r}",
    )


_TYPE_WORDS = {"str": "a string", "int": "an integer", "bool": "true or false"}
