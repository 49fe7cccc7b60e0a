"""The only code that talks to a package index: list what it holds, `twine check`, upload.

Listing uses the simple API (PEP 691 JSON when the index offers it, else PEP 503 HTML with
`#sha256=` fragments), which PyPI, TestPyPI and pypiserver all serve. Twine runs in-process
through its Python API, one file per call, so progress and resumption are per file. Passwords
live only in the Uploader and never reach output: error texts are redacted before they leave.
"""

from __future__ import annotations

import base64
import contextlib
import html.parser
import io
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name

from release.errors import PreconditionError, ServiceError

PYPI_UPLOAD = "https://upload.pypi.org/legacy/"
TESTPYPI_UPLOAD = "https://test.pypi.org/legacy/"
_KNOWN_INDEXES = {
    PYPI_UPLOAD: "https://pypi.org/simple/",
    TESTPYPI_UPLOAD: "https://test.pypi.org/simple/",
}
_ACCEPT = "application/vnd.pypi.simple.v1+json, text/html;q=0.1"


@dataclass(frozen=True)
class IndexFile:
    filename: str
    sha256: str
    url: str


def simple_url(url: str) -> str:
    """Accept an index root (`https://pypi.org/`) or its simple API (`.../simple/`)."""
    url = url if url.endswith("/") else url + "/"
    return url if url.endswith("/simple/") else url + "simple/"


def check_url(url: str) -> str:
    """An index is reached over http(s) (or file:, for a local simple tree)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https", "file") or not (parts.netloc or parts.scheme == "file"):
        raise PreconditionError(f"{url!r} is not an index URL (no http:// or https://)",
                                hint="write the whole URL, e.g. https://test.pypi.org/simple/")
    return url


def split_credentials(url: str) -> tuple[str, dict[str, str]]:
    """`https://user:pw@host/simple/` (as pip takes it) -> the URL without them and the Basic
    authorization header carrying them (urllib would take `user:pw@host` for a host name)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, {}
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    netloc += f":{parts.port}" if parts.port else ""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), {"Authorization": f"Basic {token}"}


def index_for_upload(repository_url: str) -> str:
    """Where files uploaded to `repository_url` can be listed."""
    url = repository_url if repository_url.endswith("/") else repository_url + "/"
    if url in _KNOWN_INDEXES:
        return _KNOWN_INDEXES[url]
    parts = urllib.parse.urlsplit(url)
    if parts.path.rstrip("/").endswith("/legacy"):
        url = urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/")[: -len("legacy")]))
    return simple_url(url)


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self.links.append((self._href, ""))

    def handle_data(self, data: str) -> None:
        if self._href is not None and self.links:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None


@dataclass
class PackageIndex:
    """A read-only view of one index's simple API."""

    url: str
    timeout: float = 30.0

    def project_url(self, project: str) -> str:
        return f"{simple_url(self.url)}{canonicalize_name(project)}/"

    def files(self, project: str) -> dict[str, IndexFile]:
        """Every file the index lists for `project` (none when the project does not exist)."""
        check_url(self.url)
        url = self.project_url(project)
        plain, auth = split_credentials(url)
        headers = {"Accept": _ACCEPT, "Cache-Control": "no-cache", **auth}
        request = urllib.request.Request(plain, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read().decode("utf-8", "replace")
                kind = response.headers.get("Content-Type", "")
                final = response.geturl()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return {}
            hint = ("the index is having trouble; rerun later" if exc.code >= 500 else
                    "check --index-url / --repository-url (and the index's credentials)")
            raise ServiceError(f"{url} answered {exc.code} {exc.reason}", hint=hint) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ServiceError(f"cannot reach the index at {url}: {reason}",
                               hint="check the URL and your network") from None
        if "json" in kind:
            try:
                return _from_json(body, final)
            except (ValueError, TypeError, KeyError, AttributeError):
                raise ServiceError(f"{url} answered JSON that is not a simple-API project page "
                                   "(PEP 691)", hint="check --index-url / --repository-url: it "
                                   "must be a package index (its root or simple API)") from None
        return _from_html(body, final)


def _from_json(body: str, base: str) -> dict[str, IndexFile]:
    found = {}
    for item in json.loads(body)["files"]:
        name = str(item["filename"])
        found[name] = IndexFile(name, str((item.get("hashes") or {}).get("sha256", "")),
                                urllib.parse.urljoin(base, str(item["url"])))
    return found


def _from_html(body: str, base: str) -> dict[str, IndexFile]:
    parser = _Links()
    parser.feed(body)
    found = {}
    for href, text in parser.links:
        absolute = urllib.parse.urljoin(base, href)
        path, _, fragment = absolute.partition("#")
        name = text.strip() or urllib.parse.unquote(path.rsplit("/", 1)[-1])
        algo, _, digest = fragment.partition("=")
        found[name] = IndexFile(name, digest if algo == "sha256" else "", path)
    return found


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Credentials | None:
        """TWINE_USERNAME/TWINE_PASSWORD, or an API token in TWINE_PASSWORD or PYPI_API_TOKEN."""
        token = env.get("PYPI_API_TOKEN", "")
        password = env.get("TWINE_PASSWORD", "") or token
        if not password:
            return None
        username = env.get("TWINE_USERNAME", "") or "__token__"
        return cls(username, password)


@contextlib.contextmanager
def _quiet_twine() -> Iterator[io.StringIO]:
    """Twine prints with rich and logs warnings; keep both off our stdout and stderr."""
    captured = io.StringIO()
    logger = logging.getLogger("twine")
    handler = logging.StreamHandler(captured)
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with contextlib.redirect_stdout(captured):
            yield captured
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


def check_dists(paths: Sequence[Path]) -> list[str]:
    """`twine check`: the names of files whose metadata would not render on the index."""
    from twine.commands.check import check

    failed = []
    for path in paths:
        with _quiet_twine():
            if check([str(path)]):
                failed.append(path.name)
    return failed


@dataclass(frozen=True)
class Uploader:
    repository_url: str
    credentials: Credentials

    def redact(self, text: str) -> str:
        return text.replace(self.credentials.password, "********") if self.credentials.password \
            else text

    def upload(self, path: Path) -> None:
        """Upload one file with twine; a refusal becomes a ServiceError without secrets."""
        from twine.commands.upload import upload
        from twine.settings import Settings

        settings = Settings(repository_url=self.repository_url,
                            username=self.credentials.username,
                            password=self.credentials.password,
                            non_interactive=True, disable_progress_bar=True)
        try:
            with _quiet_twine():
                upload(settings, [str(path)])
        except Exception as exc:  # twine raises requests and twine errors alike
            raise ServiceError(
                f"uploading {path.name} to {self.repository_url} failed: "
                f"{self.redact(str(exc)).splitlines()[0] if str(exc) else type(exc).__name__}",
                hint="check the credentials and the URL; rerun to continue where it stopped",
            ) from None


def require_credentials(env: Mapping[str, str]) -> Credentials:
    found = Credentials.from_env(env)
    if found is None:
        raise PreconditionError(
            "no credentials for the index",
            hint="set TWINE_USERNAME and TWINE_PASSWORD (or PYPI_API_TOKEN for a PyPI token)",
        )
    return found
