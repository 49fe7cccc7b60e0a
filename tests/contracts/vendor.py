"""Regenerate the vendored slices of GitHub's contracts from the npm packages GitHub publishes.

    python tests/contracts/vendor.py            # npm-installs the newest into a temp dir
    python tests/contracts/vendor.py --from DIR # a node_modules dir that already has both

Writes, beside this file:
- `github-openapi.json`: the operations in `github_operations.OPERATIONS` from
  `@octokit/openapi`'s `generated/api.github.com.json`, with every component they refer to;
- `github-schema.graphql`: the types and fields of `@octokit/graphql-schema` that the toolkit's
  GraphQL documents and the fake's schema use (with their arguments, enums and interfaces);
- `SOURCES.md`: the package versions they came from (both packages are MIT-licensed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_schema,
    get_named_type,
    parse,
    print_type,
    visit,
)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE.parent))

from contracts.github_operations import OPERATIONS  # noqa: E402

OPENAPI = "@octokit/openapi"
GRAPHQL = "@octokit/graphql-schema"


def install(dest: Path) -> Path:
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(dest),
                    OPENAPI, GRAPHQL], check=True)
    return dest / "node_modules"


def version(modules: Path, package: str) -> str:
    return str(json.loads((modules / package / "package.json").read_text())["version"])


def refs(value: Any) -> set[str]:
    """Every `$ref` inside a JSON value."""
    if isinstance(value, dict):
        found = {value["$ref"]} if isinstance(value.get("$ref"), str) else set()
        for item in value.values():
            found |= refs(item)
        return found
    if isinstance(value, list):
        return set().union(*(refs(item) for item in value)) if value else set()
    return set()


def openapi_slice(description: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for endpoint, path in sorted(OPERATIONS.items()):
        method = endpoint.split(" ", 1)[0].lower()
        item = description["paths"][path]
        paths.setdefault(path, {})[method] = item[method]
    components: dict[str, dict[str, Any]] = {}
    todo = refs(paths)
    done: set[str] = set()
    while todo:
        ref = todo.pop()
        done.add(ref)
        _, _, kind, name = ref.split("/", 3)
        value = description["components"][kind][name]
        components.setdefault(kind, {})[name] = value
        todo |= refs(value) - done
    return {"openapi": description["openapi"], "info": description["info"], "paths": paths,
            "components": {kind: dict(sorted(items.items())) for kind, items in sorted(components.items())}}


def used_fields(schema: GraphQLSchema, documents: list[str]) -> dict[str, set[str]]:
    """Type name -> field names the documents select (through the full schema's types)."""
    used: dict[str, set[str]] = {"Query": set()}
    info = TypeInfo(schema)

    class Collect(Visitor):
        def enter_field(self, node: Any, *_: Any) -> None:
            parent = info.get_parent_type()
            if parent is not None:
                used.setdefault(parent.name, set()).add(node.name.value)

    for document in documents:
        visit(parse(document), TypeInfoVisitor(info, Collect()))
    return used


def graphql_slice(schema: GraphQLSchema, used: dict[str, set[str]]) -> str:
    """SDL of the used fields of the used types, plus every type their arguments and results need."""
    keep: dict[str, GraphQLNamedType] = {}
    todo = list(used)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        kind = schema.type_map[name]
        keep[name] = kind
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
            wanted = used.setdefault(name, set())
            for field_name in wanted:
                field: GraphQLField = kind.fields[field_name]
                todo.append(get_named_type(field.type).name)
                todo += [get_named_type(arg.type).name for arg in field.args.values()]
            if isinstance(kind, GraphQLInterfaceType):
                for other in schema.get_possible_types(kind):
                    if other.name in used:
                        todo.append(other.name)
        elif isinstance(kind, GraphQLInputObjectType):
            todo += [get_named_type(f.type).name for f in kind.fields.values()]
    parts = []
    for name in sorted(keep):
        kind = keep[name]
        if name.startswith("__") or (isinstance(kind, GraphQLScalarType) and name in
                                     ("String", "Int", "Boolean", "ID", "Float")):
            continue
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
            interfaces = [i for i in kind.interfaces if i.name in keep]
            wanted = used.get(name, set()).union(*(used.get(i.name, set()) for i in interfaces))
            fields = {n: f for n, f in kind.fields.items() if n in wanted}
            cls = type(kind)
            kind = cls(name, fields, interfaces=interfaces, description=kind.description)
        elif not isinstance(kind, GraphQLEnumType | GraphQLScalarType | GraphQLInputObjectType):
            continue
        parts.append(print_type(kind))
    return "\n\n".join(parts) + "\n"


def toolkit_documents() -> list[str]:
    from release.fakes import github_graphql as fake
    from release.services import github_graphql as toolkit
    from release.services.github_files import files_query
    from release.services.github_triage import triage_query
    from release.services.github_version import version_query

    return [toolkit.BUDGET_QUERY, toolkit.pull_query("numpy", "numpy", [1, 2]),
            triage_query("numpy", "numpy", [1, 2]),
            version_query("numpy", "numpy", "v2.4.0", ["prepare-2.4.0", "begin-2.4.1"]),
            files_query("numpy", "numpy-release", [("main", "pyproject.toml")]),
            fake_documents(fake.SCHEMA_SDL)]


def fake_documents(sdl: str) -> str:
    """One document selecting every field of the fake's schema, so the slice holds them all."""
    fake = build_schema(sdl)

    def selection(kind: GraphQLNamedType, depth: int) -> str:
        if not isinstance(kind, GraphQLObjectType | GraphQLInterfaceType) or depth > 4:
            return ""
        parts = []
        for name, field in kind.fields.items():
            args = ", ".join(f"{arg}: {_literal(spec.type)}" for arg, spec in field.args.items()
                             if "!" in str(spec.type))
            inner = selection(get_named_type(field.type), depth + 1)
            parts.append(f"{name}{f'({args})' if args else ''}{f' {{ {inner} }}' if inner else ''}")
        if isinstance(kind, GraphQLInterfaceType):
            for other in fake.get_possible_types(kind):
                parts.append(f"... on {other.name} {{ {selection(other, depth + 1)} }}")
        return " ".join(parts)

    assert fake.query_type is not None
    return "query { " + selection(fake.query_type, 0) + " }"


def _literal(kind: Any) -> str:
    name = get_named_type(kind).name
    return {"Int": "1", "String": '"x"', "Boolean": "true"}.get(name, '"x"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="modules", type=Path,
                        help="a node_modules directory holding both packages")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        modules = args.modules or install(Path(temp))
        description = json.loads((modules / OPENAPI / "generated/api.github.com.json").read_text())
        sliced = openapi_slice(description)
        (HERE / "github-openapi.json").write_text(json.dumps(sliced, indent=1, sort_keys=True) + "\n")
        # GitHub's published SDL defines a few fields twice, which strict SDL validation refuses.
        schema = build_schema((modules / GRAPHQL / "schema.graphql").read_text(), assume_valid_sdl=True)
        sdl = graphql_slice(schema, used_fields(schema, toolkit_documents()))
        (HERE / "github-schema.graphql").write_text(sdl)
        (HERE / "SOURCES.md").write_text(
            "# Where the vendored GitHub contracts come from\n\n"
            f"- `github-openapi.json`: npm `{OPENAPI}` {version(modules, OPENAPI)}, "
            "`generated/api.github.com.json`, the operations in `github_operations.py` and the "
            "components they use. MIT licence (Copyright (c) 2020 Octokit contributors).\n"
            f"- `github-schema.graphql`: npm `{GRAPHQL}` {version(modules, GRAPHQL)}, "
            "`schema.graphql`, the types and fields the toolkit's GraphQL documents and the fake's "
            "schema use. MIT licence (Copyright (c) GitHub).\n\n"
            "Regenerate both with `python tests/contracts/vendor.py`.\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
