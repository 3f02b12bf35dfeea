"""A second terminal for the shop-settings test, as a process of its own.

`python -m tests.concurrency.settings_terminal URL CUSTOMER_ID`: opens the shop on
the test clock (Friday 11:00), reads the shop's rules once, watches the change feed,
and talks over stdin/stdout one line at a time:

- prints `ready` once its feed is watching;
- prints `settings changed` when its feed reports another terminal's settings change;
- on `callback`, queues a callback for the customer as Sam (as the counter would) and
  prints its due time in UTC (ISO 8601).
"""

from __future__ import annotations

import sys

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.services import followups, shop_settings, staff
from counter_tui.sync.feed import FeedEvent, open_feed
from tests.conftest import FRIDAY_11AM, make_settings


def main(url: str, customer_id: int) -> None:
    """Serve the commands read from stdin until it closes."""
    ctx = open_shop(make_settings(url), clock=ManualClock(FRIDAY_11AM), migrate=False)
    sam = next(person for person in staff.list_staff(ctx) if person.name == "Sam")
    actor = staff.sign_in(ctx, sam.id, "2222")
    assert ctx.rules  # read and kept, as a running terminal holds them

    def on_event(event: FeedEvent) -> None:
        if any(change.entity == shop_settings.ENTITY for change in event.changes):
            print("settings changed", flush=True)

    feed = open_feed(ctx, on_event, poll_seconds=0.02)
    print("ready", flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == "callback":
                followup_id = followups.add_callback(ctx, actor, customer_id, about="the blue kettle")
                print(followups.followup(ctx, actor, followup_id).due_at.isoformat(), flush=True)
    finally:
        feed.stop()
        ctx.database.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
