"""Status updates started from the customer view: due every N days at close in the shop's
time zone, owned by whoever started them, consent for the channel, no second update on the
same thing, and "still open" queuing the next one N days on while "done" closes it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import col, select

from counter_tui.clock import ManualClock
from counter_tui.db.models import Channel, FollowUp, FollowUpKind, FollowUpStatus
from counter_tui.errors import Conflict, InvalidInput, NotAllowed
from counter_tui.services import customers, followups, status_updates
from counter_tui.services.context import ShopContext
from tests.conftest import Team, set_shop_rules
from tests.unit.conftest import AuditLog, RowCount


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _open_updates(ctx: ShopContext) -> list[FollowUp]:
    with ctx.database.read() as session:
        return list(
            session.exec(
                select(FollowUp).where(FollowUp.status == FollowUpStatus.OPEN).order_by(col(FollowUp.id))
            )
        )


def test_a_status_update_is_due_n_days_on_at_close_owned_by_who_started_it(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    customers.record_consent(ctx, team.sam, bob, Channel.SMS, granted=True, source="counter")
    update_id = status_updates.start_status_update(
        ctx, team.alex, bob, about="Watch repair, new crown ordered", channel=Channel.SMS, every_days=5
    )
    row = fetch(FollowUp, update_id)
    assert (row.kind, row.owner_id, row.channel, row.summary, row.every_days) == (
        FollowUpKind.STATUS_UPDATE,
        team.alex.staff_id,
        Channel.SMS,
        "Watch repair, new crown ordered",
        5,
    )
    assert row.due_at == _utc(2026, 11, 25, 17, 30)  # Friday + 5 = Wednesday, at close
    [queued] = audit_log("followup.queued")
    assert queued.entity_id == update_id and queued.actor_id == team.alex.staff_id


def test_the_due_time_is_the_close_of_the_shops_own_day(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock, fetch: Callable[..., Any]
) -> None:
    set_shop_rules(ctx, {"shop.timezone": "America/New_York"})
    clock.moment = _utc(2026, 11, 20, 2, 0)  # still Thursday evening in New York
    update_id = status_updates.start_status_update(
        ctx, team.sam, bob, about="Sofa order", channel=Channel.IN_PERSON, every_days=1
    )
    assert fetch(FollowUp, update_id).due_at == _utc(2026, 11, 20, 22, 30)  # Friday 17:30 New York


def test_still_open_comes_back_every_n_days_and_done_closes_it(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock
) -> None:
    first = status_updates.start_status_update(
        ctx, team.sam, bob, about="Bike service", channel=Channel.IN_PERSON, every_days=2
    )
    assert _open_updates(ctx)[0].due_at == _utc(2026, 11, 23, 17, 30)  # Sunday is shut: Monday

    clock.moment = _utc(2026, 11, 23, 10, 0)
    followups.complete_followup(ctx, team.sam, first, what_was_done="told: parts Wednesday", still_open=True)
    [second] = _open_updates(ctx)
    assert (second.summary, second.owner_id, second.every_days) == ("Bike service", team.sam.staff_id, 2)
    assert second.due_at == _utc(2026, 11, 25, 17, 30)  # Monday + 2 = Wednesday

    clock.moment = _utc(2026, 11, 25, 12, 0)
    assert second.id is not None
    followups.complete_followup(ctx, team.sam, second.id, what_was_done="collected", still_open=False)
    assert _open_updates(ctx) == []


def test_a_channel_without_consent_is_refused_in_person_needs_none(
    ctx: ShopContext, team: Team, bob: int, row_count: RowCount
) -> None:
    with pytest.raises(NotAllowed, match="Record their consent first, or pick 'in person'"):
        status_updates.start_status_update(
            ctx, team.sam, bob, about="Repair", channel=Channel.EMAIL, every_days=3
        )
    assert row_count(FollowUp) == 0
    status_updates.start_status_update(
        ctx, team.sam, bob, about="Repair", channel=Channel.IN_PERSON, every_days=3
    )
    assert row_count(FollowUp) == 1


def test_the_same_order_is_not_kept_up_to_date_twice(
    ctx: ShopContext, team: Team, bob: int, row_count: RowCount
) -> None:
    status_updates.start_status_update(
        ctx, team.sam, bob, about="Ring resize", channel=Channel.IN_PERSON, every_days=3
    )
    with pytest.raises(Conflict, match="already kept up to date on this; the next update is due Mon 23 Nov"):
        status_updates.start_status_update(
            ctx, team.alex, bob, about="ring RESIZE", channel=Channel.IN_PERSON, every_days=7
        )
    assert row_count(FollowUp) == 1


@pytest.mark.parametrize("typed", ["0", "61", "three", "", "2.5", "-1"])
def test_every_n_days_must_be_a_whole_number_of_days(typed: str) -> None:
    with pytest.raises(InvalidInput, match="whole number from 1 to 60") as refused:
        status_updates.every_days_from(typed)
    assert refused.value.field == "every_days"


def test_an_empty_about_is_refused_beside_its_field(ctx: ShopContext, team: Team, bob: int) -> None:
    with pytest.raises(InvalidInput, match="Say which order or repair") as refused:
        status_updates.start_status_update(
            ctx, team.sam, bob, about="  ", channel=Channel.IN_PERSON, every_days=3
        )
    assert refused.value.field == "about"
