"""The welcome screen: what the kiosk shows while nobody is using it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from counter_tui.ui.kiosk.screens.base import KeyHints, KioskScreen
from counter_tui.ui.safe_text import plain


class WelcomeScreen(KioskScreen):
    """Greets the customer and starts a check-in on Enter."""

    BINDINGS = [
        Binding("enter", "start", "Start", id="kiosk.welcome.start", tooltip="Start checking in."),
    ]

    def compose(self) -> ComposeResult:
        """A big greeting with the shop's name, and one thing to do."""
        shop = self.ctx.rules.shop.name
        with Vertical(classes="kiosk-panel"):
            yield Static(plain(f"Welcome to {shop}"), classes="kiosk-title")
            yield Static(
                plain("Check in here and we'll let the team know you've arrived."),
                classes="kiosk-text",
            )
            yield Static(plain("Press Enter to start"), classes="kiosk-call")
        yield KeyHints(("Enter", "start"))

    def action_start(self) -> None:
        """Ask for a first name next. Each check-in offers the shop's choices as they are
        now, so a lead's change reaches the kiosk without a restart."""
        from counter_tui.ui.kiosk.screens.name import NameScreen

        self.kiosk.follow_shop_rules()
        self.app.push_screen(NameScreen())
