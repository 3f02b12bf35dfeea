"""A staff terminal left to itself, for the automatic-sender test: `python -m
tests.concurrency.mail_app_process URL NOW` (NOW in ISO form: the test's clock). Prints
`ready`, waits for a `go` line, then starts the staff app headless (which delivers the
outbox by itself when it starts), and prints `done` once that pass has finished."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from counter_tui.clock import ManualClock
from counter_tui.db.engine import Database
from counter_tui.services.context import ShopContext
from counter_tui.ui.app import CounterApp
from tests.concurrency.workers import settings_for


async def run_app(ctx: ShopContext) -> None:
    """Start the app, let its first pass over the outbox finish, and stop."""
    app = CounterApp(ctx, live=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()


def main(url: str, now: str) -> None:
    ctx = ShopContext(
        database=Database(url), settings=settings_for(url), clock=ManualClock(datetime.fromisoformat(now))
    )
    print("ready", flush=True)
    assert sys.stdin.readline().strip() == "go"
    asyncio.run(run_app(ctx))
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
