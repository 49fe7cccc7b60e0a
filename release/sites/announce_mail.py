"""The mailing-list announcement: a plain-text message built from the notes and the changelog."""

from __future__ import annotations

import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from release.changelog.counts import ChangelogSummary
from release.notes.summary import NotesSummary
from release.templating import render


@dataclass(frozen=True)
class MailSpec:
    project: str
    version: str
    prerelease: bool
    patch: bool
    subject: str
    sender: str
    to: tuple[str, ...]
    bcc: tuple[str, ...]
    signer: str
    pypi_url: str
    release_url: str
    notes_url: str

    @property
    def recipients(self) -> list[str]:
        return [addr for _, addr in getaddresses([*self.to, *self.bcc]) if addr]


def body(spec: MailSpec, notes: NotesSummary, changelog: ChangelogSummary) -> str:
    return render(
        "announce-mail.txt.j2", project=spec.project, version=spec.version,
        prerelease=spec.prerelease, intro=notes.intro, highlights=list(notes.highlights),
        python=notes.python_range, pypi_url=spec.pypi_url, release_url=spec.release_url,
        notes_url=spec.notes_url, contributors=changelog.contributors_text.rstrip("\n"),
        pulls=changelog.pulls_text.rstrip("\n") if spec.patch else "",
        pull_count=changelog.pull_count, signer=spec.signer or f"The {spec.project} team",
    )


def message(spec: MailSpec, text: str) -> EmailMessage:
    """Headers without Date or Message-ID, so the .eml is the same on every run; those two are
    added when the message is sent. python-announce-list style lists go in Bcc, so replies
    reach only the discussion list."""
    msg = EmailMessage(policy=email.policy.default)
    if spec.sender:
        msg["From"] = spec.sender
    msg["To"] = ", ".join(spec.to)
    if spec.bcc:
        msg["Bcc"] = ", ".join(spec.bcc)
    msg["Subject"] = spec.subject
    msg.set_content(text, cte="8bit")
    return msg


def eml_text(msg: EmailMessage) -> str:
    return msg.as_bytes().decode("utf-8")


def sender_domain(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def display_name(sender: str) -> str:
    return parseaddr(sender)[0]
