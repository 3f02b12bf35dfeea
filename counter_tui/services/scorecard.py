"""The lead scorecard: how care went against the targets in the config, for today, this
week or any run of days, for the shop and per staff member, plus the trend by hour of
day and weekday.

Definitions (all days are store-local, computed in the store's time zone):

- **Visits** of a period are those that arrived in it.
- **Greeted on time**: the first claim came within `thresholds.greet_within_minutes`
  of arrival. The first claim is read from the `visit.claimed` audit event, which also
  says who made it; it agrees with `claimed_at`, which no change of owner moves.
  Customers who asked to browse privately before anyone greeted them are left out (they
  asked for space), and so are unclaimed customers who have not yet waited past the
  threshold. Per staff member, a visit belongs to whoever greeted the customer first,
  not to whoever had them at the end.
- **Wait**: arrival to first claim; for a customer never claimed, to when they left (or
  now, if still waiting). Browse-privately visits are left out as above.
- **Thank-yous / calls / promises on time**: follow-ups of that kind *due* in the period,
  done by their due time. Cancelled ones do not count; open ones count only once their
  due time has passed. Callbacks are due before the close of the day they were asked
  (the next business day if asked in the last hour), so "on time" is "returned the same
  day". Per staff member, by the follow-up's owner.
- **Hand-offs per 100 visits**: approved hand-offs of the period's visits (those the
  associate asked for; a lead's reassignments, including moves when a colleague is
  deactivated, are the lead's call and not counted), per 100 of those visits; per
  staff member, the hand-offs they asked for per 100 visits they greeted.

The figures are summed in the database over the period's range (`scorecard_sums`): a
few rows come back however busy the period was, and the cost does not grow with the
years of history. The trend is summed by UTC quarter hour and placed in store-local
hours here, so hour-of-day buckets are right across DST changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlmodel import Session

from counter_tui.config import Targets
from counter_tui.db.models import FollowUpKind
from counter_tui.errors import InvalidInput
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import staff_names
from counter_tui.services.review_views import (
    Measure,
    PeriodScorecard,
    Scorecard,
    ScorecardOverview,
    StaffScorecard,
    Trend,
    TrendCell,
)
from counter_tui.services.scorecard_sums import (
    FollowUpSums,
    VisitSums,
    followup_sums,
    handoffs_by_giver,
    total,
    visit_sums_by_greeter,
)
from counter_tui.services.trend_quarters import trend_quarters


def _bounds(ctx: ShopContext, first_day: date, last_day: date) -> tuple[datetime, datetime]:
    calendar = ctx.calendar
    return calendar.start_of_day(first_day), calendar.start_of_day(last_day + timedelta(days=1))


def _threshold(ctx: ShopContext) -> timedelta:
    return timedelta(minutes=ctx.rules.thresholds.greet_within_minutes)


def _pct(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _followup_measure(
    key: str, label: str, sums: Iterable[FollowUpSums], kind: str, target: float
) -> Measure:
    rows = [part for part in sums if part.kind == kind]
    on_time = sum(part.on_time for part in rows)
    measured = sum(part.measured for part in rows)
    return Measure(key, label, _pct(on_time, measured), on_time, measured, float(target), True)


def card_from_sums(
    label: str,
    start: datetime,
    end: datetime,
    visits: VisitSums,
    followups: list[FollowUpSums],
    handoffs: int,
    targets: Targets,
) -> Scorecard:
    """One scorecard (the shop's, or one person's) from what was counted: each figure as
    a `Measure` against its target, and the waits."""
    return Scorecard(
        label=label,
        start=start,
        end=end,
        visits=visits.visits,
        greeted_on_time=Measure(
            "greeted_on_time",
            "greeted on time",
            _pct(visits.on_time, visits.measured),
            visits.on_time,
            visits.measured,
            float(targets.greeted_on_time_pct),
            True,
        ),
        thank_yous_on_time=_followup_measure(
            "thank_yous_on_time",
            "thank-yous on time",
            followups,
            FollowUpKind.THANK_YOU,
            targets.thank_yous_on_time_pct,
        ),
        calls_returned_same_day=_followup_measure(
            "calls_returned_same_day",
            "calls returned same day",
            followups,
            FollowUpKind.CALLBACK,
            targets.calls_returned_same_day_pct,
        ),
        promises_kept_on_time=_followup_measure(
            "promises_kept_on_time",
            "promises kept on time",
            followups,
            FollowUpKind.PROMISE,
            targets.promises_kept_on_time_pct,
        ),
        handoffs_per_100_visits=Measure(
            "handoffs_per_100_visits",
            "hand-offs per 100 visits",
            _pct(handoffs, visits.visits),
            handoffs,
            visits.visits,
            float(targets.handoffs_per_100_visits_max),
            False,
        ),
        average_wait_seconds=round(visits.wait_seconds / visits.waits) if visits.waits else None,
        longest_wait_seconds=visits.longest_wait,
    )


def compute_period(
    session: Session, ctx: ShopContext, first_day: date, last_day: date, label: str
) -> PeriodScorecard:
    """The scorecard of store-local days `first_day`..`last_day` (inclusive), read in the
    caller's session without a permission check (the report and end of day use it)."""
    start, end = _bounds(ctx, first_day, last_day)
    now = ctx.now()
    by_greeter = visit_sums_by_greeter(session, start, end, now, _threshold(ctx))
    followups = followup_sums(session, start, end, now)
    handoffs = handoffs_by_giver(session, start, end)
    targets = ctx.rules.targets
    overall = card_from_sums(
        label, start, end, total(by_greeter.values()), followups, sum(handoffs.values()), targets
    )
    involved = (
        {greeter for greeter in by_greeter if greeter is not None}
        | {part.owner_id for part in followups}
        | set(handoffs)
    )
    names = staff_names(session)
    by_staff = tuple(
        StaffScorecard(
            staff_id=staff_id,
            name=names.get(staff_id, "?"),
            card=card_from_sums(
                names.get(staff_id, "?"),
                start,
                end,
                by_greeter.get(staff_id, VisitSums()),
                [part for part in followups if part.owner_id == staff_id],
                handoffs.get(staff_id, 0),
                targets,
            ),
        )
        for staff_id in sorted(involved, key=lambda s: (names.get(s, "?").lower(), s))
    )
    return PeriodScorecard(first_day=first_day, last_day=last_day, overall=overall, by_staff=by_staff)


