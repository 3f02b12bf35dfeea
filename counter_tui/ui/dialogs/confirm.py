"""Before an action that is hard to take back, say what it will do; Enter goes ahead,
Esc changes nothing (a merge, a copy of everything held about a customer)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.safe_text import plain


class ConfirmDialog(FormDialog[bool]):
    """`lines` say what will happen, one sentence a line; `keys` what Enter and Esc do,
    shown as the dialog's key hint (docked under the lines, so in view however many there
    are). A subclass may name its Enter for what it does (the merge dialog's "Merge")."""

    ENTER_DOES = ("goes ahead", "Go ahead")

    def __init__(self, title: str, lines: list[str], keys: str) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self.HINT_TEXT = keys
        self._lines = lines

    def fields(self) -> ComposeResult:
        for line in self._lines:
            yield Static(plain(line), classes="confirm-line")

    def collect(self) -> bool:
        return True
