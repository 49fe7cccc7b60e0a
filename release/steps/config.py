"""Show the configuration a step would run with, and where each value comes from.

Layers, lowest first: the built-in profile, the user config (personal settings only), the
repository's `[tool.release]`, `--config`; options on the command line win over all of them.
Secrets are never configuration: only whether their variables are set is shown.
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass
from typing import Any

from release.config import PERSONAL_KEYS, user_config_path
from release.context import Context
from release.steps import Step
from release.steps.common import add_json_option, write_json

STEP = Step(name="config", order=185, journaled=False, read_only=True,
            summary="Show the merged configuration and where each value comes from",
            status=None, resume=None)


@dataclass(frozen=True)
class ConfigOptions:
    """The options argparse parsed for this step."""

    json: bool
    only_set: bool


SECRET_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN", "TWINE_PASSWORD", "PYPI_API_TOKEN")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--show", action="store_true",
                        help="print every setting with its value and source (the default)")
    parser.add_argument("--only-set", action="store_true",
                        help="leave out the values that are the built-in profile's")
    add_json_option(parser, "the settings")


def run(ctx: Context) -> int:
    user = user_config_path(ctx.env)
    profile = f"built-in {ctx.config.profile} profile"
    rows = [(key, value, ctx.config_sources.get(key, profile))
            for key, value in _flat(ctx.config)
            if not (ctx.typed(ConfigOptions).only_set and key not in ctx.config_sources)]
    password_env = ctx.config.mail.password_env
    secrets = {name: bool(ctx.env.get(name)) for name in (*SECRET_VARIABLES, password_env)}
    if ctx.typed(ConfigOptions).json:
        write_json(ctx, "config", {
            "user_config": str(user), "user_config_exists": user.is_file(),
            "settings": [{"key": key, "value": value, "source": source}
                         for key, value, source in rows],
            "secrets": {name: "set" if present else "not set" for name, present in secrets.items()}})
        return 0
    width = max(len(key) for key, _, _ in rows) if rows else 0
    print(f"user config: {user}" + ("" if user.is_file() else " (none)"), file=ctx.out)
    for key, value, source in rows:
        personal = "  (personal)" if key in PERSONAL_KEYS else ""
        print(f"{key.ljust(width)}  {_show(value)}  <- {source}{personal}", file=ctx.out)
    for name, present in secrets.items():
        print(f"{name}: {'set' if present else 'not set'} (from the environment; never shown)",
              file=ctx.out)
    return 0


def _flat(config: Any, prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for field in dataclasses.fields(config):
        value = getattr(config, field.name)
        if dataclasses.is_dataclass(value):
            found += _flat(value, f"{prefix}{field.name}.")
        else:
            found.append((f"{prefix}{field.name}", list(value) if isinstance(value, tuple) else value))
    return found


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) \
        else str(value)


