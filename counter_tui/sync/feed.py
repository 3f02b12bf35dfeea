"""A background change feed for screens.

`ChangeFeed` runs in its own thread, watches the database for committed changes, and
calls `on_event` with a `FeedEvent`: the changes since last time, and whether the
database is reachable. Screens refresh from it without user action.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from counter_tui.errors import DomainError
from counter_tui.services.changes import Change, changes_since, latest_event_id
from counter_tui.services.context import ShopContext

POLL_SECONDS = 0.25


@dataclass(frozen=True)
class FeedEvent:
    """What the feed saw: new changes, and whether the database answered."""

    online: bool
    changes: tuple[Change, ...] = field(default=())


class ChangeFeed:
    """Polls the newest audit event id and reports what changed."""

    def __init__(
        self,
        ctx: ShopContext,
        on_event: Callable[[FeedEvent], None],
        *,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.ctx = ctx
        self.on_event = on_event
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_id = 0
        self._online = True

    def start(self) -> None:
        """Begin watching from the current newest change."""
        try:
            self._last_id = latest_event_id(self.ctx)
        except DomainError:
            self._online = False
        self._thread = threading.Thread(target=self._run, name="change-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching and wait for the thread to end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def poll_once(self) -> FeedEvent | None:
        """Check once; an event if something changed or the connection state flipped."""
        try:
            changes = changes_since(self.ctx, self._last_id)
        except DomainError:
            if self._online:
                self._online = False
                return FeedEvent(online=False)
            return None
        came_back = not self._online
        self._online = True
        if changes:
            self._last_id = changes[-1].event_id
        if changes or came_back:
            return FeedEvent(online=True, changes=tuple(changes))
        return None

    def _run(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            event = self.poll_once()
            if event is not None:
                self.on_event(event)
