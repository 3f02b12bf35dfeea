"""The base of every staff screen: access to the shop, the signed-in actor, and
service calls that run off the UI thread."""

from __future__ import annotations

from textual.screen import Screen

from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.messages import DataChanged
from counter_tui.ui.shop_access import ShopAccess


class CounterScreen(Guarded, ShopAccess, Screen[None]):
    """A staff screen that reloads itself when data changes."""

    def reload(self) -> None:
        """Load what the screen shows from the services (override)."""

    def on_data_changed(self, message: DataChanged) -> None:
        """Reload when data changed (presence alone does not concern most screens)."""
        if self.signed_in and (message.changes or message.resumed):
            self.reload()

    def on_screen_resume(self) -> None:
        """Reload when coming back to this screen."""
        if self.signed_in:
            self.reload()
