"""A one-question dialog: a note, a reason, what was done.

The answer box takes any length; the service, called through `ask` while the dialog is
open, refuses text over its limit with a sentence shown under the box."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.ui.dialogs.form import FormDialog, required
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.safe_text import clean, plain


class TextPromptDialog(FormDialog[str]):
    """Ask for one line of text; returns it, or None when cancelled."""

    def __init__(
        self,
        title: str,
        prompt: str | Text,
        *,
        placeholder: str = "",
        initial: str = "",
        enter_does: tuple[str, str] = FormDialog.ENTER_DOES,
    ) -> None:
        """`enter_does`: what Enter does, for the key hint and the footer ("erases",
        "Erase"); saving, unless said."""
        super().__init__()
        self.ENTER_DOES = enter_does
        self._initial = initial
        self.TITLE_TEXT = title
        self._prompt = prompt
        self._placeholder = placeholder

    def fields(self) -> ComposeResult:
        yield Label(plain(self._prompt), id="prompt")
        answer = KeysInOrder(placeholder=self._placeholder, id="answer")
        answer.value = clean(self._initial)
        yield answer

    def show_prompt(self, prompt: str | Text) -> None:
        """Ask the question as it is now (what it is about changed meanwhile)."""
        self._prompt = prompt
        self.query_one("#prompt", Label).update(plain(prompt))

    def show_error(self, message: str, field: str = "") -> None:
        """Every refusal concerns the one answer: show it there."""
        super().show_error(message, "answer")

    def collect(self) -> str:
        return required(
            self.query_one("#answer", Input).value, "Type something first, or Esc to cancel.", field="answer"
        )
