"""Every answer in a fake GitHub transcript against GitHub's OpenAPI description of its operation.

A *break* is what would mislead the toolkit: a status the operation does not have, or a field the
toolkit reads (`github_operations.READS`) missing, mistyped or outside its enum. Everything else
the schema does not allow (fields the toolkit never reads) is a *deviation*, counted and listed.
Statuses GitHub gives on any endpoint (401, 403, 404, 429, 5xx: authentication, rate limits,
a repository the token cannot see, outages) are allowed everywhere.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from contracts.github_operations import OPERATIONS, READS, UNDESCRIBED_STATUSES
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

HERE = Path(__file__).resolve().parent
ANY_ENDPOINT = frozenset({401, 403, 404, 429, 500, 502, 503, 504})
SKIPPED = ("POST /graphql", "GET /_objects")  # GraphQL is checked with its schema; storage is not API


@dataclass
class Report:
    exchanges: int = 0
    checked: int = 0
    bodies: int = 0
    breaks: Counter[str] = field(default_factory=Counter)
    deviations: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        return (f"GitHub contract ({spec_source()}): {self.exchanges} answers of the fake GitHub, "
                f"{self.checked} distinct ones against their operation ({self.bodies} bodies): "
                f"{sum(self.breaks.values())} breaks, {sum(self.deviations.values())} other "
                "deviations")


def spec_source() -> str:
    match = re.search(r"`@octokit/openapi` ([\w.]+)", (HERE / "SOURCES.md").read_text())
    return f"@octokit/openapi {match.group(1) if match else '?'}"


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((HERE / "github-openapi.json").read_text())
    loaded["components"] = _nullable(loaded["components"])
    return loaded


def _nullable(value: Any) -> Any:
    """OpenAPI 3.0's `nullable: true` as JSON Schema says it (null allowed)."""
    if isinstance(value, list):
        return [_nullable(item) for item in value]
    if not isinstance(value, dict):
        return value
    converted = {key: _nullable(item) for key, item in value.items() if key != "nullable"}
    if value.get("nullable") is True:
        if isinstance(converted.get("type"), str):
            converted["type"] = [converted["type"], "null"]
            if "enum" in converted:
                converted["enum"] = [*converted["enum"], None]
        else:
            return {"anyOf": [converted, {"type": "null"}]}
    return converted


def operation(endpoint: str) -> tuple[str, dict[str, Any]] | None:
    path = OPERATIONS.get(endpoint)
    if path is None:
        return None
    method = endpoint.split(" ", 1)[0].lower()
    return path, spec()["paths"][path][method]


def response_spec(op: dict[str, Any], status: int) -> dict[str, Any] | None:
    found: dict[str, Any] | None = op["responses"].get(str(status))
    if found is not None and "$ref" in found:
        found = spec()["components"]["responses"][found["$ref"].rsplit("/", 1)[1]]
    return found


@cache
def validator(path: str, method_status: str) -> Draft202012Validator | None:
    method, status = method_status.split(" ")
    op = spec()["paths"][path][method]
    response = response_spec(op, int(status))
    schema = (((response or {}).get("content") or {}).get("application/json") or {}).get("schema")
    if schema is None:
        return None
    root = {"components": spec()["components"], **_nullable(schema)}
    return Draft202012Validator(root)


def _leaf(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf, the failure inside the branch that came closest."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        error = best_match(error.context)
    return error


def _field(error: Any) -> str:
    parts = [str(part) for part in error.absolute_path if not isinstance(part, int)]
    if error.validator == "required":
        missing = re.search(r"'(.+?)' is a required property", error.message)
        if missing:
            parts.append(missing.group(1))
    return "/".join(parts)


def _reads(path: str, name: str) -> bool:
    if not name:  # the answer as a whole is not what the operation gives
        return bool(READS.get(path))
    return any(read == name or read.startswith(name + "/") for read in READS.get(path, ()))


def check(exchanges: Iterable[dict[str, Any]]) -> Report:
    """Each distinct answer once (the same body from another fake's port is the same answer;
    an answer kept without its body is the same whatever its ETag)."""
    report = Report()
    seen: set[str] = set()
    for exchange in exchanges:
        report.exchanges += 1
        endpoint = exchange["endpoint"]
        if endpoint in SKIPPED:
            continue
        key = re.sub(r"127\.0\.0\.1:\d+", "ROOT", json.dumps(exchange, sort_keys=True))
        key = re.sub(r'W/\\"[0-9a-f]+\\"', "ETAG", key)
        if key in seen:
            continue
        seen.add(key)
        found = operation(endpoint)
        if found is None:
            report.deviations[f"{endpoint}: not an operation of GitHub's REST description"] += 1
            continue
        report.checked += 1
        path, op = found
        for problem, is_break in _problems(path, op, exchange, report):
            if is_break:
                report.breaks[f"{endpoint} {exchange['status']}: {problem}"] += 1
            else:
                report.deviations[f"{endpoint} {exchange['status']}: {problem}"] += 1
    return report


def _problems(path: str, op: dict[str, Any], exchange: dict[str, Any],
              report: Report) -> Iterator[tuple[str, bool]]:
    status = int(exchange["status"])
    response = response_spec(op, status)
    if status == 304 and exchange.get("body"):
        yield "a 304 with a body", True
    if status == 304 and response is None and exchange["endpoint"].startswith("GET "):
        # GitHub answers any conditional GET this way (docs: "Use conditional requests"); the
        # description lists 304 on a few operations only.
        yield "status 304, which GitHub gives to a matching If-None-Match but does not describe", False
        return
    if response is None and status not in ANY_ENDPOINT and "default" not in op["responses"]:
        known = UNDESCRIBED_STATUSES.get((path, status))
        if known is None:
            yield f"status {status} is not one of {sorted(op['responses'])}", True
        else:
            yield f"status {status}, which GitHub gives ({known}) but does not describe", False
        return
    headers = {key.lower() for key in exchange["headers"]}
    for name, declared in ((response or {}).get("headers") or {}).items():
        needed = declared.get("required") or (300 <= status < 400 and name.lower() == "location")
        if needed and name.lower() not in headers:
            yield f"header {name} missing", name.lower() == "location"
    if status == 204 and exchange.get("body"):
        yield "a 204 with a body", True
    check_body = validator(path, f"{exchange['endpoint'].split(' ')[0].lower()} {status}")
    if check_body is None or exchange.get("body") is None:
        return
    report.bodies += 1
    body = json.loads(exchange["body"])
    for error in map(_leaf, check_body.iter_errors(body)):
        name = _field(error)
        message = re.sub(r"http://127\.0\.0\.1:\d+", "ROOT", error.message)[:160]
        yield f"{name or '(top)'}: {message}", _reads(path, name)


def read_transcript(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)
