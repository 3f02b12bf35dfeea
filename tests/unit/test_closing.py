"""End of day: a lead closing the day ends open visits as left at close and flags them;
the automatic close waits for close plus grace, ends visits at the closing time, catches
up the next morning, and is idempotent; reviewing flagged visits; the end-of-day check."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from counter_tui.clock import ManualClock
from counter_tui.db.models import HandoffRequest, HandoffStatus, Outcome, Visit
from counter_tui.errors import Conflict, InvalidInput, NotAllowed, NotFound
from counter_tui.services import (
    closing,
    customers,
    end_of_day,
    flagged_visits,
    followups,
    handoffs,
    visit_views,
    visits,
)
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog

FRIDAY = date(2026, 11, 20)


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_a_lead_closes_the_day(
    ctx: ShopContext,
    team: Team,
    clock: ManualClock,
    audit_log: AuditLog,
    fetch: Callable[..., Any],
) -> None:
    owned = visits.new_walk_in(ctx, team.sam, description="owned", claim=True)
    waiting = visits.new_walk_in(ctx, team.sam, description="waiting")
    ended = visits.new_walk_in(ctx, team.sam, description="ended", claim=True)
    visits.end_visit(ctx, team.sam, ended, Outcome.NO_PURCHASE)
    request = handoffs.request_handoff(ctx, team.sam, owned, team.alex.staff_id or 0, "Break")
    clock.moment = _utc(2026, 11, 20, 17, 35)

    preview = closing.close_day_preview(ctx, team.lead)
    assert (preview.early, preview.summary()) == (False, "2 visits: 1 with Sam, 1 nobody had greeted")
    result = closing.close_day(ctx, team.lead, seen=preview.seen)

    assert (result.day, result.closed_visit_ids) == (FRIDAY, (owned, waiting))
    for visit_id in (owned, waiting):
        visit: Visit = fetch(Visit, visit_id)
        assert (visit.outcome, visit.flagged_for_review, visit.ended_at, visit.ended_by) == (
            Outcome.LEFT_AT_CLOSE,
            True,
            ctx.now(),
            team.lead.staff_id,
        )
    assert fetch(Visit, ended).outcome == Outcome.NO_PURCHASE
    assert fetch(Visit, ended).flagged_for_review is False
    handoff: HandoffRequest = fetch(HandoffRequest, request)
    assert (handoff.status, handoff.decision_note) == (
        HandoffStatus.CANCELLED,
        "visit closed at end of day",
    )
    closed_events = [e for e in audit_log("visit.ended") if e.entity_id in (owned, waiting)]
    assert [json.loads(e.details) for e in closed_events] == [
        {"outcome": "left_at_close", "flagged_for_review": True}
    ] * 2
    (day_event,) = audit_log("day.closed")
    assert day_event.entity_id == result.day_close_id
    assert json.loads(day_event.details) == {
        "day": "2026-11-20",
        "visits_ended": 2,
        "visit_ids": [owned, waiting],
        "handoffs_cancelled": [request],
        "auto": False,
        "early": False,
        "reason": "",
    }
    assert visit_views.floor_board(ctx) == []


def test_associates_cannot_close_the_day(ctx: ShopContext, team: Team, fetch: Callable[..., Any]) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="still here")
    with pytest.raises(NotAllowed, match="Only a shift lead can close the day"):
        closing.close_day(ctx, team.sam, seen=closing.close_day_preview(ctx, team.lead).seen)
    assert fetch(Visit, visit_id).ended_at is None


def test_automatic_close_waits_for_close_plus_grace(
    ctx: ShopContext, team: Team, clock: ManualClock, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    early = visits.new_walk_in(ctx, team.sam, description="early", claim=True)
    clock.moment = _utc(2026, 11, 20, 17, 45)  # after the 17:30 close
    late = visits.new_walk_in(ctx, team.sam, description="after hours")
    clock.moment = _utc(2026, 11, 20, 17, 59)
    assert closing.close_day_if_due(ctx) is None
    assert fetch(Visit, early).ended_at is None
    clock.moment = _utc(2026, 11, 20, 18, 0)

    result = closing.close_day_if_due(ctx, team.sam)

    assert result is not None and (result.day, result.closed_visit_ids) == (FRIDAY, (early,))
    visit: Visit = fetch(Visit, early)
    assert (visit.outcome, visit.flagged_for_review, visit.ended_at, visit.ended_by) == (
        Outcome.LEFT_AT_CLOSE,
        True,
        _utc(2026, 11, 20, 17, 30),
        team.sam.staff_id,
    )
    assert fetch(Visit, late).ended_at is None
    assert closing.close_day_if_due(ctx) is None
    assert closing.close_day_if_due(ctx, team.lead) is None
    (day_event,) = audit_log("day.closed")
    assert json.loads(day_event.details)["auto"] is True


def test_automatic_close_catches_up_the_next_morning(
    ctx: ShopContext, team: Team, clock: ManualClock, fetch: Callable[..., Any]
) -> None:
    friday = visits.new_walk_in(ctx, team.sam, description="left on friday")
    clock.moment = _utc(2026, 11, 21, 10, 5)  # Saturday, opens 10:00
    saturday = visits.new_walk_in(ctx, team.sam, description="saturday")
    result = closing.close_day_if_due(ctx, grace=timedelta(minutes=0))
    assert result is not None and (result.day, result.closed_visit_ids) == (FRIDAY, (friday,))
    assert fetch(Visit, friday).ended_at == _utc(2026, 11, 20, 17, 30)
    assert fetch(Visit, saturday).ended_at is None


def test_last_close_skips_closed_days(ctx: ShopContext) -> None:
    # Sunday noon: the shop is closed on Sundays, so the last close was Saturday 16:00.
    assert closing.last_close_before(ctx, _utc(2026, 11, 22, 12, 0)) == (
        date(2026, 11, 21),
        _utc(2026, 11, 21, 16, 0),
    )
    # Friday morning before opening: Thursday's close.
    assert closing.last_close_before(ctx, _utc(2026, 11, 20, 8, 0)) == (
        date(2026, 11, 19),
        _utc(2026, 11, 19, 17, 30),
    )


def test_mark_reviewed_clears_the_flag(
    ctx: ShopContext, team: Team, clock: ManualClock, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="left", claim=True)
    clock.moment = _utc(2026, 11, 20, 17, 40)
    closing.close_day(ctx, team.lead, seen=closing.close_day_preview(ctx, team.lead).seen)
    (flagged,) = flagged_visits.flagged_visits(ctx, team.lead)
    assert (flagged.visit_id, flagged.who, flagged.owner_name, flagged.outcome) == (
        visit_id,
        "left",
        "Sam",
        Outcome.LEFT_AT_CLOSE,
    )
    with pytest.raises(NotAllowed):
        flagged_visits.mark_reviewed(ctx, team.sam, visit_id, "fine")
    with pytest.raises(NotAllowed):
        flagged_visits.flagged_visits(ctx, team.sam)
    flagged_visits.mark_reviewed(ctx, team.lead, visit_id, "Called them\x1b, all fine")
    assert fetch(Visit, visit_id).flagged_for_review is False
    assert flagged_visits.flagged_visits(ctx, team.lead) == ()
    (event,) = audit_log("visit.reviewed")
    assert json.loads(event.details) == {"note": "Called them, all fine"}
    with pytest.raises(Conflict, match="not flagged"):
        flagged_visits.mark_reviewed(ctx, team.lead, visit_id)
    with pytest.raises(NotFound):
        flagged_visits.mark_reviewed(ctx, team.lead, 999)


def test_end_of_day_lists_what_is_outstanding(
    ctx: ShopContext, team: Team, clock: ManualClock, bob: int
) -> None:
    customers.record_consent(ctx, team.sam, bob, "phone", granted=True, source="asked at the counter")
    clock.moment = _utc(2026, 11, 19, 11, 0)
    old_call = followups.add_callback(ctx, team.sam, bob, about="Thursday's call")
    clock.moment = _utc(2026, 11, 20, 9, 30)
    call = followups.add_callback(ctx, team.sam, bob, about="Friday's call")
    promise = followups.add_promise(
        ctx, team.alex, bob, promise="order paint", due_at=_utc(2026, 11, 20, 12, 0)
    )
    followups.add_promise(ctx, team.alex, bob, promise="next week", due_at=_utc(2026, 11, 24, 12, 0))
    owned = visits.new_walk_in(ctx, team.sam, description="green coat", claim=True)
    handoffs.request_handoff(ctx, team.sam, owned, team.alex.staff_id or 0, "Lunch")
    left = visits.new_walk_in(ctx, team.alex, description="left", claim=True)
    clock.moment = _utc(2026, 11, 20, 17, 40)
    closing.close_day_if_due(ctx, grace=timedelta(0))
    clock.moment = _utc(2026, 11, 20, 17, 45)

    report = end_of_day.end_of_day(ctx, team.lead)

    assert report.day == FRIDAY and report.shop_name == "Test Shop"
    assert (report.opens_at, report.closes_at) == (_utc(2026, 11, 20, 9, 0), _utc(2026, 11, 20, 17, 30))
    assert [v.id for v in report.unreturned_calls] == [old_call, call]
    assert [v.id for v in report.overdue_followups] == [promise]
    # The auto-close cancelled the hand-off of the visit it closed.
    assert report.pending_handoffs == ()
    assert [v.visit_id for v in report.flagged_visits] == [owned, left]
    assert report.scorecard.overall.visits == 2
    assert [v.id for v in end_of_day.end_of_day(ctx, team.lead, date(2026, 11, 19)).unreturned_calls] == [
        old_call
    ]
    with pytest.raises(NotAllowed):
        end_of_day.end_of_day(ctx, team.sam)


def test_end_of_day_lists_pending_hand_offs(ctx: ShopContext, team: Team) -> None:
    owned = visits.new_walk_in(ctx, team.sam, description="green coat", claim=True)
    request = handoffs.request_handoff(ctx, team.sam, owned, team.alex.staff_id or 0, "Lunch")
    (pending,) = end_of_day.end_of_day(ctx, team.lead).pending_handoffs
    assert (pending.id, pending.who, pending.from_name, pending.to_name, pending.reason) == (
        request,
        "green coat",
        "Sam",
        "Alex",
        "Lunch",
    )


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        # Saturday 28 Nov 00:13: the shop opens at 10:00, it is not "open until 16:00".
        (
            datetime(2026, 11, 28, 0, 13, tzinfo=UTC),
            "The shop has not opened yet today (open 10:00-16:00).",
        ),
        (datetime(2026, 11, 28, 11, 0, tzinfo=UTC), "The shop is open until 16:00."),
    ],
)
def test_closing_early_says_where_the_day_stands(
    ctx: ShopContext, team: Team, clock: ManualClock, moment: datetime, said: str
) -> None:
    clock.moment = moment
    assert closing.close_day_preview(ctx, team.lead).hours_said == said
    with pytest.raises(InvalidInput) as refused:
        closing.close_day(ctx, team.lead, seen=closing.close_day_preview(ctx, team.lead).seen)
    assert str(refused.value).startswith(said + " Say why the day closes")
