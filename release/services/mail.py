"""SMTP: the only code that sends mail. The password stays in memory; no error message, repr or
log line carries it."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from release.errors import ServiceError


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True
    cafile: str | None = None
    timeout: float = 30.0

    def describe(self) -> str:
        how = " with STARTTLS" if self.starttls else " without TLS"
        who = f" as {self.user}" if self.user else ""
        return f"{self.host}:{self.port}{how}{who}"


class PartialDelivery(ServiceError):
    """The server took the message for some recipients and refused others."""


class MailService:
    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def __repr__(self) -> str:
        return f"MailService({self.settings.describe()})"

    def send(self, msg: EmailMessage, recipients: list[str]) -> None:
        """Deliver `msg` to every recipient (Bcc included; the Bcc header is not transmitted)."""
        refused = self._session(lambda smtp: smtp.send_message(msg, to_addrs=recipients))
        if refused:
            raise PartialDelivery(f"the SMTP server refused {', '.join(sorted(refused))}",
                               hint="the others received the message; send to these by hand")

    def check_login(self) -> None:
        """Connect, STARTTLS and log in as `send` would, then quit: nothing is sent."""
        self._session(lambda smtp: {})

    def _session(self, use: Callable[[smtplib.SMTP], dict[str, Any]]) -> dict[str, Any]:
        """One connection (STARTTLS and login as configured) handed to `use`; every failure is a
        one-line ServiceError without the password."""
        s = self.settings
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
                smtp.ehlo()
                if s.starttls:
                    if not smtp.has_extn("starttls"):
                        raise ServiceError(f"the SMTP server {s.host}:{s.port} does not offer STARTTLS",
                                           hint="check mail.smtp_port, or set starttls = false")
                    smtp.starttls(context=ssl.create_default_context(cafile=s.cafile))
                    smtp.ehlo()
                if s.user:
                    if not smtp.has_extn("auth"):
                        raise ServiceError(f"the SMTP server {s.host}:{s.port} does not offer SMTP AUTH"
                                           + ("" if s.starttls else " without TLS"),
                                           hint="check mail.starttls and mail.smtp_port")
                    smtp.login(s.user, s.password)
                return use(smtp)
        except smtplib.SMTPAuthenticationError as exc:
            raise ServiceError(f"the SMTP server {s.host}:{s.port} refused the login for {s.user} "
                               f"({exc.smtp_code})",
                               hint="check mail.smtp_user and the password variable") from None
        except smtplib.SMTPNotSupportedError as exc:
            raise ServiceError(f"the SMTP server {s.host}:{s.port} does not support this: {exc}",
                               hint="check mail.starttls and mail.smtp_port") from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise ServiceError(f"the SMTP server refused every recipient ({', '.join(exc.recipients)})",
                               hint="check mail.to and mail.bcc") from None
        except smtplib.SMTPException as exc:
            raise ServiceError(f"sending through {s.host}:{s.port} failed: {type(exc).__name__}",
                               hint="check the mail settings; nothing was sent if the server "
                                    "reported an error") from None
        except ssl.SSLError as exc:
            raise ServiceError(f"TLS with {s.host}:{s.port} failed: {exc.reason}",
                               hint="is the server's certificate trusted (SSL_CERT_FILE)?") from None
        except OSError as exc:
            raise ServiceError(f"cannot reach the SMTP server {s.host}:{s.port}: {exc.strerror or exc}",
                               hint="check mail.smtp_host and mail.smtp_port") from None
