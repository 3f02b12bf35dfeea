"""Snoozing a follow-up: the due time read from typed text by the shop's hours, refused in
the past, without a reason or on a closed follow-up, allowed to its owner or a lead; the
due history kept with the original due time, audited in the same transaction. On SQLite
and PostgreSQL (the new table and column come from a migration on both)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from counter_tui.db.models import FollowUp, FollowUpDue
from counter_tui.errors import Conflict, InvalidInput, NotAllowed
from counter_tui.services import followups
from counter_tui.services.context import ShopContext
from counter_tui.services.followup_snooze import due_history, reschedule_followup
from tests.conftest import Team, postgres_url, set_shop_rules
from tests.unit.conftest import AuditLog, RowCount


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both databases: the due history is a migrated table and column on each."""
    if request.param == "postgresql":
        return postgres_url(request)
    return f"sqlite:///{tmp_path / 'counter.sqlite3'}"


def _promise(ctx: ShopContext, team: Team, bob: int) -> int:
    return followups.add_promise(
        ctx, team.sam, bob, promise="Order the size 9", due_at=ctx.now() + timedelta(hours=2)
    )


def test_snoozing_moves_the_due_time_and_keeps_the_history(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    followup_id = _promise(ctx, team, bob)
    first_due = fetch(FollowUp, followup_id).due_at
    # Friday 11:00 in London: "mon 10:00" is Monday 23 November.
    moved = reschedule_followup(ctx, team.sam, followup_id, "mon 10:00", "Supplier closed until Monday")
    assert moved == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    later = reschedule_followup(ctx, team.lead, followup_id, "tue 12:00", "  Still waiting\x07 ")
    stored: FollowUp = fetch(FollowUp, followup_id)
    assert (stored.due_at, stored.original_due_at) == (later, first_due)
    history = due_history(ctx, team.sam, followup_id)
    assert [(m.from_due_at, m.to_due_at, m.reason, m.moved_by) for m in history] == [
        (first_due, moved, "Supplier closed until Monday", team.sam.staff_id),
        (moved, later, "Still waiting", team.lead.staff_id),
    ]
    events = audit_log("followup.rescheduled")
    assert [json.loads(e.details)["reason"] for e in events] == [
        "Supplier closed until Monday",
        "Still waiting",
    ]


def test_working_hours_are_read_by_the_shops_hours(ctx: ShopContext, team: Team, bob: int) -> None:
    followup_id = _promise(ctx, team, bob)
    due = reschedule_followup(ctx, team.sam, followup_id, "in 3 working hours", "after lunch")
    assert due == ctx.now() + timedelta(hours=3)


def test_refusals_change_nothing(
    ctx: ShopContext,
    team: Team,
    bob: int,
    fetch: Callable[..., Any],
    row_count: RowCount,
    audit_log: AuditLog,
) -> None:
    followup_id = _promise(ctx, team, bob)
    due = fetch(FollowUp, followup_id).due_at
    with pytest.raises(InvalidInput, match="Say why") as no_reason:
        reschedule_followup(ctx, team.sam, followup_id, "tomorrow 12:00", " \x07 ")
    assert no_reason.value.field == "reason"
    for past in ("10:00", "today 11:00", ctx.now() - timedelta(minutes=1)):
        with pytest.raises(InvalidInput, match="already passed") as passed:
            reschedule_followup(ctx, team.sam, followup_id, past, "later")
        assert passed.value.field == "due"
    with pytest.raises(InvalidInput, match="Type a time like"):
        reschedule_followup(ctx, team.sam, followup_id, "someday", "later")
    with pytest.raises(InvalidInput, match="time zone"):
        reschedule_followup(ctx, team.sam, followup_id, datetime(2027, 1, 1, 9, 0), "later")
    with pytest.raises(NotAllowed, match="Sam's"):
        reschedule_followup(ctx, team.alex, followup_id, "tomorrow 12:00", "later")
    followups.cancel_followup(ctx, team.sam, followup_id, reason="collected")
    with pytest.raises(Conflict, match="already cancelled"):
        reschedule_followup(ctx, team.sam, followup_id, "tomorrow 12:00", "later")
    stored: FollowUp = fetch(FollowUp, followup_id)
    assert (stored.due_at, stored.original_due_at) == (due, None)
    assert row_count(FollowUpDue) == 0
    assert audit_log("followup.rescheduled") == []


def test_a_move_to_the_time_it_is_already_due_is_refused_and_not_kept(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], row_count: RowCount
) -> None:
    """The due history showed "moved it tomorrow 17:30 → tomorrow 17:30: cadence"."""
    followup_id = _promise(ctx, team, bob)
    due = fetch(FollowUp, followup_id).due_at
    with pytest.raises(InvalidInput, match="already due then") as same:
        reschedule_followup(ctx, team.sam, followup_id, due, "cadence")
    assert same.value.field == "due"
    assert row_count(FollowUpDue) == 0


