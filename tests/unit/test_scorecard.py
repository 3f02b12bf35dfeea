"""Scorecard: greeted on time (first claim, not the hand-off's), waits, follow-ups on
time by due date, hand-offs per 100 visits, per staff member, today and this week,
targets from the config, and the trend by hour and weekday in store time (DST too)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.config import Targets
from counter_tui.db.models import NeedKind, Outcome, Visit
from counter_tui.errors import InvalidInput, NotAllowed
from counter_tui.services import (
    customers,
    followup_snooze,
    followups,
    handoffs,
    scorecard,
    shop_settings,
    staff,
    visits,
)
from counter_tui.services.context import ShopContext
from counter_tui.services.review_views import Measure, TrendCell
from tests.conftest import Team

FRIDAY = date(2026, 11, 20)
GOOD_LINE = "Hope the blue kettle suits your new kitchen"


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _figures(measure: Measure) -> tuple[float | None, int, int, bool | None]:
    return (measure.value, measure.numerator, measure.denominator, measure.met)


def _greeting_day(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    """Thursday: one visit greeted in a minute. Friday (London is on UTC in November):
    v1 11:00 claimed 11:03 by Sam; v2 11:10 claimed 11:20 by Alex; v3 11:30 browsing
    privately, never claimed; v4 11:40 left unserved 11:50; v5 12:00 claimed 12:02 by Sam,
    handed to Alex 12:10; v6 12:30 greeted on arrival by Alex; v7 12:40 still waiting."""
    clock.moment = _utc(2026, 11, 19, 15, 0)
    thursday = visits.new_walk_in(ctx, team.sam, description="v8")
    clock.advance(minutes=1)
    visits.claim_visit(ctx, team.sam, thursday)

    def arrive(hour: int, minute: int, name: str, **kwargs: Any) -> int:
        clock.moment = _utc(2026, 11, 20, hour, minute)
        return visits.new_walk_in(ctx, team.sam, description=name, **kwargs)

    def at(hour: int, minute: int) -> None:
        clock.moment = _utc(2026, 11, 20, hour, minute)

    v1 = arrive(11, 0, "v1")
    at(11, 3)
    visits.claim_visit(ctx, team.sam, v1)
    v2 = arrive(11, 10, "v2")
    at(11, 20)
    visits.claim_visit(ctx, team.alex, v2)
    arrive(11, 30, "v3", needs=[NeedKind.BROWSE_PRIVATELY])
    v4 = arrive(11, 40, "v4")
    at(11, 50)
    visits.end_visit(ctx, team.alex, v4, Outcome.LEFT_UNSERVED)
    v5 = arrive(12, 0, "v5")
    at(12, 2)
    visits.claim_visit(ctx, team.sam, v5)
    at(12, 5)
    request = handoffs.request_handoff(ctx, team.sam, v5, team.alex.staff_id or 0, "Needs a tiler")
    at(12, 10)
    handoffs.approve_handoff(ctx, team.lead, request)
    clock.moment = _utc(2026, 11, 20, 12, 30)
    visits.new_walk_in(ctx, team.alex, description="v6", claim=True)
    arrive(12, 40, "v7")
    at(12, 43)


def test_greeting_waits_and_hand_offs_for_the_day(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    _greeting_day(ctx, team, clock)
    card = scorecard.period_scorecard(ctx, team.lead, FRIDAY, FRIDAY)
    overall = card.overall
    assert (overall.label, overall.visits) == ("2026-11-20", 7)
    # Measured: v1, v2, v4, v5, v6 (v3 browses privately, v7 is within the threshold).
    assert _figures(overall.greeted_on_time) == (60.0, 3, 5, False)
    # Waits: 180, 600, 600 (left unserved), 120 (first claim, not the hand-off), 0, 180.
    assert (overall.average_wait_seconds, overall.longest_wait_seconds) == (280, 600)
    assert _figures(overall.handoffs_per_100_visits) == (14.3, 1, 7, False)
    assert (overall.start, overall.end) == (_utc(2026, 11, 20), _utc(2026, 11, 21))
    assert [s.name for s in card.by_staff] == ["Alex", "Sam"]
    alex, sam = (s.card for s in card.by_staff)
    assert (alex.visits, _figures(alex.greeted_on_time)) == (2, (50.0, 1, 2, False))
    assert (alex.average_wait_seconds, alex.longest_wait_seconds) == (300, 600)
    assert _figures(alex.handoffs_per_100_visits) == (0.0, 0, 2, True)
    assert (sam.visits, _figures(sam.greeted_on_time)) == (2, (100.0, 2, 2, True))
    assert (sam.average_wait_seconds, sam.longest_wait_seconds) == (150, 180)
    assert _figures(sam.handoffs_per_100_visits) == (50.0, 1, 2, False)


def test_a_leads_reassignment_is_not_a_hand_off_the_associate_asked_for(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """Only hand-offs the associate asked for count against them: a lead moving v6 from
    Alex to Sam, or Alex's customers passed on when Alex is deactivated, are the lead's
    call, and count for nobody."""
    _greeting_day(ctx, team, clock)
    handoffs.reassign_visit(
        ctx,
        team.lead,
        _visit_named(ctx, "v6"),
        team.sam.staff_id or 0,
        "Sam knows the range",
        seen_owner_id=team.alex.staff_id,
    )
    staff.deactivate(ctx, team.lead, name="Alex", pass_to="Sam")
    card = scorecard.period_scorecard(ctx, team.lead, FRIDAY, FRIDAY)
    assert _figures(card.overall.handoffs_per_100_visits) == (14.3, 1, 7, False)
    alex = next(s.card for s in card.by_staff if s.name == "Alex")
    assert _figures(alex.handoffs_per_100_visits) == (0.0, 0, 2, True)


def _visit_named(ctx: ShopContext, description: str) -> int:
    with ctx.database.read() as session:
        visit = session.exec(select(Visit).where(Visit.description == description)).one()
    assert visit.id is not None
    return visit.id


def test_a_customer_still_waiting_counts_once_past_the_threshold(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    _greeting_day(ctx, team, clock)
    clock.moment = _utc(2026, 11, 20, 12, 46)  # v7 has now waited 6 minutes
    overall = scorecard.period_scorecard(ctx, team.lead, FRIDAY, FRIDAY).overall
    assert _figures(overall.greeted_on_time) == (50.0, 3, 6, False)
    assert overall.longest_wait_seconds == 600
    assert overall.average_wait_seconds == round((180 + 600 + 600 + 120 + 0 + 360) / 6)


def test_today_and_this_week(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    _greeting_day(ctx, team, clock)
    overview = scorecard.scorecard_overview(ctx, team.lead)
    assert (overview.today.first_day, overview.today.last_day) == (FRIDAY, FRIDAY)
    assert (overview.this_week.first_day, overview.this_week.last_day) == (date(2026, 11, 16), FRIDAY)
    assert (overview.today.overall.label, overview.this_week.overall.label) == ("today", "this week")
    assert overview.today.overall.visits == 7
    assert overview.this_week.overall.visits == 8
    assert _figures(overview.this_week.overall.greeted_on_time) == (66.7, 4, 6, False)


def test_nothing_to_measure_is_none_not_zero(ctx: ShopContext, team: Team) -> None:
    overall = scorecard.period_scorecard(ctx, team.lead, FRIDAY, FRIDAY).overall
    assert overall.visits == 0
    assert [m.value for m in overall.measures] == [None] * 5
    assert [m.met for m in overall.measures] == [None] * 5
    assert (overall.average_wait_seconds, overall.longest_wait_seconds) == (None, None)


def _followup_day(ctx: ShopContext, team: Team, clock: ManualClock) -> dict[str, int]:
    """Thank-yous from Thursday's purchases fall due Friday 17:30; Friday's callbacks too;
    promises at 14:00, 15:00 and 16:00; done on time, late, cancelled or left open."""
    ids: dict[str, int] = {}
    people = {}
    for name, owner in (("Bob Jones", team.sam), ("Cara Lee", team.alex), ("Dee Fox", team.sam)):
        people[name] = customers.create_customer(
            ctx,
            owner,
            name=name,
            phone="07700 900123",
            email=f"{name.split()[0].lower()}@example.com",
            opted_in=["phone", "email"],
            create_anyway=True,  # one household phone
        )
    clock.moment = _utc(2026, 11, 19, 12, 0)
    for name, owner in (("Bob Jones", team.sam), ("Cara Lee", team.alex), ("Dee Fox", team.sam)):
        visit = visits.new_walk_in(ctx, owner, customer_id=people[name], claim=True)
        result = visits.end_visit(ctx, owner, visit, Outcome.PURCHASE, personal_line=GOOD_LINE)
        ids[f"ty {name}"] = result.thank_you_id or 0
    clock.moment = _utc(2026, 11, 20, 11, 0)
    ids["c1"] = followups.add_callback(ctx, team.sam, people["Bob Jones"], about="repair")
    ids["c2"] = followups.add_callback(ctx, team.alex, people["Cara Lee"], about="order")
    ids["p1"] = followups.add_promise(
        ctx, team.sam, people["Bob Jones"], promise="check stock", due_at=_utc(2026, 11, 20, 14, 0)
    )
    ids["p2"] = followups.add_promise(
        ctx, team.alex, people["Cara Lee"], promise="order paint", due_at=_utc(2026, 11, 20, 15, 0)
    )
    ids["p3"] = followups.add_promise(
        ctx, team.sam, people["Dee Fox"], promise="hold the lamp", due_at=_utc(2026, 11, 20, 16, 0)
    )
    clock.moment = _utc(2026, 11, 20, 17, 0)
    ids["c3"] = followups.add_callback(ctx, team.sam, people["Dee Fox"], about="lamp")  # due Monday
    return ids


def _complete_followups(ctx: ShopContext, team: Team, clock: ManualClock, ids: dict[str, int]) -> None:
    def done(hour: int, minute: int, key: str, who: Any) -> None:
        clock.moment = _utc(2026, 11, 20, hour, minute)
        followups.complete_followup(ctx, who, ids[key], what_was_done="Done as promised")

    done(13, 0, "p1", team.sam)
    done(15, 0, "ty Bob Jones", team.sam)
    done(16, 0, "c1", team.sam)
    done(16, 0, "p2", team.alex)
    clock.moment = _utc(2026, 11, 20, 16, 30)
    followups.cancel_followup(ctx, team.sam, ids["p3"], reason="customer collected it")
    done(18, 0, "ty Cara Lee", team.alex)
    done(18, 0, "c2", team.alex)
    clock.moment = _utc(2026, 11, 20, 18, 30)


def test_follow_ups_count_by_due_time_only_once_due(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    ids = _followup_day(ctx, team, clock)
    clock.moment = _utc(2026, 11, 20, 12, 0)
    early = scorecard.period_scorecard(ctx, team.lead, FRIDAY, FRIDAY).overall
    assert [m.denominator for m in early.measures[1:4]] == [0, 0, 0]
    _complete_followups(ctx, team, clock, ids)
    card = scorecard.period_scorecard(ctx, team.lead, FRIDAY, FRIDAY)
    overall = card.overall
    assert _figures(overall.thank_yous_on_time) == (33.3, 1, 3, False)
    assert _figures(overall.calls_returned_same_day) == (50.0, 1, 2, False)
    assert _figures(overall.promises_kept_on_time) == (50.0, 1, 2, False)
    alex, sam = (s.card for s in card.by_staff)
    assert [_figures(m) for m in sam.measures[1:4]] == [
        (50.0, 1, 2, False),
        (100.0, 1, 1, True),
        (100.0, 1, 1, True),
    ]
    assert [_figures(m) for m in alex.measures[1:4]] == [
        (0.0, 0, 1, False),
        (0.0, 0, 1, False),
        (0.0, 0, 1, False),
    ]
    # Monday's callback (asked in the last hour) belongs to Monday.
    monday = scorecard.period_scorecard(ctx, team.lead, date(2026, 11, 23), date(2026, 11, 23))
    assert monday.overall.calls_returned_same_day.denominator == 0


def test_a_snoozed_follow_up_is_measured_against_its_original_due_time(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    ids = _followup_day(ctx, team, clock)
    clock.moment = _utc(2026, 11, 20, 13, 0)
    followup_snooze.reschedule_followup(ctx, team.sam, ids["p1"], "mon 12:00", "Stock check moved")
    clock.moment = _utc(2026, 11, 20, 18, 0)  # after Friday's 14:00, before the snoozed Monday time
    friday = scorecard.period_scorecard(ctx, team.lead, FRIDAY, FRIDAY).overall
    assert (friday.promises_kept_on_time.numerator, friday.promises_kept_on_time.denominator) == (0, 3)
    clock.moment = _utc(2026, 11, 23, 11, 0)
    followups.complete_followup(ctx, team.sam, ids["p1"], what_was_done="Checked")
    friday = scorecard.period_scorecard(ctx, team.lead, FRIDAY, FRIDAY).overall
    assert (friday.promises_kept_on_time.numerator, friday.promises_kept_on_time.denominator) == (0, 3)
    monday = scorecard.period_scorecard(ctx, team.lead, date(2026, 11, 23), date(2026, 11, 23)).overall
    assert monday.promises_kept_on_time.denominator == 0


def test_targets_come_from_the_shop_settings(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    _greeting_day(ctx, team, clock)
    shop_settings.change(
        ctx, team.lead, {"targets.greeted_on_time_pct": "60", "targets.handoffs_per_100_visits_max": "15"}
    )
    overall = scorecard.period_scorecard(ctx, team.lead, FRIDAY, FRIDAY).overall
    assert (overall.greeted_on_time.target, overall.greeted_on_time.met) == (60, True)
    assert (overall.handoffs_per_100_visits.target, overall.handoffs_per_100_visits.met) == (15, True)
    assert Targets().model_dump() == {
        "greeted_on_time_pct": 90,
        "thank_yous_on_time_pct": 95,
        "calls_returned_same_day_pct": 100,
        "promises_kept_on_time_pct": 95,
        "handoffs_per_100_visits_max": 5,
    }


def test_trend_by_hour_and_weekday(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    def visit(moment: datetime, claim_after: int | None) -> None:
        clock.moment = moment
        visit_id = visits.new_walk_in(ctx, team.sam, description="t")
        if claim_after is not None:
            clock.advance(minutes=claim_after)
            visits.claim_visit(ctx, team.sam, visit_id)

    visit(_utc(2026, 10, 30, 10, 0), 1)  # three weeks back: outside a one-week trend
    visit(_utc(2026, 11, 16, 9, 30), 1)  # Monday 09:30
    visit(_utc(2026, 11, 20, 11, 0), 2)  # Friday 11:00, on time
    visit(_utc(2026, 11, 20, 11, 20), 9)  # Friday 11:20, late
    clock.moment = _utc(2026, 11, 20, 15, 0)
    week = scorecard.trend(ctx, team.lead, weeks=1)
    assert (week.first_day, week.last_day) == (date(2026, 11, 14), FRIDAY)
    assert len(week.by_hour) == 24 and len(week.by_weekday) == 7
    assert len(week.grid) == 7 and {len(row) for row in week.grid} == {24}
    assert week.by_hour[11] == TrendCell(visits=2, measured=2, on_time=1)
    assert week.by_hour[11].pct == 50.0
    assert week.by_hour[9] == TrendCell(1, 1, 1)
    assert week.by_hour[10] == TrendCell(0, 0, 0) and week.by_hour[10].pct is None
    assert week.by_weekday[0] == TrendCell(1, 1, 1)
    assert week.by_weekday[4] == TrendCell(2, 2, 1)
    assert week.grid[4][11] == TrendCell(2, 2, 1)
    assert sum(cell.visits for cell in week.by_hour) == 3
    month = scorecard.trend(ctx, team.lead)
    assert month.first_day == date(2026, 10, 24)
    assert month.by_hour[10].visits == 1  # 30 Oct is after the clocks went back: GMT


def test_trend_buckets_in_store_time_in_summer(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    clock.moment = _utc(2026, 7, 3, 10, 30)  # 11:30 in London (BST)
    visits.new_walk_in(ctx, team.sam, description="summer", claim=True)
    trend = scorecard.trend(ctx, team.lead, weeks=1)
    assert trend.by_hour[11].visits == 1 and trend.by_hour[10].visits == 0
    assert trend.by_weekday[4].visits == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda ctx, a: scorecard.period_scorecard(ctx, a, FRIDAY, FRIDAY),
        lambda ctx, a: scorecard.scorecard_overview(ctx, a),
        lambda ctx, a: scorecard.trend(ctx, a),
    ],
    ids=["period", "overview", "trend"],
)
def test_the_scorecard_is_for_leads(ctx: ShopContext, team: Team, call: Callable[..., Any]) -> None:
    with pytest.raises(NotAllowed, match="Only a shift lead"):
        call(ctx, team.alex)


def test_bad_periods_are_refused(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(InvalidInput, match="before the first day"):
        scorecard.period_scorecard(ctx, team.lead, FRIDAY, date(2026, 11, 19))
    with pytest.raises(InvalidInput, match="at least one week"):
        scorecard.trend(ctx, team.lead, weeks=0)


def test_measure_met_follows_the_direction_of_the_target() -> None:
    assert Measure("k", "l", 90.0, 9, 10, 90, True).met is True
    assert Measure("k", "l", 89.9, 9, 10, 90, True).met is False
    assert Measure("k", "l", 5.0, 1, 20, 5, False).met is True
    assert Measure("k", "l", 5.1, 1, 20, 5, False).met is False
    assert Measure("k", "l", None, 0, 0, 5, False).met is None
