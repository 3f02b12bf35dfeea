"""Keeping Python's full garbage collections short, and out of the way, on a terminal that
runs all day.

A full (oldest-generation) collection walks every object the garbage collector tracks.
Once the app has loaded its modules (SQLAlchemy, pydantic, Textual, the floor's screens:
over 100,000 objects that live as long as the process), each such walk took 85–107 ms
of the UI thread, every two seconds or so while another terminal's claims arrived, and a
claim that met one was painted 140 ms late instead of 30. Moving those objects out of
the collector's sight (`gc.freeze`) once they are loaded leaves it the objects made
since: 15–25 ms a walk on the floor board. While an app runs (`QuietHeap`), those walks
wait for a quiet moment (`counter_tui.quiet_collections`), and memory freed meanwhile goes
back to the system at such moments (`counter_tui.free_memory`).
"""

from __future__ import annotations

import gc
import time

from textual import events
from textual.app import ReturnType

from counter_tui.free_memory import FREE_MEMORY
from counter_tui.quiet_collections import FULL_COLLECTIONS, QUIET_SECONDS
from counter_tui.ui.guarded_app import GuardedApp

CHECK_SECONDS = 0.25
"""How often a running app looks whether a full collection is due."""


def set_aside_what_was_loaded() -> None:
    """Collect the young garbage (the loading's leftovers), then keep every object alive
    now out of later full collections. For once per process, after the loading: what is
    set aside is never collected, so anything that is garbage later leaks."""
    gc.collect(1)
    gc.freeze()


class QuietHeap(GuardedApp[ReturnType]):
    """Mix into an app that runs all day: its full garbage collections wait for quiet
    moments while it runs, and it knows how long it has been since the last key press
    (`idle_seconds`)."""

    _last_input = float("-inf")
    """When the last key was pressed (`time.monotonic`); never, until one is."""

    def on_mount(self) -> None:
        """Hold full collections (if the start has not already)."""
        FULL_COLLECTIONS.hold()

    def on_ready(self) -> None:
        """The first frame is on the terminal: from now on, look every CHECK_SECONDS whether
        a full collection is due (before it nothing is quiet: the app is still starting,
        on a slow machine longer than CHECK_SECONDS)."""
        self.set_interval(CHECK_SECONDS, self._collect_if_quiet, name="full collection when quiet")

    def on_unmount(self) -> None:
        """Let Python run full collections by itself again (the process may go on)."""
        FULL_COLLECTIONS.release()

    async def on_event(self, event: events.Event) -> None:
        """Note each key press: it ends a quiet moment."""
        if isinstance(event, events.Key):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def idle_seconds(self) -> float:
        """Seconds since the last key press."""
        return time.monotonic() - self._last_input

    def _collect_if_quiet(self) -> None:
        """Run a full collection if one is due and the terminal is quiet; after one, or at a
        quiet moment once keys were pressed since the last time, give freed memory back to
        the system (`free_memory`: not again and again on a terminal nobody uses). A
        service call under way is no quiet moment: its thread would wait. (The key time is
        read here, not through `idle_seconds`, which is the idle lock's to call: a test
        makes the lock's check fail through it.)"""
        busy = any(not worker.is_finished for worker in self.workers)
        quiet_for = 0.0 if busy else time.monotonic() - self._last_input
        collected = FULL_COLLECTIONS.collect_if_due(quiet_for)
        used_since = self._last_input > FREE_MEMORY.last_given_at
        if collected or (quiet_for >= QUIET_SECONDS and used_since):
            FREE_MEMORY.give_back_if_due()