@pytest.mark.parametrize("due", ["9999-12-31", "9999-12-31 23:30", datetime(2030, 1, 1, 12, 0, tzinfo=UTC)])
def test_snoozing_more_than_a_year_ahead_is_refused_beside_the_due_time(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], row_count: RowCount, due: Any
) -> None:
    followup_id = _promise(ctx, team, bob)
    first_due = fetch(FollowUp, followup_id).due_at
    with pytest.raises(InvalidInput) as too_far:
        reschedule_followup(ctx, team.sam, followup_id, due, "part on order")
    assert (
        str(too_far.value) == "A follow-up can be due at most a year ahead: pick a day up to Sat 20 Nov 2027."
    )
    assert too_far.value.field == "due"
    assert (fetch(FollowUp, followup_id).due_at, row_count(FollowUpDue)) == (first_due, 0)


def test_a_reason_is_held_to_the_reason_limit(ctx: ShopContext, team: Team, bob: int) -> None:
    followup_id = _promise(ctx, team, bob)
    with pytest.raises(InvalidInput, match="at most 200 characters") as too_long:
        reschedule_followup(ctx, team.sam, followup_id, "tomorrow 12:00", "x" * 201)
    assert too_long.value.field == "reason"
    reschedule_followup(ctx, team.sam, followup_id, "tomorrow 12:00", "x" * 200)
    assert [len(m.reason) for m in due_history(ctx, team.sam, followup_id)] == [200]


def test_completing_a_snoozed_follow_up_is_late_against_the_original_time(
    ctx: ShopContext, team: Team, bob: int, clock: Any, audit_log: AuditLog
) -> None:
    followup_id = _promise(ctx, team, bob)
    reschedule_followup(ctx, team.sam, followup_id, "mon 10:00", "Supplier closed")
    clock.advance(hours=3)  # past the promise, before the snoozed time
    followups.complete_followup(ctx, team.sam, followup_id, what_was_done="Ordered")
    [event] = audit_log("followup.done")
    assert json.loads(event.details)["on_time"] is False


def test_snoozing_to_a_holiday_alone_is_the_next_open_days_close_like_next_open_day(
    ctx: ShopContext, team: Team, bob: int, clock: Any
) -> None:
    """Tomorrow a holiday: "tomorrow" gave Wednesday 09:00 while "next open day" (nothing
    typed) gave Wednesday 17:30. A day alone means its close; a closed one, the next open
    day's close, by the one rule."""
    set_shop_rules(ctx, {"shop.holidays": ["2026-12-01"]})
    clock.moment = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday
    wednesday_close = datetime(2026, 12, 2, 17, 30, tzinfo=UTC)
    first = _promise(ctx, team, bob)
    second = _promise(ctx, team, bob)
    assert reschedule_followup(ctx, team.sam, first, "tomorrow", "waiting on the courier") == wednesday_close
    assert reschedule_followup(ctx, team.sam, second, "", "waiting on the courier") == wednesday_close
