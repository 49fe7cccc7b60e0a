"""One error hierarchy; only the CLI turns these into output and exit codes.

What the world can do to a step (a file that is a directory or not UTF-8, a full disk, a server
that answers HTML or nothing, a template with an undefined name) becomes a `ReleaseError` with a
hint, wherever in the code it surfaced (`expected`). Anything else is a bug: its traceback goes
to a file under the user state dir, and the one line printed says so and where.
"""

from __future__ import annotations

import datetime
import errno
import json
import os
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path, PurePath
from types import TracebackType

import platformdirs


class ReleaseError(Exception):
    """A problem the user can fix: a message saying what is wrong and a hint saying how."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(ReleaseError):
    """Bad command-line input (a malformed version, a missing argument)."""

    exit_code = 2


class ConfigError(ReleaseError):
    """The `[tool.release]` table or `release.toml` is wrong."""


class VersionError(UsageError):
    """A version string the toolkit cannot release."""


class GitError(ReleaseError):
    """A git command failed or the repository is in the wrong state."""


class PreconditionError(ReleaseError):
    """A step's precondition does not hold; nothing has been changed."""


class VerificationError(ReleaseError):
    """A step ran but its result does not check out."""


class ServiceError(ReleaseError):
    """A remote service (GitHub, an index, SMTP) refused or failed."""


APP_NAME = "numpy-release-toolkit"
BUG_EXIT = 70  # EX_SOFTWARE

_ERRNO_HINTS = {
    errno.EISDIR: "give the path of a file, not of a directory",
    errno.ENOTDIR: "a part of the path is a file where a directory is needed",
    errno.EACCES: "check the permissions (or choose another place)",
    errno.EPERM: "check the permissions (or choose another place)",
    errno.EROFS: "the file system is read-only: choose another place",
    errno.ENOSPC: "free some disk space and rerun",
    errno.EDQUOT: "free some disk space (quota) and rerun",
    errno.ENOENT: "check the path",
    errno.EEXIST: "remove it or choose another path",
    errno.ENAMETOOLONG: "use a shorter path",
}


class DecodeError(PreconditionError):
    """An input file that is not in the encoding it must be in."""


