"""A lead sets someone's PIN: typed twice, never shown."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.errors import InvalidInput
from counter_tui.services.staff import PIN_MAX
from counter_tui.ui.dialogs.form import FormDialog, required
from counter_tui.ui.focus_keys import KeysInOrder


class NewPinDialog(FormDialog[str]):
    """Ask for a new PIN twice; returns it when both match (the service checks the rest)."""

    FIELD_IDS: ClassVar[dict[str, str]] = {"pin": "new-pin"}

    def __init__(self, name: str) -> None:
        super().__init__()
        self.TITLE_TEXT = f"New PIN for {name}"

    def fields(self) -> ComposeResult:
        yield Label("New PIN (4-12 digits)")
        yield KeysInOrder(id="new-pin", password=True, max_length=PIN_MAX, restrict=r"[0-9]*")
        yield Label("The same PIN again")
        yield KeysInOrder(id="new-pin-again", password=True, max_length=PIN_MAX, restrict=r"[0-9]*")

    def collect(self) -> str:
        pin = required(self.query_one("#new-pin", Input).value, "Type the new PIN.")
        if self.query_one("#new-pin-again", Input).value != pin:
            raise InvalidInput("The two PINs differ. Type the same PIN twice.")
        return pin
