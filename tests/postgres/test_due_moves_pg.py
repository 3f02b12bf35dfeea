"""On PostgreSQL, a follow-up checked off on another terminal while a lead's change of
hours moves the due times is not opened again, nor given a move it did not have: the
move waits for the row, reads it again and leaves it done."""

from __future__ import annotations

from datetime import UTC, date, datetime

import psycopg
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select

from counter_tui.db.models import FollowUp, FollowUpDue
from counter_tui.services import customers, followups, shop_settings
from counter_tui.services.context import ShopContext
from counter_tui.services.shop_settings import SettingsChanged
from tests.conftest import Team
from tests.postgres.test_customer_row_lock_pg import run_beside, waiting_for_a_lock

pytestmark = pytest.mark.postgres

MONDAY_CLOSE = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)


def test_a_follow_up_checked_off_while_the_hours_change_stays_done(
    ctx: ShopContext, team: Team, database_url: str
) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    checked_off = followups.add_promise(ctx, team.sam, bob, promise="Order the size 9", due_at=MONDAY_CLOSE)
    still_open = followups.add_promise(ctx, team.sam, bob, promise="Ring the supplier", due_at=MONDAY_CLOSE)
    url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    result: list[SettingsChanged] = []
    with psycopg.connect(url) as other:
        # Another terminal checking it off, its transaction not yet committed.
        other.execute(
            "UPDATE followup SET status = 'done', done_at = now(), outcome_note = 'Ordered' WHERE id = %s",
            (checked_off,),
        )
        thread, outcome = run_beside(
            lambda: result.append(shop_settings.add_holiday(ctx, team.lead, date(2026, 11, 23)))
        )
        while thread.is_alive() and not waiting_for_a_lock(other):
            thread.join(0.01)
        assert thread.is_alive(), "the move did not wait for the follow-up being checked off"
        other.commit()
    thread.join()

    assert outcome == [None]
    assert result[0].followups_moved == 1
    with ctx.database.read() as session:
        done = session.get(FollowUp, checked_off)
        moved = session.get(FollowUp, still_open)
        history = session.exec(select(FollowUpDue.followup_id)).all()
    assert done is not None and moved is not None
    assert (done.status, done.due_at, done.original_due_at) == ("done", MONDAY_CLOSE, None)
    assert (moved.status, moved.original_due_at) == ("open", MONDAY_CLOSE)
    assert history == [still_open]