def decode_utf8(data: bytes, where: str) -> str:
    """`data` as UTF-8, or a DecodeError naming `where` and the byte offset."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_utf8(where, exc) from None


def not_utf8(where: str, exc: UnicodeDecodeError) -> DecodeError:
    bad = exc.object[exc.start:exc.start + 1].hex()
    return DecodeError(f"{where} is not UTF-8 text (byte 0x{bad} at offset {exc.start})",
                       hint=f"re-encode it as UTF-8, e.g. `iconv -f latin1 -t utf-8 {where}`")


def expected(exc: BaseException) -> ReleaseError | None:
    """The ReleaseError an outside failure stands for, None when it is a bug."""
    for matches, translate in _TRANSLATIONS:
        if matches(exc):
            return translate(exc)
    return None


def _named(*names: str) -> Callable[[BaseException], bool]:
    """Whether an exception is (a subclass of) one of `names`, by its classes' names: only the
    services import the libraries that raise them."""

    def test(exc: BaseException) -> bool:
        return any(f"{kind.__module__}.{kind.__qualname__}" in names for kind in type(exc).__mro__)

    return test


def _from_request(exc: BaseException) -> ReleaseError:
    url = getattr(getattr(exc, "request", None), "url", None) or "the server"
    kind = type(exc).__name__
    return ReleaseError(f"no usable answer from {url} ({kind})",
                        hint="check the URL and the network, then rerun")


def _from_url_error(exc: BaseException) -> ReleaseError:
    reason = getattr(exc, "reason", exc)
    return ReleaseError(f"could not reach a server: {reason}",
                        hint="check the URL and the network, then rerun")


def _from_template(exc: BaseException) -> ReleaseError:
    where = _template_in(exc.__traceback__) or getattr(exc, "name", None) or "a template"
    return ReleaseError(f"{where}: {exc}",
                        hint="the template uses a name it is not given; fix the template")


def _from_github(exc: BaseException) -> ReleaseError:
    status = getattr(exc, "status", "?")
    return ReleaseError(f"GitHub answered {status} where the toolkit expected an answer it knows",
                        hint="check GITHUB_API_URL and the token, then rerun")


def _from_decode(exc: BaseException) -> ReleaseError:
    assert isinstance(exc, UnicodeDecodeError)
    path = _path_in(exc.__traceback__)
    if path is not None:
        return not_utf8(str(path), exc)
    bad = exc.object[exc.start:exc.start + 1].hex()
    return DecodeError(f"some input is not {exc.encoding} text (byte 0x{bad} at offset "
                       f"{exc.start})", hint="re-encode the file as UTF-8")


def _from_encode(exc: BaseException) -> ReleaseError:
    assert isinstance(exc, UnicodeEncodeError)
    return DecodeError(f"text cannot be written as {exc.encoding}: {exc.reason} "
                       f"(character {exc.object[exc.start:exc.start + 1]!a})",
                       hint="an input (a file, a commit, the console) is not UTF-8; "
                            "set PYTHONIOENCODING=utf-8 for the console, re-encode files as UTF-8")


def _from_json(exc: BaseException) -> ReleaseError:
    return ReleaseError(f"an answer that should be JSON is not ({exc})",
                        hint="check the server's URL (GITHUB_API_URL, --index-url, "
                             "--repository-url): it may not be the service it should be")


def _from_os(exc: BaseException) -> ReleaseError:
    assert isinstance(exc, OSError)
    what = exc.strerror or str(exc) or type(exc).__name__
    where = f": {exc.filename}" if exc.filename else ""
    return ReleaseError(f"{what}{where}", hint=_ERRNO_HINTS.get(exc.errno or 0,
                                                                "check the path and rerun"))


def _from_recursion(exc: BaseException) -> ReleaseError:
    return ReleaseError("an input is nested too deeply to read", hint="check the input files")


_TRANSLATIONS: tuple[tuple[Callable[[BaseException], bool],
                          Callable[[BaseException], ReleaseError]], ...] = (
    # JSON first: requests' JSONDecodeError is a JSONDecodeError and a RequestException
    (lambda exc: isinstance(exc, json.JSONDecodeError), _from_json),
    # before OSError: requests' and urllib's errors are OSErrors
    (_named("requests.exceptions.RequestException"), _from_request),
    (_named("urllib.error.URLError"), _from_url_error),
    (_named("jinja2.exceptions.TemplateError"), _from_template),
    (_named("github.GithubException.GithubException"), _from_github),
    (lambda exc: isinstance(exc, UnicodeDecodeError), _from_decode),
    (lambda exc: isinstance(exc, UnicodeEncodeError), _from_encode),
    (lambda exc: isinstance(exc, OSError), _from_os),
    (lambda exc: isinstance(exc, RecursionError), _from_recursion),
)


def _frames(tb: TracebackType | None) -> list[TracebackType]:
    found = []
    while tb is not None:
        found.append(tb)
        tb = tb.tb_next
    return found


def _path_in(tb: TracebackType | None) -> PurePath | None:
    """The file being read when decoding failed: `self` of the innermost Path method."""
    for frame in reversed(_frames(tb)):
        owner = frame.tb_frame.f_locals.get("self")
        if isinstance(owner, PurePath):
            return owner
    return None


def _template_in(tb: TracebackType | None) -> str | None:
    """The template file and line a Jinja2 error happened at (Jinja2 puts its frames there)."""
    for frame in reversed(_frames(tb)):
        name = frame.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".jinja", ".jinja2", ".rst", ".md", ".txt")):
            return f"{name}, line {frame.tb_lineno}"
    return None


def state_dir(env: Mapping[str, str]) -> Path:
    """`$XDG_STATE_HOME/numpy-release-toolkit`, else platformdirs' user state dir."""
    if env.get("XDG_STATE_HOME"):
        return Path(env["XDG_STATE_HOME"]) / APP_NAME
    return Path(platformdirs.user_state_dir(APP_NAME))


def write_traceback(exc: BaseException, step: str, env: Mapping[str, str],
                    scrub: object = str) -> Path:
    """The traceback, scrubbed, in a new file under the state dir's `tracebacks/`."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
    folder = state_dir(env) / "tracebacks"
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(traceback.format_exception(exc))
    clean = scrub(text) if callable(scrub) else text
    path = folder / f"{stamp}-{os.getpid()}-{step or 'release'}.txt"
    path.write_text(str(clean), encoding="utf-8")
    return path
