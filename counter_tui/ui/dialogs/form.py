"""The base of every dialog: a titled box, Enter to submit, Escape to cancel, and a
line for the sentence explaining what to fix (the dialog stays open, nothing lost)."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from counter_tui.errors import InvalidInput

ResultT = TypeVar("ResultT")


class FormDialog(ModalScreen[ResultT | None], Generic[ResultT]):
    """A modal form. Subclasses compose `fields()` and turn them into a result in `collect()`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without saving."),
        Binding(
            "enter",
            "submit",
            "Save",
            id="dialog.submit",
            priority=True,
            tooltip="Save from any field.",
        ),
    ]
    DEFAULT_CLASSES = "form-dialog"
    TITLE_TEXT = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.TITLE_TEXT), classes="dialog-title")
            yield from self.fields()
            yield Static("", classes="dialog-error")
            yield Label("Enter saves · Space ticks · Tab next field · Esc cancels", classes="dialog-hint")
        yield Footer(compact=True)

    def fields(self) -> ComposeResult:
        """The widgets of the form (override)."""
        yield from ()

    def collect(self) -> ResultT:
        """The result from the fields; raise InvalidInput with a sentence to refuse (override)."""
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        """Explain what to fix, keeping everything typed."""
        self.query_one(".dialog-error", Static).update(Text(message, style="bold red"))

    def action_submit(self) -> None:
        """Close with the result, or say what is missing."""
        try:
            result = self.collect()
        except InvalidInput as error:
            self.show_error(str(error))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)


def required(value: str, message: str) -> str:
    """`value` stripped, or an InvalidInput with `message` when empty."""
    value = value.strip()
    if not value:
        raise InvalidInput(message)
    return value
