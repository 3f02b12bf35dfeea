"""Open a shop: connect to the database, apply migrations, and build the context."""

from __future__ import annotations

from counter_tui.clock import Clock, system_clock
from counter_tui.config import Settings
from counter_tui.db.engine import Database
from counter_tui.db.migrate import upgrade
from counter_tui.services.contact import shop_region
from counter_tui.services.context import ShopContext


def open_shop(settings: Settings, *, clock: Clock = system_clock, migrate: bool = True) -> ShopContext:
    """A ready `ShopContext` for `settings`, with the schema brought up to date."""
    database = Database(settings.database_url)
    if migrate:
        upgrade(database, phone_region=shop_region(settings.shop))
    return ShopContext(database=database, settings=settings, clock=clock)
