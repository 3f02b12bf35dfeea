"""Collect what a change feed reports, and wait for what a test expects.

Waiting is on a queue with a generous timeout: the test goes on the moment the event
arrives and fails only if it never does. Nothing here sleeps for timing.
"""

from __future__ import annotations

import queue
from collections.abc import Callable

from counter_tui.sync.feed import FeedEvent

WAIT_SECONDS = 20.0


class Inbox:
    """A feed callback that queues events for the test thread."""

    def __init__(self) -> None:
        self.events: queue.Queue[FeedEvent] = queue.Queue()
        self.seen: list[FeedEvent] = []

    def __call__(self, event: FeedEvent) -> None:
        self.events.put(event)

    def next(self) -> FeedEvent:
        """The next event, failing the test if none comes."""
        try:
            event = self.events.get(timeout=WAIT_SECONDS)
        except queue.Empty:
            raise AssertionError(f"no feed event came; seen so far: {self.seen}") from None
        self.seen.append(event)
        return event

    def until(self, wanted: Callable[[FeedEvent], bool]) -> list[FeedEvent]:
        """Events up to and including the first one `wanted` accepts."""
        events = [self.next()]
        while not wanted(events[-1]):
            events.append(self.next())
        return events

    def actions_until(self, action: str, entity_id: int) -> list[tuple[str, int | None]]:
        """(action, entity id) of every change reported up to the one wanted."""
        events = self.until(
            lambda event: any((c.action, c.entity_id) == (action, entity_id) for c in event.changes)
        )
        return [(c.action, c.entity_id) for event in events for c in event.changes]

    def assert_quiet(self) -> None:
        """No event is waiting (call only after a later, expected event has arrived)."""
        assert self.events.empty(), self.events.get_nowait()
