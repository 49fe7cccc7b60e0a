"""The mailing-list message: its text from the notes and NumPy's published changelog, and its
headers (no Date or Message-ID in the .eml; lists that must not get replies in Bcc)."""

from __future__ import annotations

import dataclasses
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from release.changelog.counts import read_changelog
from release.notes.summary import NotesSummary
from release.sites.announce_mail import (
    MailSpec,
    body,
    display_name,
    eml_text,
    message,
    sender_domain,
)

CHANGELOG = Path(__file__).parent / "data" / "numpy" / "changelogs" / "2.4.1-changelog.rst"
NOTES = NotesSummary("The NumPy 2.4.1 is a patch release that fixes bugs discovered after the "
                     "2.4.0 release.", (), ("3.11", "3.14"))


SPEC = MailSpec(
    project="NumPy", version="2.4.1", prerelease=False, patch=True,
    subject="ANN: NumPy 2.4.1 released", sender="Alice Maintainer <alice@example.org>",
    to=("numpy-discussion@python.org",), bcc=("python-announce-list@python.org",), signer="",
    pypi_url="https://pypi.org/project/numpy/2.4.1/",
    release_url="https://github.com/numpy/numpy/releases/tag/v2.4.1",
    notes_url="https://numpy.org/doc/stable/release/2.4.1-notes.html")


def _spec(**changes: Any) -> MailSpec:
    return dataclasses.replace(SPEC, **changes)


def test_a_patch_releases_mail_carries_the_published_changelog_word_for_word() -> None:
    changelog = read_changelog(CHANGELOG.read_text(encoding="utf-8"), CHANGELOG.name)
    text = body(_spec(), NOTES, changelog)
    assert text.startswith("Hi All,\n\nOn behalf of the NumPy team, I'm pleased to announce the ")
    assert ("release of NumPy 2.4.1. The NumPy 2.4.1 is a patch release that fixes bugs "
            "discovered after the 2.4.0 release.") in " ".join(text.split())
    assert changelog.contributors_text.strip() in text
    assert changelog.pulls_text.strip() in text
    assert "The Python versions supported by this release are 3.11-3.14." in text
    assert text.rstrip().endswith("Cheers,\n\nThe NumPy team")
    assert "pre-release" not in text
    assert max(len(line) for line in text.splitlines() if not line.startswith("* ")) <= 79


def test_a_feature_release_counts_its_pulls_and_lists_its_highlights() -> None:
    changelog = read_changelog(CHANGELOG.read_text(encoding="utf-8"), CHANGELOG.name)
    notes = NotesSummary("", ("A new ``numpy.select`` default, and a long highlight that has to "
                              "wrap onto a second line of the message to fit.", "Free threading."),
                         None)
    text = body(_spec(patch=False, prerelease=True, signer="Alice"), notes, changelog)
    assert "A total of 15 pull requests were merged for this release." in text
    assert "* `#30490" not in text  # a feature release's mail does not list every pull request
    assert "The highlights of this release are:\n\n- A new ``numpy.select`` default" in text
    assert "\n  wrap" in text or "\n  " in text.split("The highlights")[1]
    assert "This is a pre-release." in text
    assert "The Python versions supported" not in text  # the notes did not say
    assert text.rstrip().endswith("Cheers,\n\nAlice")


def test_the_message_has_no_date_or_id_and_hides_the_announce_list() -> None:
    msg = message(_spec(), "Hi All,\n\nnaïve text stays 8-bit\n")
    parsed = message_from_bytes(eml_text(msg).encode("utf-8"), policy=policy.default)
    assert parsed["From"] == "Alice Maintainer <alice@example.org>"
    assert parsed["To"] == "numpy-discussion@python.org"
    assert parsed["Bcc"] == "python-announce-list@python.org"
    assert parsed["Subject"] == "ANN: NumPy 2.4.1 released"
    assert parsed["Date"] is None and parsed["Message-ID"] is None
    assert parsed["Content-Transfer-Encoding"] == "8bit"
    assert "naïve text stays 8-bit" in eml_text(msg)
    assert _spec().recipients == ["numpy-discussion@python.org", "python-announce-list@python.org"]


def test_without_a_sender_there_is_no_from_header() -> None:
    assert message(_spec(sender=""), "text\n")["From"] is None


def test_the_sender_gives_the_domain_and_name() -> None:
    assert sender_domain("Alice Maintainer <alice@example.org>") == "example.org"
    assert sender_domain("") == "localhost"
    assert display_name("Alice Maintainer <alice@example.org>") == "Alice Maintainer"
