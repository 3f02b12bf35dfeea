"""The staff PIN prompt: a shift lead's PIN opens the kiosk's staff menu."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from counter_tui.errors import DomainError
from counter_tui.services import kiosk
from counter_tui.services.context import Actor
from counter_tui.services.staff import PIN_MAX
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.kiosk.screens.base import KeyHints, KioskScreen
from counter_tui.ui.safe_text import plain


class UnlockScreen(KioskScreen):
    """Asks for a shift lead's PIN; wrong PINs count towards this kiosk's lockout."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="kiosk.unlock.back", tooltip="Back to welcome."),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.checking = False

    def compose(self) -> ComposeResult:
        """The prompt, a hidden PIN field, and room for the answer."""
        with Vertical(classes="kiosk-panel"):
            yield Static(plain("Staff only"), classes="kiosk-title")
            yield Static(plain("Enter a shift lead's PIN."), classes="kiosk-text")
            yield KeysInOrder(
                id="pin",
                password=True,
                max_length=PIN_MAX,
                restrict=r"[0-9]*",
                placeholder="PIN",
            )
            yield Static("", id="unlock-message", classes="kiosk-message")
        yield KeyHints(("Enter", "unlock"), ("Esc", "back"))

    @on(Input.Submitted, "#pin")
    def pin_given(self, event: Input.Submitted) -> None:
        """Check the PIN in a thread; the field is cleared at once."""
        event.stop()
        pin_field = self.query_one("#pin", Input)
        pin_field.clear()
        if self.checking:
            return
        self.checking = True
        self._say("Checking…")
        self.call_service(
            kiosk.unlock,
            self.ctx,
            self.kiosk.terminal,
            event.value,
            on_success=self.unlocked,
            on_failure=self.refused,
        )

    def unlocked(self, lead: Actor) -> None:
        """A lead's PIN: on to the staff menu."""
        self.checking = False
        self.kiosk.show_staff_menu(lead)

    def refused(self, error: DomainError) -> None:
        """Say why, in the service's words (wrong PIN, or locked out for a while)."""
        self.checking = False
        self._say(str(error))

    def _say(self, sentence: str) -> None:
        self.query_one("#unlock-message", Static).update(plain(sentence))

    def action_back(self) -> None:
        """Back to welcome, still locked."""
        self.kiosk.back_to_welcome()
