"""Before an action that is hard to take back, say what it will do; Enter goes ahead,
Esc changes nothing (a merge, a copy of everything held about a customer)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.safe_text import plain


class ConfirmDialog(FormDialog[bool]):
    """`lines` say what will happen, one sentence a line; `keys` what Enter and Esc do."""

    def __init__(self, title: str, lines: list[str], keys: str) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self._lines = lines
        self._keys = keys

    def fields(self) -> ComposeResult:
        for line in self._lines:
            yield Static(plain(line), classes="confirm-line")
        yield Static(plain(self._keys, style="bold"))

    def collect(self) -> bool:
        return True
