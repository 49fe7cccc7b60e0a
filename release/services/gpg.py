"""gpg, read only: whether a secret key that can sign is there (`--list-secret-keys --with-colons`,
which never asks for a passphrase)."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SigningKey:
    fingerprint: str
    uid: str
    usable: bool  # secret present, not expired or revoked, can sign
    why_not: str = ""


def secret_keys(selector: str, program: str = "gpg",
                env: Mapping[str, str] | None = None) -> list[SigningKey]:
    """The secret keys `selector` names ("" = all); [] when gpg has none or is missing."""
    argv = [program, "--batch", "--with-colons", "--fixed-list-mode", "--list-secret-keys"]
    if selector:
        argv.append(selector)
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False,  # noqa: S603
                              env=dict(env) if env else None, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return _parse(done.stdout) if done.returncode == 0 else []


def _parse(listing: str) -> list[SigningKey]:
    keys: list[SigningKey] = []
    fields: list[str] = []
    fingerprint = uid = ""
    for line in listing.splitlines():
        cells = line.split(":")
        if cells[0] == "sec":
            if fields:
                keys.append(_key(fields, fingerprint, uid))
            fields, fingerprint, uid = cells, "", ""
        elif cells[0] == "fpr" and fields and not fingerprint:
            fingerprint = cells[9]
        elif cells[0] == "uid" and fields and not uid:
            uid = cells[9]
    if fields:
        keys.append(_key(fields, fingerprint, uid))
    return keys


def _key(cells: list[str], fingerprint: str, uid: str) -> SigningKey:
    validity, capabilities = cells[1], cells[11] if len(cells) > 11 else ""
    serial = cells[14] if len(cells) > 14 else ""
    if validity in ("e", "r"):
        return SigningKey(fingerprint, uid, False, "expired" if validity == "e" else "revoked")
    if "S" not in capabilities:
        return SigningKey(fingerprint, uid, False, "no key of it can sign")
    if serial == "#":
        return SigningKey(fingerprint, uid, False, "only a stub of the secret key is here")
    return SigningKey(fingerprint, uid, True)
