"""The offline banner: the one place that says the database cannot be reached.

Screens own their titles and sub-titles and set them as they like, so the offline
state does not live there. The app puts this banner on whichever screen comes to the
front (dialogs included), drawn over the top line where the header is, and shows it
while the change feed says the database is unreachable; no screen can overwrite it.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Static

from counter_tui.ui.guarded_app import Guarded

OFFLINE_MESSAGE = "OFFLINE — the database cannot be reached; nothing can be saved. Reconnecting…"


class OfflineBanner(Guarded, Static):
    """One bold line over the top of the screen while the database is unreachable."""

    DEFAULT_CSS = """
    OfflineBanner {
        dock: top;
        overlay: screen;
        width: 100%;
        height: 1;
        padding: 0 1;
        background: $error;
        color: $text;
        text-style: bold;
        display: none;
    }
    OfflineBanner.-offline { display: block; }
    """

    def __init__(self) -> None:
        super().__init__(OFFLINE_MESSAGE, markup=False, id="offline-banner")


def show_connection_state(screen: Screen[object], online: bool) -> None:
    """Give `screen` its banner if it has none, shown while the database is offline."""
    banners = screen.query(OfflineBanner)
    banner = banners.first() if banners else OfflineBanner()
    banner.set_class(not online, "-offline")
    if not banners:
        screen.mount(banner)
