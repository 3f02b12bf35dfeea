"""The first-name screen: optional, and never looked up."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from counter_tui.errors import InvalidInput
from counter_tui.services.kiosk import FIRST_NAME_MAX, clean_first_name
from counter_tui.ui.focus_keys import KeysInOrder, keys_landed
from counter_tui.ui.kiosk.screens.base import KeyHints, KioskScreen
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.safe_text import clean, plain


class FirstNameInput(KeysInOrder):
    """An input that drops control characters (escape sequences included) and clips
    to the length limit as text is typed or pasted, instead of refusing it all; its
    editing keys land before the Enter typed after them (`KeysInOrder`)."""

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
    """Asks for a first name; Enter with nothing typed skips it. Enter and Esc are
    priority keys, decided in the order they were typed: the keys after Enter go to the
    choices, not into the name (`focus_keys`)."""

    BINDINGS = [
        Binding(
            "enter",
            "go_on",
            "Continue",
            show=False,
            priority=True,
            id="kiosk.name.continue",
            tooltip="On to the choices (with no name typed too).",
        ),
        Binding("escape", "back", "Back", priority=True, id="kiosk.name.back", tooltip="Back to welcome."),
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

    async def action_go_on(self) -> None:
        """Go on to the choices with the name as typed up to Enter (every key before it in
        the box, none after it), or explain kindly what to type instead."""
        await keys_landed(self)
        if not self.is_current:
            return
        try:
            first_name = clean_first_name(self.query_one("#first-name", Input).value, self.kiosk.language)
        except InvalidInput as refusal:
            self.query_one("#name-message", Static).update(plain(str(refusal)))
            return
        await self.app.push_screen(ChoiceScreen(first_name))

    @on(Input.Changed, "#first-name")
    def typing(self) -> None:
        """A new keystroke clears the last message."""
        self.query_one("#name-message", Static).update("")

    def action_back(self) -> None:
        """Back to welcome; the name typed so far is forgotten."""
        self.kiosk.back_to_welcome()
