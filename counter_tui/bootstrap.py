"""Open a shop: connect to the database, apply migrations, build the context, and on a
shop's first start import this terminal's shop-wide settings into the database.

The schema check is one SELECT (`db/schema_version`); Alembic is imported only when the
database is behind this package (or new), since most starts find it up to date."""

from __future__ import annotations

from counter_tui.clock import Clock, system_clock
from counter_tui.config import Settings
from counter_tui.db.diagnose import no_shop_yet
from counter_tui.db.engine import Database
from counter_tui.db.schema_version import shipped_head, stored_revision
from counter_tui.errors import NoShopYet
from counter_tui.services.contact import shop_region
from counter_tui.services.context import ShopContext
from counter_tui.services.shop_settings import import_if_empty


def open_shop(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    migrate: bool = True,
    create: bool = False,
) -> ShopContext:
    """A ready `ShopContext` for `settings`, with the schema brought up to date.

    Only `create=True` starts a new shop (a new SQLite file, or the schema in an empty
    PostgreSQL database); otherwise a database holding no shop is refused with
    `NoShopYet`, so a mistyped `--db` is never mistaken for a new shop. A shop without
    shop-wide settings yet takes this terminal's (once, audited as an import).
    """
    database = Database(settings.database_url, create=create)
    try:
        if migrate:
            current = stored_revision(database)
            if not create and current is None:
                raise NoShopYet(no_shop_yet(database.url))
            if current != shipped_head():
                from counter_tui.db.migrate import upgrade  # Alembic: only when needed

                upgrade(database, phone_region=shop_region(settings.shop))
        shop = ShopContext(database=database, settings=settings, clock=clock)
        if migrate:
            import_if_empty(shop)
    except BaseException:
        database.dispose()
        raise
    return shop
