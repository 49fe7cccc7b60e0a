"""Turning GitHub's refusals into one-line `ServiceError`s that say what to do next.

Shared by the REST helpers (PyGithub's `GithubException`) and the GraphQL client (raw responses),
so every GitHub failure reads the same whichever module hit it. Messages never include the token.
"""

from __future__ import annotations

import datetime
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any, TextIO

import requests
from github.GithubException import GithubException

from release.errors import ServiceError

TOKEN_VARS = "GITHUB_TOKEN (or GH_TOKEN)"
TOKEN_HINT = f"set {TOKEN_VARS} to a GitHub token, for example: export GITHUB_TOKEN=$(gh auth token)"


class Transient(Exception):
    """A 5xx or no answer at all: worth retrying after a pause, by callers with their own
    backoff (the GraphQL client)."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def missing_token(action: str, offline_hint: bool = False) -> ServiceError:
    hint = TOKEN_HINT + ("; or pass --offline to work without GitHub" if offline_hint else "")
    return ServiceError(f"a GitHub token is needed to {action}, and none is set", hint=hint)


def unreachable(api_url: str, action: str, exc: Exception) -> ServiceError:
    """No answer at all (DNS, refused connection, timeout): name the root, never the request."""
    return ServiceError(f"could not reach GitHub at {api_url} to {action} ({_why(exc)})",
                        hint="check the network and GITHUB_API_URL")


def unreadable(api_url: str, action: str, exc: Exception) -> ServiceError:
    """An answer that is not JSON, or not the JSON GitHub sends: the URL is probably not GitHub."""
    return ServiceError(f"GitHub at {api_url} sent an answer the toolkit cannot read while trying "
                        f"to {action} ({type(exc).__name__})",
                        hint="check GITHUB_API_URL: it must be GitHub's REST API root "
                             "(https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise)")


def _why(exc: Exception) -> str:
    """What went wrong, in words: a timeout, a refused connection, a name that does not resolve."""
    text = str(exc)
    for needle, words in (("timed out", "no answer in time"), ("Read timed out", "no answer in time"),
                          ("Connection refused", "connection refused"),
                          ("Name or service not known", "unknown host"),
                          ("nodename nor servname", "unknown host"),
                          ("Max retries exceeded", "no answer after retries")):
        if needle in text:
            return f"{type(exc).__name__}: {words}"
    return type(exc).__name__


def secondary_gave_up(action: str) -> ServiceError:
    return ServiceError(f"GitHub's secondary rate limit kept refusing to {action}",
                        hint="wait a few minutes and rerun; avoid parallel runs with the same token")


def wait_out_secondary(headers: Mapping[str, Any], sleep: Callable[[float], None],
                       progress: TextIO, url: str = "") -> None:
    """A secondary limit means the request was not carried out: wait as GitHub asks (its
    Retry-After header), say so."""
    wait = retry_after(lookup(headers, "retry-after"))
    where = f" at {url}" if url else ""
    print(f"GitHub secondary rate limit{where}: waiting {wait:g} s as asked", file=progress)
    sleep(wait)


def lookup(headers: Mapping[str, Any], name: str) -> str | None:
    """A header by case-insensitive name (PyGithub lower-cases them, requests does not care)."""
    for key, value in headers.items():
        if str(key).lower() == name:
            return str(value)
    return None


def retry_after(raw: str | None) -> float:
    """Seconds GitHub asked us to wait; a minute if it did not say (GitHub's own advice)."""
    try:
        return max(1.0, float(raw)) if raw is not None else 60.0
    except ValueError:
        return 60.0


def reset_text(headers: Mapping[str, Any]) -> str:
    """'at 12:34 UTC (in 17 min)' from GitHub's x-ratelimit-reset epoch seconds, if present."""
    raw = lookup(headers, "x-ratelimit-reset")
    try:
        epoch = int(str(raw))
    except ValueError:
        return "when GitHub's rate-limit window ends (usually within the hour)"
    when = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    minutes = max(0, round((epoch - datetime.datetime.now(datetime.UTC).timestamp()) / 60))
    return f"at {when:%H:%M} UTC (in {minutes} min)"


def is_secondary(status: int, headers: Mapping[str, Any], message: str) -> bool:
    return status in (403, 429) and (
        lookup(headers, "retry-after") is not None or "secondary rate limit" in message.lower())


def is_primary(status: int, headers: Mapping[str, Any], message: str) -> bool:
    return status in (403, 429) and (
        lookup(headers, "x-ratelimit-remaining") == "0" or "api rate limit" in message.lower())


def permission_text(headers: Mapping[str, Any], needs: str | None) -> str | None:
    """What the token lacks: GitHub's X-Accepted-GitHub-Permissions ("contents=write") when it
    says, else what the step knows it needs ("pull requests: write")."""
    accepted = lookup(headers, "x-accepted-github-permissions")
    if accepted:
        return ", ".join(part.replace("_", " ").replace("=", ": ")
                         for part in accepted.split(",") if part.strip()).strip()
    return needs


def no_rights(status: int, headers: Mapping[str, Any], action: str, repo: str, said: str,
              needs: str | None) -> ServiceError:
    """403, or a 404 on a write (GitHub hides a repository from a token lacking the permission)."""
    wanted = permission_text(headers, needs)
    if wanted is None:
        return ServiceError(f"the token has no rights to {action} in {repo}{said}",
                            hint="use a token with write access (classic: `repo` scope; fine-grained: "
                                 "contents, pull requests, issues and actions read/write)")
    scope = "`workflow` scope" if wanted.startswith("workflows") else "`repo` scope"
    return ServiceError(f"the token may not {action} in {repo}{said}; this needs {wanted}",
                        hint=f"give the token {wanted} on {repo} (fine-grained), or the {scope} "
                             "(classic), and rerun")


def describe_failure(status: int, headers: Mapping[str, Any], message: str, action: str,
                     repo: str, api_url: str = "https://api.github.com", needs: str | None = None,
                     write: bool = False) -> ServiceError:
    """One `ServiceError` per kind of refusal: bad token, rate limits, no rights, missing, outage.
    `needs` is the permission the request takes ("contents: write"); `write` says it changes
    something, so a 404 may be GitHub hiding a missing permission."""
    said = f" ({status}: {message})" if message else f" ({status})"
    if status == 401:
        return ServiceError(f"GitHub rejected the token while trying to {action}{said}",
                            hint=f"check that {TOKEN_VARS} holds a valid, unexpired token")
    if is_secondary(status, headers, message):
        wait = lookup(headers, "retry-after") or "60"
        return ServiceError(f"GitHub's secondary rate limit stopped the attempt to {action}",
                            hint=f"wait {wait} s and run the command again; avoid parallel runs")
    if is_primary(status, headers, message):
        return ServiceError(f"GitHub's rate limit is used up; could not {action}",
                            hint=f"it resets {reset_text(headers)}; rerun then (cached results are kept)")
    if status == 403:
        return no_rights(status, headers, action, repo, said, needs)
    if status == 404 and write and needs:
        return ServiceError(f"GitHub answered 404 to the attempt to {action} in {repo}; it says "
                            f"that when the token lacks {needs} (or cannot see the repository)",
                            hint=f"give the token {needs} on {repo} (classic: `repo` scope), check "
                                 "the repository name, and rerun")
    if status == 404:
        return ServiceError(f"GitHub found nothing while trying to {action} in {repo}{said}",
                            hint="check the repository name (github_repo in [tool.release]) and that "
                                 "the token can see it")
    if status == 422:
        return ServiceError(f"GitHub refused to {action}{said}",
                            hint="the request conflicts with what is already on GitHub; look there first")
    if status >= 500:
        return ServiceError(f"GitHub failed ({status}) while trying to {action} (at {api_url})",
                            hint=outage_hint(api_url))
    return ServiceError(f"GitHub refused to {action}{said}", hint="see the message GitHub gave above")


def github_message(data: Any) -> str:
    """GitHub's `message`, plus any validation `errors[]` (its message, else which field of what
    was found invalid), as one line."""
    if not isinstance(data, Mapping):
        return ""
    parts = [str(data.get("message") or "")]
    for item in data.get("errors") or ():
        if isinstance(item, Mapping) and item.get("message"):
            parts.append(str(item["message"]))
        elif isinstance(item, Mapping):
            named = " ".join(str(item[key]) for key in ("resource", "field") if item.get(key))
            parts.append(f"{named} {item.get('code') or ''}".strip())
        else:
            parts.append(str(item))
    return " ".join("; ".join(part for part in parts if part).split())  # one line


def response_message(response: requests.Response) -> str:
    """GitHub's message from a raw `requests` response ("" for an HTML error page)."""
    try:
        return github_message(response.json())
    except ValueError:
        return ""


def service_error(exc: GithubException, action: str, repo: str,
                  api_url: str = "https://api.github.com", needs: str | None = None,
                  write: bool = False) -> ServiceError:
    """Translate a PyGithub exception (any status) into the toolkit's ServiceError."""
    return describe_failure(exc.status, exc.headers or {}, github_message(exc.data), action, repo,
                            api_url, needs, write)


def outage_hint(api_url: str) -> str:
    """githubstatus.com speaks only for github.com; any other root is checked first."""
    if urllib.parse.urlsplit(api_url).hostname == "api.github.com":
        return "GitHub may be having trouble (https://www.githubstatus.com); retry later"
    return (f"check that {api_url} is the right GitHub API root (GITHUB_API_URL) and that its "
            "server is up; retry later")
