"""The scorecard's figures summed in the database: per-greeter visit sums, follow-ups on
time by kind and owner, hand-offs by who gave the customer away, and arrivals by quarter
hour for the trend; a few rows however many visits a period holds.

The rules (what "greeted", "excluded", "measured", "on time" mean) are the scorecard's
(see `scorecard`); here they are written once as SQL expressions over a bounded range
of arrivals, audit events and due times, each read through an index on its time
column. Waits are counted in whole microseconds (SQLite keeps times as text, so the
seconds and the microseconds are read from it separately), then truncated to whole
seconds per visit, as `int(timedelta.total_seconds())` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    extract,
    func,
    literal,
    literal_column,
    not_,
    or_,
)
from sqlalchemy import select as sa_select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col
from sqlmodel.sql.sqltypes import UTCDateTime

from counter_tui.db.models import (
    AuditEvent,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    HandoffRequest,
    HandoffStatus,
    NeedKind,
    Visit,
    VisitNeed,
)

CLAIM_SLACK = timedelta(days=1)
"""A claim may come after the period ends (a customer arriving just before midnight)."""
MEASURED_KINDS = (FollowUpKind.THANK_YOU, FollowUpKind.CALLBACK, FollowUpKind.PROMISE)
HANDOFF_STATUSES = (HandoffStatus.APPROVED,)  # asked for by the associate; a lead's moves are not
QUARTER_HOUR = 900
"""Trend buckets are UTC quarter hours: every time zone's offset, and every DST change,
falls on a quarter hour, so each bucket lies within one store-local hour."""
MICROS = 1_000_000
CLAIMED = "'visit.claimed'"


@dataclass(frozen=True)
class VisitSums:
    """Visits of a period (or one greeter's): how many, measured for the greet figure,
    greeted on time, and their waits in whole seconds (left-out visits have none)."""

    visits: int = 0
    measured: int = 0
    on_time: int = 0
    waits: int = 0
    wait_seconds: int = 0
    longest_wait: int | None = None

    def __add__(self, other: VisitSums) -> VisitSums:
        longest = [w for w in (self.longest_wait, other.longest_wait) if w is not None]
        return VisitSums(
            self.visits + other.visits,
            self.measured + other.measured,
            self.on_time + other.on_time,
            self.waits + other.waits,
            self.wait_seconds + other.wait_seconds,
            max(longest) if longest else None,
        )


@dataclass(frozen=True)
class FollowUpSums:
    """Measured follow-ups of one kind and owner, and how many were done on time."""

    kind: str
    owner_id: int
    measured: int
    on_time: int


def total(parts: Iterable[VisitSums]) -> VisitSums:
    """The sums of several groups together."""
    result = VisitSums()
    for part in parts:
        result = result + part
    return result


def _sqlite_micros(moment: Any) -> ColumnElement[Any]:
    """A time stored by SQLite ('YYYY-MM-DD HH:MM:SS.ffffff') as integer microseconds
    since the epoch, exactly: whole seconds from strftime, then the fraction's digits."""
    fraction = func.substr(cast(moment, String).op("||")("000000"), 21, 6)
    return cast(func.strftime("%s", moment), BigInteger) * MICROS + cast(fraction, BigInteger)


def _micros_between(dialect: str, later: Any, earlier: Any) -> ColumnElement[Any]:
    """`later - earlier` in whole microseconds, on either database."""
    if dialect == "postgresql":
        return cast(func.round(extract("epoch", later - earlier) * MICROS), BigInteger)
    return _sqlite_micros(later) - _sqlite_micros(earlier)


def _quarter_hour(dialect: str, moment: Any) -> ColumnElement[Any]:
    """The UTC quarter hour a stored time falls in, as seconds since the epoch // 900."""
    if dialect == "postgresql":
        return cast(func.floor(extract("epoch", moment) / QUARTER_HOUR), BigInteger)
    return cast(func.strftime("%s", moment), BigInteger) // QUARTER_HOUR


def _visit_facts(dialect: str) -> Any:
    """One row per visit arriving in [:start, :end): arrival, greeter, and 0/1 flags for
    counted-as-measured and on-time, and the wait in whole seconds (NULL when left out).

    Built in two materialised steps, so each visit's first claim, browsing time and wait
    are worked out once, not once per figure that uses them."""
    time_type = UTCDateTime()
    start, end = bindparam("start", type_=time_type), bindparam("end", type_=time_type)
    # Per visit, through the partial index of claims and the visit_id index of needs: the
    # cost follows the visits of the period, never the claims or needs of earlier years.
    first_claim_id = (
        sa_select(col(AuditEvent.id))
        .where(
            col(AuditEvent.action) == literal_column(CLAIMED),  # a literal: the partial index's own
            col(AuditEvent.entity) == "visit",
            col(AuditEvent.entity_id) == col(Visit.id),
            col(AuditEvent.at) >= start,
            col(AuditEvent.at) < bindparam("claims_end", type_=time_type),
        )
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
        .limit(1)
        .correlate(Visit)
        .scalar_subquery()
    )
    first_claim = AuditEvent.__table__.alias("first_claim")  # type: ignore[attr-defined]
    browse_at = (
        sa_select(func.min(col(VisitNeed.set_at)))
        .where(col(VisitNeed.visit_id) == col(Visit.id), col(VisitNeed.kind) == NeedKind.BROWSE_PRIVATELY)
        .correlate(Visit)
        .scalar_subquery()
    )
    claimed = first_claim.c.id.is_not(None)
    greeter = case(
        (claimed, first_claim.c.actor_id),
        (col(Visit.claimed_at).is_not(None), col(Visit.owner_id)),
        else_=literal(None, Integer),
    )
    visit = (
        sa_select(
            col(Visit.arrived_at).label("arrived_at"),
            col(Visit.ended_at).label("ended_at"),
            case((claimed, first_claim.c.at), else_=col(Visit.claimed_at)).label("greeted_at"),
            greeter.label("greeter_id"),
            browse_at.label("browse_at"),
        )
        .outerjoin(first_claim, first_claim.c.id == first_claim_id)
        .where(col(Visit.arrived_at) >= start, col(Visit.arrived_at) < end)
        .cte("visit_greeting")
        .prefix_with("MATERIALIZED")
    )
    greeted = visit.c.greeted_at.is_not(None)
    excluded = and_(
        visit.c.browse_at.is_not(None), or_(not_(greeted), visit.c.browse_at <= visit.c.greeted_at)
    )
    waited_until = func.coalesce(visit.c.greeted_at, visit.c.ended_at, bindparam("now", type_=time_type))
    span = _micros_between(dialect, waited_until, visit.c.arrived_at)
    waits = (
        sa_select(
            visit.c.arrived_at,
            visit.c.greeter_id,
            case((greeted, 1), else_=0).label("greeted"),
            case((excluded, 1), else_=0).label("excluded"),
            span.label("span"),
        )
        .cte("visit_wait")
        .prefix_with("MATERIALIZED")
    )
    wait = case((waits.c.span < 0, 0), else_=waits.c.span)
    limit = bindparam("limit", type_=BigInteger)
    kept, greeted_too = waits.c.excluded == 0, waits.c.greeted == 1
    return sa_select(
        waits.c.arrived_at,
        waits.c.greeter_id,
        case((and_(kept, or_(greeted_too, wait > limit)), 1), else_=0).label("measured"),
        case((and_(kept, greeted_too, wait <= limit), 1), else_=0).label("on_time"),
        case((kept, wait // MICROS), else_=None).label("wait_seconds"),
    ).subquery("facts")


def _sums_columns(facts: Any) -> tuple[Any, ...]:
    return (
        func.count(),
        func.coalesce(func.sum(facts.c.measured), 0),
        func.coalesce(func.sum(facts.c.on_time), 0),
        func.count(facts.c.wait_seconds),
        func.coalesce(func.sum(facts.c.wait_seconds), 0),
        func.max(facts.c.wait_seconds),
    )


def _sums(row: Any) -> VisitSums:
    visits, measured, on_time, waits, wait_seconds, longest = row
    return VisitSums(
        int(visits),
        int(measured),
        int(on_time),
        int(waits),
        int(wait_seconds),
        None if longest is None else int(longest),
    )


@cache
def _by_greeter(dialect: str) -> Any:
    facts = _visit_facts(dialect)
    return sa_select(facts.c.greeter_id, *_sums_columns(facts)).group_by(facts.c.greeter_id)


@cache
def _by_quarter_hour(dialect: str) -> Any:
    facts = _visit_facts(dialect)
    bucket = _quarter_hour(dialect, facts.c.arrived_at).label("bucket")
    return sa_select(bucket, *_sums_columns(facts)).group_by(bucket)


def _facts_parameters(
    start: datetime, end: datetime, now: datetime, threshold: timedelta, claims_end: datetime | None = None
) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "claims_end": end + CLAIM_SLACK if claims_end is None else claims_end,
        "now": now,
        "limit": threshold // timedelta(microseconds=1),
    }


def visit_sums_by_greeter(
    session: Session, start: datetime, end: datetime, now: datetime, threshold: timedelta
) -> dict[int | None, VisitSums]:
    """The visits arriving in [start, end), summed per greeter (None: nobody yet)."""
    statement = _by_greeter(session.get_bind().dialect.name)
    rows = session.connection().execute(statement, _facts_parameters(start, end, now, threshold))
    return {greeter_id: _sums(sums) for greeter_id, *sums in rows}


def visit_sums_by_quarter_hour(
    session: Session,
    start: datetime,
    end: datetime,
    now: datetime,
    threshold: timedelta,
    *,
    claims_end: datetime | None = None,
) -> dict[int, VisitSums]:
    """The visits arriving in [start, end), summed per UTC quarter hour (its number,
    `quarter_hour_of`); claims count until `claims_end` (by default `CLAIM_SLACK` after
    `end`), so a longer period summed in parts counts the same claims as summed whole."""
    statement = _by_quarter_hour(session.get_bind().dialect.name)
    parameters = _facts_parameters(start, end, now, threshold, claims_end)
    rows = session.connection().execute(statement, parameters)
    return {int(quarter): _sums(sums) for quarter, *sums in rows}


def quarter_hour_of(moment: datetime) -> int:
    """The UTC quarter hour `moment` falls in, numbered as the database numbers them
    (seconds since the epoch // 900)."""
    return int(moment.timestamp()) // QUARTER_HOUR


def quarter_hour_start(quarter: int) -> datetime:
    """When UTC quarter hour number `quarter` starts."""
    return datetime.fromtimestamp(quarter * QUARTER_HOUR, UTC)


def followup_sums(session: Session, start: datetime, end: datetime, now: datetime) -> list[FollowUpSums]:
    """Thank-yous, callbacks and promises owed in [start, end), by kind and owner: those
    measured (not cancelled; open ones only once overdue) and those done on time. A
    snoozed follow-up is measured against the due time first owed, not the moved one."""
    owed_at = func.coalesce(col(FollowUp.original_due_at), col(FollowUp.due_at))
    done = and_(col(FollowUp.status) == FollowUpStatus.DONE, col(FollowUp.done_at).is_not(None))
    on_time = and_(done, col(FollowUp.done_at) <= owed_at)
    rows = session.connection().execute(
        sa_select(
            col(FollowUp.kind),
            col(FollowUp.owner_id),
            func.count(),
            func.coalesce(func.sum(case((on_time, 1), else_=0)), 0),
        )
        .where(
            col(FollowUp.kind).in_(MEASURED_KINDS),
            owed_at >= start,
            owed_at < end,
            col(FollowUp.status) != FollowUpStatus.CANCELLED,
            or_(done, owed_at <= now),
        )
        .group_by(col(FollowUp.kind), col(FollowUp.owner_id))
    )
    return [FollowUpSums(kind, owner_id, int(measured), int(ok)) for kind, owner_id, measured, ok in rows]


def handoffs_by_giver(session: Session, start: datetime, end: datetime) -> dict[int, int]:
    """Approved hand-offs of the visits arriving in [start, end), by the staff member
    who asked to pass the customer on (a lead's reassignments are not counted)."""
    rows = session.connection().execute(
        sa_select(col(HandoffRequest.from_staff_id), func.count())
        .join(Visit, col(Visit.id) == col(HandoffRequest.visit_id))
        .where(
            col(Visit.arrived_at) >= start,
            col(Visit.arrived_at) < end,
            # `|| ''`: drive from the visits of the period, not from every hand-off ever approved.
            (col(HandoffRequest.status) + "").in_(HANDOFF_STATUSES),
        )
        .group_by(col(HandoffRequest.from_staff_id))
    )
    return {staff_id: int(count) for staff_id, count in rows}
