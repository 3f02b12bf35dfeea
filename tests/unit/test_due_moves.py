"""When a shift lead changes the shop's hours or holidays, every open follow-up whose due
time now falls while the shop is shut moves, in the same transaction, by one rule
(`StoreCalendar.kept_open`): earlier while the shop still opens before it, else to the
next time it is open. Each move is kept in the due history with the lead and the reason,
the first due time stays in `original_due_at`, one audit event says how many moved for
whom, and the end-of-day report reads the moved times. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from counter_tui.clock import ManualClock
from counter_tui.db.models import Channel, FollowUp, FollowUpDue, FollowUpKind
from counter_tui.errors import InvalidInput
from counter_tui.services import followups, shop_settings, status_updates
from counter_tui.services.context import ShopContext
from counter_tui.services.end_of_day import end_of_day
from counter_tui.services.followup_snooze import due_history, reschedule_followup
from tests.conftest import FRIDAY_11AM, Team, postgres_url
from tests.unit.conftest import AuditLog, RowCount
from tests.unit.test_write_statements import sent


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both databases: the move is one conditional update per due time on each."""
    if request.param == "postgresql":
        return postgres_url(request)
    return f"sqlite:///{tmp_path / 'counter.sqlite3'}"


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


MONDAY = date(2026, 11, 23)
MONDAY_CLOSE = _utc(2026, 11, 23, 17, 30)
SATURDAY_OPENS = _utc(2026, 11, 21, 10, 0)
SATURDAY_CLOSE = _utc(2026, 11, 21, 16, 0)
TODAY_CLOSE = _utc(2026, 11, 20, 17, 30)
HOURS_CHANGED = "the shop's hours changed"
HOLIDAYS_CHANGED = "the shop's holidays changed"


def _promise(ctx: ShopContext, team: Team, bob: int, due: datetime) -> int:
    return followups.add_promise(ctx, team.sam, bob, promise="Order the size 9", due_at=due)


def _callback(ctx: ShopContext, team: Team, bob: int) -> int:
    """A call back asked for at 11:00 on Friday: due by today's close, 17:30."""
    return followups.add_callback(
        ctx, team.sam, bob, about="Price of the blue kettle", consent_source="asked at the counter"
    )


def _due(fetch: Callable[..., Any], *followup_ids: int) -> list[tuple[datetime, datetime | None]]:
    return [(fetch(FollowUp, i).due_at, fetch(FollowUp, i).original_due_at) for i in followup_ids]


def test_a_new_holiday_moves_what_fell_on_it_to_the_close_of_the_open_day_before(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    by_close = _promise(ctx, team, bob, MONDAY_CLOSE)
    at_ten = _promise(ctx, team, bob, _utc(2026, 11, 23, 10, 0))
    next_day = _promise(ctx, team, bob, _utc(2026, 11, 24, 12, 0))

    changed = shop_settings.add_holiday(ctx, team.lead, MONDAY)

    assert (changed.changed, changed.followups_moved) == (True, 2)
    assert _due(fetch, by_close, at_ten, next_day) == [
        (SATURDAY_CLOSE, MONDAY_CLOSE),
        (SATURDAY_CLOSE, _utc(2026, 11, 23, 10, 0)),
        (_utc(2026, 11, 24, 12, 0), None),
    ]
    [move] = due_history(ctx, team.sam, by_close)
    assert (move.from_due_at, move.to_due_at, move.reason, move.moved_by, move.moved_at) == (
        MONDAY_CLOSE,
        SATURDAY_CLOSE,
        HOLIDAYS_CHANGED,
        team.lead.staff_id,
        FRIDAY_11AM,
    )
    settings_event, moved_event = audit_log(shop_settings.CHANGED, "followup.due_moved")
    assert (moved_event.actor_id, moved_event.entity, moved_event.entity_id) == (
        team.lead.staff_id,
        "followup",
        None,
    )
    assert json.loads(moved_event.details) == {
        "reason": HOLIDAYS_CHANGED,
        "moved": 2,
        "owners": {str(team.sam.staff_id): 2},
    }
    assert moved_event.id == (settings_event.id or 0) + 1  # one transaction, one commit


def test_when_the_shop_has_closed_for_the_day_its_due_times_go_to_the_next_open_day(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any]
) -> None:
    """Hours cut to 09:00-10:30 at 11:00: nothing is open before 17:30 today any more. A
    callback due by close goes to the next open day's close, a time of day to its opening;
    the end-of-day report no longer counts the call as unreturned today."""
    callback = _callback(ctx, team, bob)
    at_three = _promise(ctx, team, bob, _utc(2026, 11, 20, 15, 0))
    assert [call.id for call in end_of_day(ctx, team.lead).unreturned_calls] == [callback]

    changed = shop_settings.set_hours(ctx, team.lead, "fri", "09:00-10:30")

    assert changed.followups_moved == 2
    # Moved later by the shop, not by their owner: the scorecard measures them against
    # the new time (the due history keeps the first).
    assert _due(fetch, callback, at_three) == [
        (SATURDAY_CLOSE, SATURDAY_CLOSE),
        (SATURDAY_OPENS, SATURDAY_OPENS),
    ]
    assert [m.reason for m in due_history(ctx, team.sam, callback)] == [HOURS_CHANGED]
    report = end_of_day(ctx, team.lead)
    assert report.closes_at == _utc(2026, 11, 20, 10, 30)
    assert report.unreturned_calls == ()


