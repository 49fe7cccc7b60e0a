"""Several files of a repository, on several branches, in one GraphQL query.

The REST contents endpoint answers one file of one ref a request; the release repository's rows
read two files on two branches. GraphQL's `object(expression: "REF:PATH")` names each by alias,
so all of them cost one request and one point. A ref or file that is not there is null, as the
REST endpoint's 404 is None. Without a token (GitHub's GraphQL API takes none), or for a file
GitHub does not give as text (binary, or cut short), the REST endpoint is asked instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from release.services.github import GitHubService


def files_query(owner: str, name: str, wanted: Sequence[tuple[str, str]]) -> str:
    """`f0`, `f1`, ... for each (ref, path) of `wanted`, in order."""
    fields = "... on Blob { text isBinary isTruncated }"
    aliases = " ".join(f"f{i}: object(expression: {json.dumps(f'{ref}:{path}')}) {{ {fields} }}"
                       for i, (ref, path) in enumerate(wanted))
    return f'query {{ repository(owner: {json.dumps(owner)}, name: {json.dumps(name)}) {{ {aliases} }} }}'


def file_texts(service: GitHubService,
               wanted: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
    """Each (ref, path)'s text, None where the ref or the file is not there."""
    unique = list(dict.fromkeys(wanted))
    if not unique:
        return {}
    if not service.has_token:
        return {(ref, path): service.file_text(path, ref) for ref, path in unique}
    owner, _, name = service.repo_name.partition("/")
    data = service.graphql.post(files_query(owner, name, unique),
                                f"read {len(unique)} files of {service.repo_name}")
    repository: dict[str, Any] = data.get("repository") or {}
    found: dict[tuple[str, str], str | None] = {}
    for i, (ref, path) in enumerate(unique):
        blob = repository.get(f"f{i}")
        if not isinstance(blob, dict):
            found[(ref, path)] = None  # no such ref or file (or a directory)
        elif blob.get("text") is None or blob.get("isBinary") or blob.get("isTruncated"):
            found[(ref, path)] = service.file_text(path, ref)
        else:
            found[(ref, path)] = str(blob["text"])
    return found
