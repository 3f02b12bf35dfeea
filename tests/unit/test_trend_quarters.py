"""The scorecard trend keeps the quarter hours that can no longer change and sums only the
rest again: the figures stay exactly the row-by-row count's (`scorecard_reference`), a
visit still open, ended lately or closed by a recent day close keeps its quarter hours
live, a reopened visit shows at once, and a new greeting threshold sums them again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, func, select

from counter_tui.clock import ManualClock
from counter_tui.db.models import Outcome, TrendQuarter
from counter_tui.errors import DatabaseUnavailable
from counter_tui.services import closing, reversals, scorecard, shop_settings, trend_quarters, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.scorecard_reference import reference_trend

MONDAY = datetime(2026, 10, 19, 9, 0, tzinfo=UTC)
"""Five weeks before the last day of the history below."""


def _trading_days(ctx: ShopContext, team: Team, clock: ManualClock, days: int) -> list[int]:
    """`days` days of walk-ins from MONDAY on: greeted on time, late, never (left), and one
    browsing privately; every visit ended the same day. The visit ids, in order."""
    made = []
    for day in range(days):
        for hour, greet_after, outcome in (
            (10, 2, Outcome.PURCHASE),
            (12, 9, Outcome.NO_PURCHASE),
            (15, None, None),
        ):
            clock.moment = MONDAY + timedelta(days=day, hours=hour - 9)
            visit_id = visits.new_walk_in(ctx, team.lead, description="t")
            made.append(visit_id)
            if greet_after is not None:
                clock.advance(minutes=greet_after)
                visits.claim_visit(ctx, team.sam, visit_id)
                clock.advance(minutes=5)
                visits.end_visit(ctx, team.sam, visit_id, outcome)
            else:
                clock.advance(minutes=20)
                visits.end_visit(ctx, team.lead, visit_id, Outcome.LEFT_UNSERVED)
    return made


def _kept(ctx: ShopContext) -> list[TrendQuarter]:
    with ctx.database.read() as session:
        return list(session.exec(select(TrendQuarter).order_by(col(TrendQuarter.bucket))))


def _same_as_counted(ctx: ShopContext, team: Team) -> None:
    """The trend, and the trend again from what it kept, give the row-by-row figures."""
    assert scorecard.trend(ctx, team.lead) == reference_trend(ctx)
    assert scorecard.trend(ctx, team.lead) == reference_trend(ctx)


@pytest.fixture
def summed_ranges(monkeypatch: pytest.MonkeyPatch) -> list[tuple[datetime, datetime]]:
    """The [start, end) of every range of arrivals the trend sums from the visits."""
    ranges: list[tuple[datetime, datetime]] = []
    real = trend_quarters.visit_sums_by_quarter_hour

    def recorded(session: Any, start: datetime, end: datetime, *args: Any, **kwargs: Any) -> Any:
        ranges.append((start, end))
        return real(session, start, end, *args, **kwargs)

    monkeypatch.setattr(trend_quarters, "visit_sums_by_quarter_hour", recorded)
    return ranges


def test_settled_quarter_hours_are_kept_and_only_the_last_days_summed_again(
    ctx: ShopContext, team: Team, clock: ManualClock, summed_ranges: list[tuple[datetime, datetime]]
) -> None:
    _trading_days(ctx, team, clock, days=33)
    clock.moment = MONDAY + timedelta(days=32, hours=8)  # Friday 20 November, 17:00
    first = scorecard.trend(ctx, team.lead)
    assert first == reference_trend(ctx)
    kept = _kept(ctx)
    day_before_yesterday = ctx.calendar.start_of_day(clock.moment.date() - timedelta(days=2))
    assert kept and kept[-1].bucket == int(day_before_yesterday.timestamp()) // 900 - 1
    assert sum(row.visits for row in kept) == 3 * 25  # 28 days shown: the last three live
    summed_ranges.clear()
    assert scorecard.trend(ctx, team.lead) == first
    assert summed_ranges == [
        (day_before_yesterday, ctx.calendar.start_of_day(clock.moment.date() + timedelta(days=1)))
    ]
    clock.advance(hours=24 * 3)  # three days on: three more days settle, none arrive
    summed_ranges.clear()
    assert scorecard.trend(ctx, team.lead) == reference_trend(ctx)
    assert summed_ranges[0][0] == day_before_yesterday  # only what settled since is summed
    assert sum(row.visits for row in _kept(ctx)) == 3 * 28  # three more days settled


def test_a_visit_still_open_keeps_its_quarter_hours_live_until_it_has_long_ended(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    _trading_days(ctx, team, clock, days=20)
    clock.moment = MONDAY + timedelta(days=10, hours=1)
    forgotten = visits.new_walk_in(ctx, team.lead, description="forgotten")
    clock.moment = MONDAY + timedelta(days=25)
    _same_as_counted(ctx, team)
    arrived = int((MONDAY + timedelta(days=10, hours=1)).timestamp()) // 900
    assert max(row.bucket for row in _kept(ctx)) < arrived
    visits.claim_visit(ctx, team.sam, forgotten)  # greeted at last, days late
    _same_as_counted(ctx, team)
    visits.end_visit(ctx, team.sam, forgotten, Outcome.NO_PURCHASE)
    clock.advance(hours=24 * 3)
    _same_as_counted(ctx, team)
    assert max(row.bucket for row in _kept(ctx)) > arrived


def test_a_visit_ended_at_an_old_closing_time_by_todays_close_is_not_kept(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """After a long weekend the morning's automatic close ends Friday's forgotten visit at
    Friday's closing time; it can be reopened today, so its quarter hours stay live."""
    for holiday in (date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)):
        shop_settings.add_holiday(ctx, team.lead, holiday)
    _trading_days(ctx, team, clock, days=5)  # Monday 19 to Friday 23 October
    clock.moment = MONDAY + timedelta(days=4, hours=6)  # Friday 15:00
    forgotten = visits.new_walk_in(ctx, team.lead, description="forgotten")
    clock.moment = MONDAY + timedelta(days=8, hours=-1)  # Tuesday 27 October, 08:00
    closed = closing.close_day_if_due(ctx)
    assert closed is not None and closed.closed_visit_ids == (forgotten,)
    _same_as_counted(ctx, team)
    arrived = int((MONDAY + timedelta(days=4, hours=6)).timestamp()) // 900
    assert max(row.bucket for row in _kept(ctx)) < arrived
    reversals.reopen_visit(ctx, team.lead, forgotten, "still here")
    visits.claim_visit(ctx, team.sam, forgotten)
    _same_as_counted(ctx, team)


