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


class ColleagueUnavailable(NotFound):
    """The colleague picked (`staff_id`) is not on the active staff list any more (left
    it after the list on show was read)."""

    field = "staff_id"

    def __init__(self, staff_id: int) -> None:
        super().__init__("That colleague is not available. Pick someone else.")
        self.staff_id = staff_id


class InvalidInput(DomainError):
    """Something typed cannot be used as it is. `field` names the input it concerns (the
    service's parameter name, e.g. "phone"), so a form can show the sentence beside it."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class Conflict(DomainError):
    """Someone else got there first, or the state changed underneath."""


class AlreadyOwned(Conflict):
    """A visit has an owner; the sentence names them and says what to do."""


class FileNotWritten(DomainError):
    """A file the app was told to write could not be (its folder, the disk); nothing of it
    was left behind."""


class Stopped(KeyboardInterrupt):
    """Ctrl+C stopped the work part way; `str()` is one sentence saying so and what it
    left (a file not written, the rows saved), which the command line prints before it
    exits with 130. A KeyboardInterrupt still, so whatever cleans up on one does here."""

    def __init__(self, said: str) -> None:
        super().__init__(said)
        self.said = said

    def __str__(self) -> str:
        return self.said


class SignInFailed(DomainError):
    """Wrong PIN, unknown or inactive staff member, or locked out."""


class DatabaseUnavailable(DomainError):
    """The database cannot be used right now (unreachable, busy, damaged, read-only, or
    not where it was); the sentence names it and says what to do. Nothing was saved.
    `counter_tui.db.diagnose` picks the sentence from the driver's failure."""


class NoShopYet(DomainError):
    """The database named holds no shop: a typo in `--db` must not start a new, empty one."""


class SchemaTooNew(DomainError):
    """The database was set up by a newer counter-tui than this one."""
