"""Eight terminals starting at the same instant on a shop without settings yet: exactly
one imports its settings file (one audited import, every setting once), the others
keep what it imported, and none of them sees an error. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import col, delete, func, select

from counter_tui.db.models import AuditEvent, ShopSetting
from counter_tui.shop_rules import SETTING_KEYS
from tests.concurrency.race import RacePool, open_race_shop

pytestmark = pytest.mark.slow


def test_eight_first_starts_import_the_settings_once(shared_url: str, eight_workers: RacePool) -> None:
    ctx, actors = open_race_shop(shared_url, leads=2, associates=6)
    with ctx.database.write() as session:  # as a shop just upgraded to the settings table
        session.exec(delete(ShopSetting))  # type: ignore[call-overload]
    try:
        outcomes = eight_workers.race(shared_url, actors, "import_settings", 0)

        assert [o.message for o in outcomes if o.result == "failure"] == []
        assert Counter(o.result for o in outcomes) == {"won": 1, "kept": 7}
        with ctx.database.read() as session:
            assert session.exec(select(func.count()).select_from(ShopSetting)).one() == len(SETTING_KEYS)
            imports = session.exec(
                select(func.count())
                .select_from(AuditEvent)
                .where(col(AuditEvent.action) == "shop_settings.imported")
            ).one()
        assert imports == 2  # the shop's own first start, and one of the eight
    finally:
        ctx.database.dispose()
