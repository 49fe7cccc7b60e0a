"""Secrets out of everything the toolkit prints, logs, journals or reports.

One scrubber for all of it. It masks two things: the values of the environment variables that
hold secrets (GITHUB_TOKEN, TWINE_PASSWORD, RELEASE_SMTP_PASSWORD, ... by name, and the
credentials written into URL-valued variables such as `GITHUB_API_URL=http://user:TOKEN@host`),
wherever they appear, and any credentials written inside a URL (`https://__token__:PW@host/`),
including ones it was never told about. A server that repeats the token in its error message is
masked the same way, since the value is known.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from typing import TextIO, cast

HIDDEN = "***"
SECRET_NAME = re.compile(r"token|password|passwd|secret|credential|api[-_]?key", re.IGNORECASE)
# scheme://user:password@ or scheme://credential@ (no '/', '@' or space inside)
URL_USERINFO = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<userinfo>[^/@\s\"'<>]+)@",
                          re.IGNORECASE)
# a user name that is only a name (git@, x-access-token:, __token__:), kept so the URL still
# says who it is for
_PLAIN_USER = re.compile(r"[A-Za-z0-9._-]{1,20}")
_SHORTEST = 6  # shorter values would mask ordinary words; no real secret is that short


def _quote(text: str) -> str:
    """Percent-encoded as in a URL's user info (every byte but the unreserved ones)."""
    return "".join(chr(byte) if (chr(byte).isalnum() and byte < 128) or chr(byte) in "-._~"
                   else f"%{byte:02X}" for byte in text.encode("utf-8"))


def _unquote(text: str) -> str:
    return re.sub(r"(?:%[0-9A-Fa-f]{2})+",
                  lambda m: bytes.fromhex(m[0].replace("%", "")).decode("utf-8", "replace"), text)


def secret_values(env: Mapping[str, str]) -> frozenset[str]:
    """The secrets an environment holds: values of secret-named variables (also without the
    whitespace a pasted token carries), and credentials inside any URL-valued variable."""
    found: set[str] = set()
    for name, value in env.items():
        if SECRET_NAME.search(name):
            found.update({value, value.strip()})
        for match in URL_USERINFO.finditer(value):
            user, _, password = match["userinfo"].partition(":")
            found.update({_unquote(password), password} if password else
                         {_unquote(user), user})
    return frozenset(value for value in found if len(value) >= _SHORTEST)


def mask_url_credentials(text: str) -> str:
    """`https://__token__:PW@host` -> `https://__token__:***@host`; `https://TOKEN@host` ->
    `https://***@host`; `ssh://git@host` stays."""

    def masked(match: re.Match[str]) -> str:
        user, colon, _password = match["userinfo"].partition(":")
        if colon:
            return f"{match['scheme']}{user}:{HIDDEN}@"
        kept = user if _PLAIN_USER.fullmatch(user) else HIDDEN
        return f"{match['scheme']}{kept}@"

    return URL_USERINFO.sub(masked, text)


class Scrubber:
    """Masks known secret values and URL credentials in any text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = tuple(sorted({s for s in secrets if len(s) >= _SHORTEST}, key=len,
                                    reverse=True))

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Scrubber:
        return cls(secret_values(env))

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, HIDDEN)
            quoted = _quote(secret)
            if quoted != secret and quoted in text:
                text = text.replace(quoted, HIDDEN)
        return mask_url_credentials(text)

    def leaks(self, text: str) -> list[str]:
        """The known secrets found in `text` (for tests and self-checks)."""
        return [secret for secret in self.secrets if secret in text]


class ScrubbedStream(io.TextIOBase):
    """A text stream that scrubs what is written through it before passing it on, and
    replaces what the underlying stream's encoding cannot show (a cp1252 console) instead of
    failing on it."""

    def __init__(self, inner: TextIO, scrub: Scrubber) -> None:
        super().__init__()
        self.inner = inner
        self.scrub = scrub

    def write(self, text: str) -> int:
        clean = self.scrub(text)
        try:
            self.inner.write(clean)
        except UnicodeEncodeError:
            codec = getattr(self.inner, "encoding", None) or "ascii"
            self.inner.write(clean.encode(codec, "backslashreplace").decode(codec))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", None) or "utf-8"


def scrubbed(inner: TextIO, scrub: Scrubber) -> TextIO:
    """`inner` behind a ScrubbedStream, typed as the stream it stands in for."""
    return cast(TextIO, ScrubbedStream(inner, scrub))
