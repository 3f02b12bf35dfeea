"""A one-question dialog: a note, a reason, what was done."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.ui.dialogs.form import FormDialog, required
from counter_tui.ui.safe_text import plain


class TextPromptDialog(FormDialog[str]):
    """Ask for one line of text; returns it, or None when cancelled."""

    def __init__(
        self,
        title: str,
        prompt: str | Text,
        *,
        placeholder: str = "",
        max_length: int = 200,
        initial: str = "",
    ) -> None:
        super().__init__()
        self._initial = initial
        self.TITLE_TEXT = title
        self._prompt = prompt
        self._placeholder = placeholder
        self._max_length = max_length

    def fields(self) -> ComposeResult:
        yield Label(plain(self._prompt))
        answer = Input(placeholder=self._placeholder, max_length=self._max_length, id="answer")
        answer.value = self._initial
        yield answer

    def show_error(self, message: str, field: str = "") -> None:
        """Every refusal concerns the one answer: show it there."""
        super().show_error(message, "answer")

    def collect(self) -> str:
        return required(
            self.query_one("#answer", Input).value, "Type something first, or Esc to cancel.", field="answer"
        )