def test_a_shorter_day_brings_its_due_times_to_the_new_close(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any]
) -> None:
    callback = _callback(ctx, team, bob)
    at_three = _promise(ctx, team, bob, _utc(2026, 11, 20, 15, 0))
    at_noon = _promise(ctx, team, bob, _utc(2026, 11, 20, 12, 0))

    changed = shop_settings.set_hours(ctx, team.lead, "fri", "09:00-13:00")

    assert changed.followups_moved == 2
    new_close = _utc(2026, 11, 20, 13, 0)
    assert _due(fetch, callback, at_three, at_noon) == [
        (new_close, TODAY_CLOSE),
        (new_close, _utc(2026, 11, 20, 15, 0)),
        (_utc(2026, 11, 20, 12, 0), None),
    ]
    mine = followups.my_followups(ctx, team.sam)
    assert [v.due_at for v in mine.due_today] == [_utc(2026, 11, 20, 12, 0), new_close, new_close]


def test_what_is_overdue_done_or_cancelled_stays_as_it_was(
    ctx: ShopContext,
    team: Team,
    bob: int,
    clock: ManualClock,
    fetch: Callable[..., Any],
    row_count: RowCount,
    audit_log: AuditLog,
) -> None:
    overdue = _promise(ctx, team, bob, _utc(2026, 11, 20, 11, 30))
    done = _promise(ctx, team, bob, _utc(2026, 11, 20, 15, 0))
    cancelled = _promise(ctx, team, bob, _utc(2026, 11, 20, 16, 0))
    followups.complete_followup(ctx, team.sam, done, what_was_done="Ordered")
    followups.cancel_followup(ctx, team.sam, cancelled, reason="collected in person")
    clock.advance(hours=1)  # 12:00: the 11:30 promise is overdue

    changed = shop_settings.set_hours(ctx, team.lead, "fri", "09:00-10:30")

    assert changed.followups_moved == 0
    assert _due(fetch, overdue, done, cancelled) == [
        (_utc(2026, 11, 20, 11, 30), None),
        (_utc(2026, 11, 20, 15, 0), None),
        (_utc(2026, 11, 20, 16, 0), None),
    ]
    assert (fetch(FollowUp, done).status, fetch(FollowUp, cancelled).status) == ("done", "cancelled")
    assert row_count(FollowUpDue) == 0
    assert audit_log("followup.due_moved") == []


def test_a_snoozed_follow_up_keeps_its_first_due_time_when_the_shop_moves_it(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any]
) -> None:
    first = _utc(2026, 11, 20, 15, 0)
    promise = _promise(ctx, team, bob, first)
    reschedule_followup(ctx, team.sam, promise, "mon 10:00", "Supplier closed until Monday")

    shop_settings.add_holiday(ctx, team.lead, MONDAY)

    assert _due(fetch, promise) == [(SATURDAY_CLOSE, first)]
    assert [(m.to_due_at, m.reason) for m in due_history(ctx, team.sam, promise)] == [
        (_utc(2026, 11, 23, 10, 0), "Supplier closed until Monday"),
        (SATURDAY_CLOSE, HOLIDAYS_CHANGED),
    ]


def test_a_follow_up_the_shop_moves_later_is_not_late_for_its_owner_but_a_snooze_still_is(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any]
) -> None:
    """Found in review: a follow-up the shop's new hours moved later was measured against
    its first due time, so the scorecard counted its owner late for the shop's decision.
    Moved later by the shop, it is measured against the later of the two; a due time the
    owner snoozed past stays measured against what was first owed when the shop moves it
    earlier."""
    first = _utc(2026, 11, 20, 15, 0)
    snoozed = _promise(ctx, team, bob, first)
    reschedule_followup(ctx, team.sam, snoozed, "mon 10:00", "Supplier closed until Monday")
    today = _promise(ctx, team, bob, _utc(2026, 11, 20, 16, 0))

    shop_settings.add_holiday(ctx, team.lead, MONDAY)
    assert _due(fetch, snoozed) == [(SATURDAY_CLOSE, first)]

    shop_settings.set_hours(ctx, team.lead, "fri", "09:00-10:30")
    assert _due(fetch, today) == [(SATURDAY_OPENS, SATURDAY_OPENS)]


