"""Real kiosk processes checking customers in at the same instant: each customer is quoted
their own place in the queue, never the same wait as the customer beside them (two
kiosks by one door once both said "about 10 minutes, nobody ahead")."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from counter_tui.db.models import Visit
from counter_tui.services import visits
from tests.concurrency.race import RacePool, open_race_shop

pytestmark = pytest.mark.slow


def test_eight_kiosks_checking_in_at_once_quote_eight_places(
    shared_url: str, eight_workers: RacePool
) -> None:
    ctx, actors = open_race_shop(shared_url, leads=0, associates=9)
    kiosks, busy = actors[:8], actors[8]
    visits.new_walk_in(ctx, busy, description="being served", claim=True)  # one colleague, busy
    outcomes = eight_workers.race(shared_url, kiosks, "kiosk_check_in", 0)
    assert [o.message for o in outcomes if o.result != "won"] == []
    with ctx.database.read() as session:
        quoted = session.exec(
            select(Visit.quoted_wait_minutes).where(col(Visit.quoted_wait_minutes).is_not(None))
        ).all()
    assert sorted(quoted) == [10 * place for place in range(1, 9)]  # one colleague, 10 minutes a visit
    assert len({o.message for o in outcomes}) == 8
    ctx.database.dispose()
