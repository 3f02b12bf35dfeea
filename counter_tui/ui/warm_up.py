"""What the floor board needs after a sign-in, loaded while someone types their name and
PIN (off the UI thread, once per process): the floor screen's modules (its widgets,
dialogs and services), those the app calls on signing in, a first read of the board
(its SQL compiled, the database's pages cached) and of a few of its rows (the read a
change from another terminal makes: compiling it took 3–4 ms of the first claim shown).
Without it the first floor board after a start, and the first change it shows, wait
for these. What it loaded is then set aside from the garbage collector's full walks
(`heap`), which it would otherwise slow all day.
"""

from __future__ import annotations

import importlib
from contextlib import suppress
from typing import TYPE_CHECKING

from counter_tui.ui.heap import set_aside_what_was_loaded

if TYPE_CHECKING:
    from counter_tui.services.context import ShopContext

MODULES = (
    "counter_tui.ui.screens.floor",
    "counter_tui.services.notices",
    "counter_tui.services.followups",
    "counter_tui.services.outbox",
    "counter_tui.services.kudos",
    "counter_tui.services.review_views",
)
NO_VISIT = 0
"""A visit id no visit has: the rows' read runs, and finds nothing."""
_done = False


def warm_up_floor(ctx: ShopContext) -> None:
    """Import what the first floor board needs and read the board, and a few rows of it,
    once (the results are dropped: the floor reads its own), then set aside what is
    loaded from full garbage collections; only the first call does anything."""
    global _done
    if _done:
        return
    _done = True
    for name in MODULES:
        importlib.import_module(name)
    from pendulum.locales.locale import Locale

    from counter_tui.services import floor_changes

    Locale.load("en")
    with suppress(Exception):  # the floor reads its own board, and says when it cannot
        floor_changes.whole_board(ctx)
        floor_changes.floor_patch(ctx, (), visit_ids=(NO_VISIT,))
    set_aside_what_was_loaded()
