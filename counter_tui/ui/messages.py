"""Messages the app sends to its screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from counter_tui.services.changes import Change


class DataChanged(Message):
    """Another terminal (or this one) committed changes, someone started or stopped
    looking at a visit (`presence`), or the connection came back (`resumed`)."""

    def __init__(
        self,
        changes: tuple[Change, ...],
        *,
        presence: tuple[int, ...] = (),
        resumed: bool = False,
        replaced: bool = False,
    ) -> None:
        super().__init__()
        self.changes = changes
        self.presence = presence
        self.resumed = resumed
        self.replaced = replaced
        """The database was replaced (a restore): change numbers kept are stale too."""