def test_a_change_that_leaves_every_due_time_open_moves_nothing(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    promise = _promise(ctx, team, bob, MONDAY_CLOSE)
    moved = [
        shop_settings.add_holiday(ctx, team.lead, date(2026, 12, 25)).followups_moved,
        shop_settings.remove_holiday(ctx, team.lead, date(2026, 12, 25)).followups_moved,
        shop_settings.set_hours(ctx, team.lead, "mon", "08:00-18:00").followups_moved,
        shop_settings.change(ctx, team.lead, {"thresholds.greet_within_minutes": "3"}).followups_moved,
    ]
    assert moved == [0, 0, 0, 0]
    assert _due(fetch, promise) == [(MONDAY_CLOSE, None)]
    assert audit_log("followup.due_moved") == []


def test_hours_that_would_never_open_again_are_refused_while_follow_ups_are_owed(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    promise = _promise(ctx, team, bob, MONDAY_CLOSE)
    every_day = {f"shop.hours.{day}": "closed" for day in shop_settings.WEEKDAYS}

    with pytest.raises(InvalidInput, match="never open") as refused:
        shop_settings.change(ctx, team.lead, every_day)

    assert "1 open follow-up" in str(refused.value)
    assert shop_settings.current(ctx).shop.hours["mon"] == "09:00-17:30"
    assert _due(fetch, promise) == [(MONDAY_CLOSE, None)]
    assert audit_log(shop_settings.CHANGED, "followup.due_moved") == []


def test_many_follow_ups_move_in_one_statement_per_due_time(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], row_count: RowCount
) -> None:
    """A shop with hundreds of follow-ups on the day that becomes a holiday: the write
    transaction sends one update per distinct due time and one insert of the due history,
    however many follow-ups move (every other terminal waits while it runs)."""
    with ctx.database.write() as session:
        for index in range(400):
            session.add(
                FollowUp(
                    customer_id=bob,
                    kind=FollowUpKind.PROMISE if index % 2 else FollowUpKind.THANK_YOU,
                    owner_id=(team.sam if index % 4 else team.alex).staff_id or 0,
                    channel=Channel.IN_PERSON,
                    summary=f"Order number {index}",
                    due_at=MONDAY_CLOSE if index % 2 else _utc(2026, 11, 23, 12, 0),
                    created_at=ctx.now() - timedelta(days=1),
                )
            )

    with sent(ctx) as statements:
        changed = shop_settings.add_holiday(ctx, team.lead, MONDAY)

    assert changed.followups_moved == 400
    assert statements.count("update followup") == 2
    assert statements.count("insert followupdue") == 1
    assert row_count(FollowUpDue) == 400


def test_a_close_too_soon_to_keep_it_by_is_no_earlier_time_to_move_to(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock, fetch: Callable[..., Any]
) -> None:
    """The tester's morning: at 06:37 on Monday 30 November, Tuesday made a holiday, then
    Monday cut to 04:00-06:45. Moving the day's work to 06:45, eight minutes away, would
    only make it overdue; a close less than the callback cut-off (an hour) away is too
    soon, as it is for a callback asked then, so it all goes to Wednesday."""
    clock.moment = _utc(2026, 11, 30, 6, 37)
    callback = _callback(ctx, team, bob)
    update = status_updates.start_status_update(
        ctx, team.sam, bob, about="Sofa order", channel=Channel.IN_PERSON, every_days=1
    )
    promise = _promise(ctx, team, bob, _utc(2026, 11, 30, 9, 37))
    monday_close, tuesday_close = _utc(2026, 11, 30, 17, 30), _utc(2026, 12, 1, 17, 30)
    assert _due(fetch, callback, update) == [(monday_close, None), (tuesday_close, None)]

    assert shop_settings.add_holiday(ctx, team.lead, date(2026, 12, 1)).followups_moved == 1
    assert _due(fetch, update) == [(monday_close, tuesday_close)]  # earlier: hours ahead yet

    assert shop_settings.set_hours(ctx, team.lead, "mon", "04:00-06:45").followups_moved == 3

    wednesday_opens, wednesday_close = _utc(2026, 12, 2, 9, 0), _utc(2026, 12, 2, 17, 30)
    # Moved later by the shop: each is measured against its new time.
    assert _due(fetch, callback, update, promise) == [
        (wednesday_close, wednesday_close),
        (wednesday_close, wednesday_close),
        (wednesday_opens, wednesday_opens),
    ]
    assert end_of_day(ctx, team.lead).unreturned_calls == ()
    # Where a callback asked now is due, and a thank-you for a visit ending now.
    assert ctx.calendar.callback_due(ctx.now(), 60) == wednesday_close
    assert ctx.calendar.thank_you_due(ctx.now()) == wednesday_close
