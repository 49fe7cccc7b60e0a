"""A throw-away signing key for a rehearsal of a project that signs its tags (SciPy).

The key lives in the rehearsal's workdir (its own GNUPGHOME); the scratch repository's
`gpg.program` is a two-line wrapper naming that home, so `git tag -s` and `git tag -v` use it and
the user's own keyring is never read or written.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

WRAPPER = "gpg-rehearsal"


def rehearsal_key(home: Path, uid: str) -> tuple[Path, str]:
    """(the gpg wrapper, the key's fingerprint); made once, reused by a resumed rehearsal."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    gpg = ["gpg", "--homedir", str(home), "--batch"]
    listing = _colons([*gpg, "--list-secret-keys"])
    if not listing:
        subprocess.run([*gpg, "--pinentry-mode", "loopback", "--passphrase", "",  # noqa: S603
                        "--quick-gen-key", uid, "ed25519", "sign", "never"],
                       check=True, capture_output=True)
        listing = _colons([*gpg, "--list-secret-keys"])
    fingerprint = next(cells[9] for cells in listing if cells[0] == "fpr")
    wrapper = home / WRAPPER
    wrapper.write_text(f'#!/bin/sh\nexec gpg --homedir "{home}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o700)
    return wrapper, fingerprint


def _colons(argv: list[str]) -> list[list[str]]:
    done = subprocess.run([*argv, "--with-colons"], capture_output=True, text=True,  # noqa: S603
                          check=False)
    return [line.split(":") for line in done.stdout.splitlines()] if done.returncode == 0 else []
