"""The footer of every staff screen: the app's Sign out and Keys pinned at its right edge,
the screen's keys filling the rest. Textual's footer lays keys out in one row and cuts
whatever passes the right edge, so at 80×24 a screen with many keys pushed Sign out and
Keys (the way to every other key) off the screen; shortening labels only moved the cut."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, KeyGroup

from counter_tui.ui.guarded_app import Guarded

PINNED_IDS = frozenset({"app.sign_out", "app.help"})
"""The app's keys a person must always find: to leave, and to see every other key."""


class KeysFooter(Guarded, Footer):
    """A compact footer whose Sign out and Keys are docked right, never cut."""

    DEFAULT_CSS = """
    KeysFooter KeyGroup.-pinned {
        dock: right;
        padding-left: 1;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        """Textual's keys in the screen's order, less the pinned ones, then those in a
        group docked at the right edge."""
        pinned_actions = {
            active.binding.action
            for active in self.screen.active_bindings.values()
            if active.node is self.app and active.binding.id in PINNED_IDS
        }
        pinned: list[FooterKey] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action in pinned_actions:
                pinned.append(widget)
            else:
                yield widget
        if pinned:
            with KeyGroup(classes="-pinned"):
                yield from pinned
