"""Eight shift leads each closing the shop on a day of their own, at the same instant:
every day is kept, each once, with its own audited change (the holiday list is read and
written in one transaction, never rebuilt from a copy another lead has since changed).
On SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import col, func, select

from counter_tui.db.models import AuditEvent
from counter_tui.services import shop_settings
from tests.concurrency.race import RacePool, open_race_shop
from tests.concurrency.workers import holiday_of

pytestmark = pytest.mark.slow


def test_eight_leads_adding_holidays_at_once_keep_all_eight(shared_url: str, eight_workers: RacePool) -> None:
    ctx, leads = open_race_shop(shared_url, leads=8, associates=0)
    try:
        outcomes = eight_workers.race(shared_url, leads, "add_holiday", 0)

        assert [o.message for o in outcomes if o.result == "failure"] == []
        assert Counter(o.result for o in outcomes) == {"won": 8}
        assert shop_settings.current(ctx).shop.holidays == sorted(holiday_of(lead) for lead in leads)
        with ctx.database.read() as session:
            changes = session.exec(
                select(func.count())
                .select_from(AuditEvent)
                .where(col(AuditEvent.action) == shop_settings.CHANGED)
            ).one()
        assert changes == 8
    finally:
        ctx.database.dispose()
