"""A running terminal's change feed, as a process of its own, for the restore test.

`python -m tests.concurrency.feed_terminal URL`: opens the shop, watches the change feed
and prints one line per thing it hears: `ready` once watching, `replaced` when the feed
says the database was replaced (re-read everything), and `ACTION ENTITY_ID` for each
change reported.
"""

from __future__ import annotations

import sys

from counter_tui.bootstrap import open_shop
from counter_tui.sync.feed import FeedEvent, open_feed
from tests.conftest import make_settings


def main(url: str) -> None:
    """Watch until stdin closes."""
    ctx = open_shop(make_settings(url), migrate=False)

    def on_event(event: FeedEvent) -> None:
        if event.replaced:
            print("replaced", flush=True)
        for change in event.changes:
            print(change.action, change.entity_id, flush=True)

    feed = open_feed(ctx, on_event, poll_seconds=0.02)
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        feed.stop()
        ctx.database.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