def test_a_new_greeting_threshold_sums_the_settled_quarter_hours_again(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    _trading_days(ctx, team, clock, days=10)
    clock.moment = MONDAY + timedelta(days=12)
    _same_as_counted(ctx, team)
    shop_settings.change(ctx, team.lead, {"thresholds.greet_within_minutes": "10"})
    ctx.refresh_rules()
    _same_as_counted(ctx, team)
    with ctx.database.read() as session:
        limits = session.exec(
            select(TrendQuarter.greet_limit_micros, func.sum(TrendQuarter.on_time)).group_by(
                TrendQuarter.greet_limit_micros
            )
        ).all()
    assert len(limits) == 2 and limits[0][1] < limits[1][1]  # the late greetings are on time now


def test_two_terminals_keeping_the_same_quarter_hours_at_once(
    ctx: ShopContext, team: Team, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trading_days(ctx, team, clock, days=6)
    clock.moment = MONDAY + timedelta(days=8)
    real_keep: Callable[..., None] = trend_quarters._keep
    kept_first: list[int] = []

    def the_other_terminal_keeps_them_first(*args: Any) -> None:
        if not kept_first:
            kept_first.append(1)
            scorecard.trend(ctx, team.lead)
            kept_first.append(len(_kept(ctx)))
        real_keep(*args)

    monkeypatch.setattr(trend_quarters, "_keep", the_other_terminal_keeps_them_first)
    assert scorecard.trend(ctx, team.lead) == reference_trend(ctx)
    assert kept_first[1] > 0 and len(_kept(ctx)) == kept_first[1]


def test_the_trend_is_shown_when_its_quarter_hours_cannot_be_kept(
    ctx: ShopContext, team: Team, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keeping them is for next time: a shop too busy to take the write (or a read-only
    copy) still gets the right figures now."""
    _trading_days(ctx, team, clock, days=6)
    clock.moment = MONDAY + timedelta(days=8)

    def busy(*_: Any) -> None:
        raise DatabaseUnavailable("Another terminal is changing the same thing right now.")

    monkeypatch.setattr(trend_quarters, "_keep", busy)
    assert scorecard.trend(ctx, team.lead) == reference_trend(ctx)
    assert _kept(ctx) == []
