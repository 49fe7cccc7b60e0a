"""A capturing SMTP server (aiosmtpd) on 127.0.0.1 for tests and rehearsals.

`with FakeSMTP(user=..., password=...) as smtp:` listens on a random port, requires AUTH, and
offers STARTTLS with a self-signed certificate made on the spot when the `cryptography` package
is importable (`smtp.cafile` is that certificate, for SSL_CERT_FILE); with `tls=False`, or
without `cryptography`, it takes AUTH over plain text (configure `starttls = false`).
The password is compared as a digest and never stored in clear.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import hashlib
import hmac
import json
import ssl
import tempfile
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

import tomlkit
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from release.atomic_file import replace_file
from release.fakes.localhost import free_port


@dataclass(frozen=True)
class Captured:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    authenticated_as: str
    tls: bool

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class _Handler:
    def __init__(self, box: list[Captured], refuse: frozenset[str],
                 mail_dir: Path | None = None) -> None:
        self.box = box
        self.refuse = refuse
        self.mail_dir = mail_dir

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        captured = Captured(
            mail_from=envelope.mail_from, rcpt_tos=tuple(envelope.rcpt_tos),
            data=bytes(envelope.original_content or envelope.content),
            authenticated_as=str(getattr(session, "auth_data", b"") or ""),
            tls=session.ssl is not None,
        )
        if self.mail_dir is not None:
            _keep(self.mail_dir, len(self.box) + 1, captured)
        self.box.append(captured)
        return "250 Message accepted for delivery"


def _keep(mail_dir: Path, number: int, captured: Captured) -> None:
    """`NNNN.eml` (the message as received) after `NNNN.json` (its envelope): a message counts
    as received once its .eml is there, so a kill in between loses it like a dropped connection."""
    mail_dir.mkdir(parents=True, exist_ok=True)
    envelope = {"mail_from": captured.mail_from, "rcpt_tos": list(captured.rcpt_tos),
                "authenticated_as": captured.authenticated_as, "tls": captured.tls}
    replace_file(mail_dir / f"{number:04d}.json", json.dumps(envelope).encode())
    replace_file(mail_dir / f"{number:04d}.eml", captured.data)


def load_mail(mail_dir: Path) -> list[Captured]:
    """The messages kept in `mail_dir`, in the order they were received."""
    found = []
    for eml in sorted(mail_dir.glob("[0-9][0-9][0-9][0-9].eml")):
        envelope = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
        found.append(Captured(envelope["mail_from"], tuple(envelope["rcpt_tos"]), eml.read_bytes(),
                              envelope["authenticated_as"], bool(envelope["tls"])))
    return found


class _Authenticator:
    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.digest = hashlib.sha256(password.encode()).digest()
        self.failures = 0

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode()
            given = hashlib.sha256(auth_data.password).digest()
            if login == self.user and hmac.compare_digest(given, self.digest):
                return AuthResult(success=True, auth_data=login)
        self.failures += 1
        return AuthResult(success=False, handled=False)


def _self_signed(directory: Path) -> tuple[Path, Path] | None:
    """A certificate for 127.0.0.1 and localhost, or None without `cryptography`."""
    try:
        import ipaddress

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        return None
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class FakeSMTP:
    def __init__(self, *, user: str = "release-manager", password: str = "smtp-secret",
                 tls: bool = True, refuse: tuple[str, ...] = (),
                 mail_dir: Path | None = None) -> None:
        """With `mail_dir`, every message received is kept there as an .eml (and its envelope),
        and the messages already there count as received: a restart carries on."""
        self.user = user
        self.refuse = frozenset(refuse)
        self.host = "127.0.0.1"
        self.port = 0
        self.mail_dir = mail_dir
        self.messages: list[Captured] = load_mail(mail_dir) if mail_dir and mail_dir.is_dir() else []
        self._authenticator = _Authenticator(user, password)
        self._want_tls = tls
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._controller: Controller | None = None
        self.cafile: Path | None = None

    @property
    def tls(self) -> bool:
        return self.cafile is not None

    @property
    def auth_failures(self) -> int:
        return self._authenticator.failures

    def start(self) -> FakeSMTP:
        context = None
        if self._want_tls:
            self._tmp = tempfile.TemporaryDirectory(prefix="fake-smtp-")
            pair = _self_signed(Path(self._tmp.name))
            if pair is not None:
                self.cafile = pair[0]
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                context.load_cert_chain(str(pair[0]), str(pair[1]))
        self.port = free_port()
        self._controller = Controller(
            _Handler(self.messages, self.refuse, self.mail_dir), hostname=self.host, port=self.port,
            authenticator=self._authenticator, auth_require_tls=context is not None,
            tls_context=context, require_starttls=context is not None,
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> FakeSMTP:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def settings(self) -> dict[str, Any]:
        return {"smtp_host": self.host, "smtp_port": self.port, "smtp_user": self.user,
                "starttls": self.tls}

    def release_toml(self, pyproject: Path) -> str:
        """A `--config` file: the project's own `[tool.release]` with the mail settings pointed
        at this server (a --config file replaces the project's table, so it carries both)."""
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("release", {})
        table = {**table, "mail": {**table.get("mail", {}), **self.settings()}}
        return tomlkit.dumps({"tool": {"release": table}})

    def config_toml(self) -> str:
        """The `[tool.release.mail]` lines that point the toolkit at this server."""
        return (f'smtp_host = "{self.host}"\nsmtp_port = {self.port}\nsmtp_user = "{self.user}"\n'
                f"starttls = {'true' if self.tls else 'false'}\n")
