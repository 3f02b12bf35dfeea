"""Domain errors: each carries a sentence a person can act on.

The UI shows `str(error)` as it is; it never shows a traceback. These live at the
bottom of the package so both `db/` and `services/` can raise them.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the user can understand and act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotAllowed(DomainError):
    """The acting staff member's role does not permit this."""


class NotFound(DomainError):
    """The thing asked for does not exist (or no longer does)."""


class InvalidInput(DomainError):
    """Something typed cannot be used as it is."""


class Conflict(DomainError):
    """Someone else got there first, or the state changed underneath."""


class AlreadyOwned(Conflict):
    """A visit has an owner; the sentence names them and says what to do."""


class SignInFailed(DomainError):
    """Wrong PIN, unknown or inactive staff member, or locked out."""


class DatabaseUnavailable(DomainError):
    """The database cannot be reached or stayed busy too long; nothing was saved."""

    @classmethod
    def from_driver(cls, error: Exception) -> DatabaseUnavailable:
        """Pick the sentence for a driver failure without showing its raw text."""
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            return cls("The database is busy right now. Nothing was saved; please try again.")
        return cls("The database cannot be reached. Nothing was saved; check the connection and try again.")
