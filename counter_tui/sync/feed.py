"""The change feed screens subscribe to.

`ChangeFeed(ctx, on_event)` picks the backend for the shop's database: on SQLite it
polls the file's change counter (`sqlite_feed`), on PostgreSQL it LISTENs for the
notifications sent by the audit trigger (`postgres_feed`). Either way `on_event` is
called on the feed's own thread with a `FeedEvent`: the changes since last time, the
visits whose lookers changed, and whether the database is reachable. Screens hand the
event to their UI thread and refresh only what changed.
"""

from __future__ import annotations

from collections.abc import Callable

from counter_tui.services.changes import Change
from counter_tui.services.context import ShopContext
from counter_tui.sync.base import FeedWatcher
from counter_tui.sync.events import FeedEvent
from counter_tui.sync.sqlite_feed import SqliteFeed

__all__ = ["Change", "ChangeFeed", "FeedEvent", "open_feed"]


class ChangeFeed:
    """Watches the shop's database and reports committed changes to `on_event`.

    `poll_seconds` sets the SQLite poll interval (PostgreSQL is push, so it ignores it).
    """

    def __init__(
        self,
        ctx: ShopContext,
        on_event: Callable[[FeedEvent], None],
        *,
        poll_seconds: float | None = None,
    ) -> None:
        self.ctx = ctx
        self.on_event = on_event
        self.watcher: FeedWatcher
        if ctx.database.is_sqlite:
            if poll_seconds is None:
                self.watcher = SqliteFeed(ctx, on_event)
            else:
                self.watcher = SqliteFeed(ctx, on_event, poll_seconds=poll_seconds)
        else:
            from counter_tui.sync.postgres_feed import PostgresFeed  # psycopg: the postgres extra

            self.watcher = PostgresFeed(ctx, on_event)

    @property
    def online(self) -> bool:
        """Whether the database answered the last time the feed asked."""
        return self.watcher.online

    def start(self) -> None:
        """Start watching; every change committed after this returns is reported."""
        self.watcher.start()

    def stop(self) -> None:
        """Stop watching and release the feed's connection."""
        self.watcher.stop()

    def poll_once(self) -> FeedEvent | None:
        """Ask for changes not yet reported, now; returns them instead of calling back."""
        return self.watcher.poll_once()


def open_feed(
    ctx: ShopContext, on_event: Callable[[FeedEvent], None], *, poll_seconds: float | None = None
) -> ChangeFeed:
    """A started `ChangeFeed` for the shop's database (SQLite or PostgreSQL)."""
    feed = ChangeFeed(ctx, on_event, poll_seconds=poll_seconds)
    feed.start()
    return feed
