"""Python's full garbage collections, held while an app runs all day and run at quiet moments.

A full (oldest-generation) collection walks every object the collector tracks: 15–25 ms
of a staff terminal's UI thread once its modules are set aside (`ui/heap.py`), 30–70 ms
while they are still being imported. Python starts one when the allocations of the
moment call for it, so it always fell on work: two while the shop opened and the floor's
modules loaded as someone typed their name and PIN (30 and 70 ms), then on keys (the
slowest cursor move down the floor board took 37–59 ms instead of 14–27) and on claims
from other terminals being drawn. On a lead's terminal that has opened every screen, each
walks what those screens drew and loaded: 80 ms, up to 180 ms.

While the staff app or the kiosk runs, full collections wait (`hold`) until they are due
(as often as Python's own threshold would run them) and the terminal is quiet: nobody
has pressed a key for QUIET_SECONDS, no service call is under way and no write is open
(`collect_if_due`); and at the latest when two would have run, so memory stays bounded
on a terminal that is never quiet (driven round its screens without a pause, it held
the same memory as with Python's own). Younger collections (well under a millisecond)
run as Python runs them. From Python 3.14 the collector is incremental and ignores the
oldest generation's threshold: holding it changes nothing there, and the quiet-moment
collections still run.

Nothing here imports more than the standard library, so the staff app can hold full
collections before it imports anything heavy.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

HELD = 2**30
"""The oldest generation's threshold while full collections wait: never reached."""
MIDDLE_COLLECTIONS_PER_FULL = 10
"""A full collection is due after this many middle-generation collections, as Python's
default threshold has it."""
QUIET_SECONDS = 0.25
"""How long without a key press counts as a quiet moment (a person reading the screen)."""
MIDDLE_COLLECTIONS_AT_MOST = 2 * MIDDLE_COLLECTIONS_PER_FULL
"""A full collection runs after this many middle-generation collections even if no quiet
moment came: closed screens and dialogs are garbage only a full collection frees (a
terminal driven round its screens without a pause grew 12 MiB a loop while collections
waited two minutes for a quiet moment)."""


class QuietCollections:
    """Python's automatic full collections, held (`hold`) and run when due at a quiet
    moment (`collect_if_due`)."""

    def __init__(self) -> None:
        self._threshold: tuple[int, int, int] | None = None

    @property
    def holding(self) -> bool:
        """Whether automatic full collections are held now."""
        return self._threshold is not None

    def hold(self) -> None:
        """Stop Python starting full collections by itself (younger ones run as before);
        holding again changes nothing."""
        if self._threshold is None:
            self._threshold = gc.get_threshold()
            young, middle, _ = self._threshold
            gc.set_threshold(young, middle, HELD)

    def release(self) -> None:
        """Let Python start full collections by itself again, as before `hold`."""
        if self._threshold is not None:
            gc.set_threshold(*self._threshold)
            self._threshold = None

    @contextmanager
    def held(self) -> Iterator[None]:
        """Held while inside; as they were after (held still, if they were before)."""
        was_holding = self.holding
        self.hold()
        try:
            yield
        finally:
            if not was_holding:
                self.release()

    def collect_if_due(self, quiet_for: float) -> bool:
        """Run a full collection if Python would have run one by now and the terminal has
        been quiet for `quiet_for` ≥ QUIET_SECONDS (or two would have run by now),
        unless a write is open on any thread (it would hold the write up); True if it ran."""
        due = gc.get_count()[2]
        if due < MIDDLE_COLLECTIONS_PER_FULL:
            return False
        if quiet_for < QUIET_SECONDS and due < MIDDLE_COLLECTIONS_AT_MOST:
            return False
        from counter_tui.db import collection  # loaded by the time anything is due

        if collection.writes_open():
            return False
        gc.collect(2)
        return True


FULL_COLLECTIONS = QuietCollections()
"""This process's full collections (the apps hold them while they run)."""
