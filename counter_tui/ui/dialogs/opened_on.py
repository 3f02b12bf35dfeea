"""What a dialog was opened on, sent with its save so that a colleague's change made
meanwhile at another terminal is not saved over unseen (`services.changed_meanwhile`).
After such a refusal it holds what the record holds now, so Enter again (the typing is
kept) saves over that change on purpose."""

from __future__ import annotations

from typing import Generic, TypeVar, cast

from counter_tui.errors import DomainError
from counter_tui.services.changed_meanwhile import ChangedMeanwhile

T = TypeVar("T")


class OpenedOn(Generic[T]):
    """The values a dialog showed when it opened, as the service compares them."""

    def __init__(self, value: T) -> None:
        self.value = value

    def refused(self, error: DomainError) -> bool:
        """For `ask(refused=…)`: take in what the record holds now; the refusal is still
        shown beside the fields (returns False)."""
        if isinstance(error, ChangedMeanwhile):
            self.value = cast(T, error.now)
        return False