def _check_days(first_day: date, last_day: date) -> None:
    if last_day < first_day:
        raise InvalidInput("The last day is before the first day. Swap them.")


def period_scorecard(ctx: ShopContext, actor: Actor, first_day: date, last_day: date) -> PeriodScorecard:
    """The scorecard for store-local days `first_day`..`last_day` (inclusive)."""
    _check_days(first_day, last_day)
    label = first_day.isoformat() if first_day == last_day else f"{first_day}..{last_day}"
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_SCORECARD)
        return compute_period(session, ctx, first_day, last_day, label)


def scorecard_overview(ctx: ShopContext, actor: Actor) -> ScorecardOverview:
    """Today and this week (Monday to today), for the shop and per staff member."""
    today = ctx.calendar.local_date(ctx.now())
    monday = today - timedelta(days=today.weekday())
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_SCORECARD)
        return ScorecardOverview(
            today=compute_period(session, ctx, today, today, "today"),
            this_week=compute_period(session, ctx, monday, today, "this week"),
        )


def trend(ctx: ShopContext, actor: Actor, *, weeks: int = 4) -> Trend:
    """Arrivals and greeted-on-time by store-local hour of day and weekday over the last
    `weeks` weeks up to today, as numbers a sparkline or heat map can draw."""
    if weeks < 1:
        raise InvalidInput("Show at least one week.")
    today = ctx.calendar.local_date(ctx.now())
    first_day = today - timedelta(days=7 * weeks - 1)
    start, end = _bounds(ctx, first_day, today)
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_SCORECARD)
    quarters = trend_quarters(ctx, start, end, _threshold(ctx))
    tz = ctx.calendar.tz
    cells: dict[tuple[int, int], list[VisitSums]] = defaultdict(list)
    for quarter, sums in quarters.items():
        local = quarter.astimezone(tz)
        cells[local.weekday(), local.hour].append(sums)

    def cell(day: int, hour: int) -> TrendCell:
        sums = total(cells.get((day, hour), ()))
        return TrendCell(sums.visits, sums.measured, sums.on_time)

    grid = tuple(tuple(cell(day, hour) for hour in range(24)) for day in range(7))

    def summed(items: Iterable[TrendCell]) -> TrendCell:
        parts = list(items)
        return TrendCell(
            sum(c.visits for c in parts), sum(c.measured for c in parts), sum(c.on_time for c in parts)
        )

    return Trend(
        first_day=first_day,
        last_day=today,
        by_hour=tuple(summed(grid[day][hour] for day in range(7)) for hour in range(24)),
        by_weekday=tuple(summed(row) for row in grid),
        grid=grid,
    )
