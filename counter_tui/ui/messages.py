"""Messages the app sends to its screens."""

from __future__ import annotations

from textual.message import Message

from counter_tui.services.changes import Change


class DataChanged(Message):
    """Another terminal (or this one) committed changes; screens reload what they show."""

    def __init__(self, changes: tuple[Change, ...]) -> None:
        super().__init__()
        self.changes = changes


class ConnectionChanged(Message):
    """The database became unreachable, or came back."""

    def __init__(self, online: bool) -> None:
        super().__init__()
        self.online = online
