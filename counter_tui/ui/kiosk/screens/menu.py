"""The kiosk's staff menu, open only after a shift lead's PIN."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.services import kiosk
from counter_tui.services.context import Actor
from counter_tui.ui.focus_keys import ListInOrder
from counter_tui.ui.kiosk.screens.base import KeyHints, KioskScreen
from counter_tui.ui.safe_text import plain


class StaffMenuScreen(KioskScreen):
    """Back to the welcome screen, or close the kiosk."""

    BINDINGS = [
        Binding("1", "resume", "Back to welcome", id="kiosk.menu.resume"),
        Binding("2", "close_kiosk", "Close the kiosk", id="kiosk.menu.close"),
        Binding("escape", "resume", "Back to welcome", id="kiosk.menu.back"),
    ]

    def __init__(self, lead: Actor) -> None:
        super().__init__()
        self.lead = lead

    def compose(self) -> ComposeResult:
        """Who unlocked it, and the two choices."""
        with Vertical(classes="kiosk-panel"):
            yield Static(plain("Staff menu"), classes="kiosk-title")
            yield Static(plain(f"Unlocked by {self.lead.name}."), classes="kiosk-text")
            yield ListInOrder(
                Option(plain("1  Back to the welcome screen"), id="resume"),
                None,
                Option(plain("2  Close the kiosk"), id="close"),
                id="staff-menu",
            )
        yield KeyHints(("1", "welcome"), ("2", "close kiosk"), ("Esc", "welcome"))

    def on_mount(self) -> None:
        """Start on the harmless choice."""
        self.query_one("#staff-menu", OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#staff-menu")
    def picked(self, event: OptionList.OptionSelected) -> None:
        """Enter on a highlighted choice."""
        event.stop()
        if event.option_id == "close":
            self.action_close_kiosk()
        else:
            self.action_resume()

    def action_resume(self) -> None:
        """Lock again and greet the next customer."""
        self.kiosk.back_to_welcome()

    def action_close_kiosk(self) -> None:
        """Log who closed the kiosk, then leave (even if the log could not be written)."""
        self.call_service(
            kiosk.record_exit,
            self.ctx,
            self.lead,
            self.kiosk.terminal,
            on_success=self._leave,
            on_failure=self._leave,
        )

    def _leave(self, _result: object) -> None:
        self.kiosk.leave_kiosk(self.lead)
