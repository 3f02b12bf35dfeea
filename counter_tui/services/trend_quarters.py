"""The scorecard trend's quarter hours: the settled ones kept, the rest summed live.

The trend sums four weeks of arrivals by UTC quarter hour (`scorecard_sums`); at a busy
shop that is some 75,000 visits, worked through again at every look. A quarter hour
whose visits all ended before the day before yesterday (store time) can no longer
change: a visit is claimed, given needs and reopened only while open or on the day it
ended or was closed, and visits are never deleted. Those quarter hours are summed once
and kept in `TrendQuarter`, per greeting threshold (a new threshold sums them again);
the trend reads them back and sums live only the days since, and any quarter hour from
the earliest visit still open or lately ended onwards.

Keeping them is not a change to the shop (the rows are derived, never edited, and
could be dropped without loss), so it writes no audit event.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from counter_tui.db.dialects import own_dialect
from counter_tui.db.models import DayClose, TrendQuarter, Visit
from counter_tui.errors import DatabaseUnavailable
from counter_tui.services.context import ShopContext
from counter_tui.services.scorecard_sums import (
    CLAIM_SLACK,
    VisitSums,
    quarter_hour_of,
    quarter_hour_start,
    visit_sums_by_quarter_hour,
)

SETTLED_AFTER_DAYS = 2
"""Whole store days after which an ended visit can no longer change: reopening is allowed
on the day a visit ended or was closed; the second day covers a change of time zone."""


def _earliest_arrival() -> Any:
    """The earliest arrival among the visits a `where` picks. The arrival is wrapped in an
    expression so that neither database answers by walking the arrival index from the
    oldest visit (which all ended long ago: a whole-table walk), but reads the few rows
    the condition's own index picks."""
    return select(func.min(func.coalesce(Visit.arrived_at, Visit.arrived_at)))


def settled_before(session: Session, ctx: ShopContext) -> datetime:
    """The moment before which every arrival's figures are final: the start of the day
    before yesterday, or earlier if a visit that arrived before then is still open, ended
    since, or was ended by a day close made since. Three index reads."""
    today = ctx.calendar.local_date(ctx.now())
    since = ctx.calendar.start_of_day(today - timedelta(days=SETTLED_AFTER_DAYS))
    still_moving = (
        _earliest_arrival().where(col(Visit.ended_at).is_(None)),
        _earliest_arrival().where(col(Visit.ended_at) >= since),
        _earliest_arrival()
        .join(DayClose, col(Visit.day_close_id) == col(DayClose.id))
        .where(col(DayClose.closed_at) >= since),
    )
    earliest: list[datetime | None] = [session.exec(query).one() for query in still_moving]
    return min([since, *(moment for moment in earliest if moment is not None)])


def trend_quarters(
    ctx: ShopContext, start: datetime, end: datetime, threshold: timedelta
) -> dict[datetime, VisitSums]:
    """The visits arriving in [start, end) summed per UTC quarter hour (its start), as
    `visit_sums_by_quarter_hour` gives them (visits, measured, on time), with the settled
    quarter hours read from `TrendQuarter` and any not kept yet summed and kept."""
    limit = threshold // timedelta(microseconds=1)
    first, stop = quarter_hour_of(start), quarter_hour_of(end)
    now, claims_end = ctx.now(), end + CLAIM_SLACK
    with ctx.database.read() as session:
        settled = max(first, min(stop, quarter_hour_of(settled_before(session, ctx))))
        rows = session.connection().execute(
            sa_select(
                col(TrendQuarter.bucket),
                col(TrendQuarter.visits),
                col(TrendQuarter.measured),
                col(TrendQuarter.on_time),
            ).where(
                col(TrendQuarter.greet_limit_micros) == limit,
                col(TrendQuarter.bucket) >= first,
                col(TrendQuarter.bucket) < settled,
            )
        )
        kept = {bucket: VisitSums(visits, measured, on_time) for bucket, visits, measured, on_time in rows}
        missing_from = next((bucket for bucket in range(first, settled) if bucket not in kept), None)
        summed: dict[int, VisitSums] = {}
        if missing_from is not None:
            summed = visit_sums_by_quarter_hour(
                session,
                quarter_hour_start(missing_from),
                quarter_hour_start(settled),
                now,
                threshold,
                claims_end=claims_end,
            )
        live = visit_sums_by_quarter_hour(
            session, quarter_hour_start(settled), end, now, threshold, claims_end=claims_end
        )
    if missing_from is not None:
        new = range(missing_from, settled)
        # The figures are right either way; keeping them can wait for a shop less busy
        # (the write queue's wait ran out) or one that can be written (a read-only copy).
        with suppress(DatabaseUnavailable):
            _keep(
                ctx, limit, {bucket: summed.get(bucket, VisitSums()) for bucket in new if bucket not in kept}
            )
    quarters = {bucket: sums for bucket, sums in (kept | summed).items() if sums.visits} | live
    return {quarter_hour_start(bucket): sums for bucket, sums in quarters.items()}


def _keep(ctx: ShopContext, limit: int, sums: dict[int, VisitSums]) -> None:
    """Store settled quarter hours (empty ones too, so they are not summed again); another
    terminal storing the same ones at the same time is fine (they sum the same)."""
    rows = [
        {
            "bucket": bucket,
            "greet_limit_micros": limit,
            "visits": part.visits,
            "measured": part.measured,
            "on_time": part.on_time,
        }
        for bucket, part in sums.items()
    ]
    with ctx.database.write() as session:
        dialect = own_dialect(session)
        session.connection().execute(dialect.insert(TrendQuarter).on_conflict_do_nothing(), rows)
