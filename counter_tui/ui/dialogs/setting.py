"""The dialog changing one shop setting: what it means (wrapped, however long), and its
value to edit, starting from the current one. The field takes any length: the service
refuses a value over the setting's limit with a sentence beside it, never a silent cut."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.safe_text import clean, plain


class SettingDialog(TextPromptDialog):
    """Ask for a setting's new value; returns the text typed, or None when cancelled."""

    def __init__(self, key: str, meaning: str, current: str) -> None:
        super().__init__(f"Change {key}", meaning, initial=current)
        self._meaning = meaning

    def fields(self) -> ComposeResult:
        yield Static(plain(self._meaning), classes="setting-meaning")
        answer = KeysInOrder(id="answer")
        answer.value = clean(self._initial)
        yield answer
