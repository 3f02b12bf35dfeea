"""The first-name screen: optional, and never looked up."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from counter_tui.errors import InvalidInput
from counter_tui.services.kiosk import FIRST_NAME_MAX, clean_first_name
from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.kiosk.screens.base import KeyHints, KioskScreen
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.safe_text import clean, plain


class FirstNameInput(Guarded, Input):
    """An input that drops control characters (escape sequences included) and clips
    to the length limit as text is typed or pasted, instead of refusing it all."""

    def replace(self, text: str, start: int, end: int) -> None:
        """Insert `text` without its control characters, cut to the room that is left."""
        text = "".join(" " if char == "\n" else char for char in clean(text))
        start, end = sorted((max(0, start), min(len(self.value), end)))
        if self.max_length:
            room = self.max_length - (len(self.value) - (end - start))
            text = text[: max(room, 0)]
        if text or start != end:
            super().replace(text, start, end)


class NameScreen(KioskScreen):
    """Asks for a first name; Enter with nothing typed skips it."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="kiosk.name.back", tooltip="Back to welcome."),
    ]

    def compose(self) -> ComposeResult:
        """The question, one input, and room for a friendly message."""
        words = self.words
        with Vertical(classes="kiosk-panel"):
            yield Static(plain(words["name_title"]), classes="kiosk-title")
            yield Static(plain(words["name_text"]), classes="kiosk-text")
            yield FirstNameInput(
                id="first-name",
                placeholder=words["name_placeholder"],
                max_length=FIRST_NAME_MAX,
                select_on_focus=False,
            )
            yield Static("", id="name-message", classes="kiosk-message")
        yield KeyHints((words["key_enter"], words["hint_continue"]), ("Esc", words["hint_back"]))

    @on(Input.Submitted, "#first-name")
    def name_given(self, event: Input.Submitted) -> None:
        """Go on to the choices, or explain kindly what to type instead."""
        event.stop()
        try:
            first_name = clean_first_name(event.value, self.kiosk.language)
        except InvalidInput as refusal:
            self.query_one("#name-message", Static).update(plain(str(refusal)))
            return
        self.app.push_screen(ChoiceScreen(first_name))

    @on(Input.Changed, "#first-name")
    def typing(self) -> None:
        """A new keystroke clears the last message."""
        self.query_one("#name-message", Static).update("")

    def action_back(self) -> None:
        """Back to welcome; the name typed so far is forgotten."""
        self.kiosk.back_to_welcome()
