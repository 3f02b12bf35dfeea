"""The base of every staff screen: access to the shop, the signed-in actor, and
service calls that run off the UI thread."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import ActiveBinding
from textual.screen import Screen

from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.messages import DataChanged
from counter_tui.ui.own_keys_first import own_keys_first
from counter_tui.ui.shop_access import ShopAccess


class CounterScreen(Guarded, ShopAccess, Screen[None]):
    """A staff screen that reloads itself when data changes."""

    CHANGES_SHOWN: ClassVar[frozenset[str] | None] = None
    """The kinds of thing (audit entities: "visit", "handoff", …) whose changes can alter
    what this screen shows; None for any. Changes to other kinds do not reload it."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys on offer, this screen's own first (for the footer and the F1 panel)."""
        return own_keys_first(self, super().active_bindings)

    def reload(self) -> None:
        """Load what the screen shows from the services (override)."""

    def on_mount(self) -> None:
        """Restyle when the theme changes (Textual calls every class's `on_mount`)."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.restyle())

    def restyle(self) -> None:
        """Draw again, in the new theme's colours, what was drawn in Python (table cells,
        charts): by reloading (override to redraw from what was already read)."""
        if self.signed_in:
            self.reload()

    def on_data_changed(self, message: DataChanged) -> None:
        """Data changed on some terminal: let the screen bring what it shows up to date."""
        self.apply_changes(message)

    def apply_changes(self, message: DataChanged) -> None:
        """Reload when data changed (presence alone does not concern most screens).
        Override to update only what the changes touched (Textual calls every class's
        `on_data_changed`, so a screen overrides this one instead)."""
        shown = self.CHANGES_SHOWN
        changed = {change.entity for change in message.changes}
        concerned = message.resumed or (bool(changed) and (shown is None or bool(changed & shown)))
        if self.signed_in and concerned:
            self.reload()

    def note_while_covered(self, message: DataChanged) -> None:
        """Data changed while another screen covers this one (only the top screen hears
        `DataChanged`). Override to keep what a return needs; by default a return reloads."""

    def on_screen_resume(self) -> None:
        """Bring the screen up to date when coming back to it."""
        if self.signed_in:
            self.back_on_top()

    def back_on_top(self) -> None:
        """The screen is shown again: reload (override to read only what changed; Textual
        calls every class's `on_screen_resume`, so a screen overrides this one instead)."""
        self.reload()
