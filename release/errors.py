"""One error hierarchy; only the CLI turns these into output and exit codes."""

from __future__ import annotations


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
