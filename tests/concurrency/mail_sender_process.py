"""A terminal delivering the outbox, for the killed-sender test: `python -m
tests.concurrency.mail_sender_process URL NOW` (NOW in ISO form: the test's clock).
Prints `sending` before it delivers, then `done SENT RETRYING FAILED`."""

from __future__ import annotations

import sys
from datetime import datetime

from counter_tui.clock import ManualClock
from counter_tui.db.engine import Database
from counter_tui.services import mail_sender
from counter_tui.services.context import ShopContext
from tests.concurrency.workers import settings_for


def main(url: str, now: str) -> None:
    """Deliver what is due at `now`, as any terminal's sender would."""
    ctx = ShopContext(
        database=Database(url), settings=settings_for(url), clock=ManualClock(datetime.fromisoformat(now))
    )
    print("sending", flush=True)
    run = mail_sender.deliver_pending(ctx, timeout=60)
    print(f"done {run.sent} {run.retrying} {run.failed}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
