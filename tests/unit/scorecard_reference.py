"""The scorecard as it was first written: every visit, claim, need and follow-up of the
period read as rows and judged one at a time in Python. Kept as the plain statement of
the rules, to check the summed-in-the-database figures against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from counter_tui.config import Targets
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
from counter_tui.services.context import ShopContext
from counter_tui.services.queries import staff_names
from counter_tui.services.review_views import (
    PeriodScorecard,
    Scorecard,
    StaffScorecard,
    Trend,
    TrendCell,
)
from counter_tui.services.scorecard import card_from_sums
from counter_tui.services.scorecard_sums import FollowUpSums, VisitSums

# A claim may come after the period ends (a customer arriving just before midnight).
CLAIM_SLACK = timedelta(days=1)
MEASURED_KINDS = (FollowUpKind.THANK_YOU, FollowUpKind.CALLBACK, FollowUpKind.PROMISE)


@dataclass(frozen=True)
class _VisitFact:
    """What the scorecard needs to know about one visit."""

    visit_id: int
    arrived_at: datetime
    greeter_id: int | None
    greeted_at: datetime | None
    excluded: bool
    wait_seconds: int | None
    measured: bool
    on_time: bool


@dataclass(frozen=True)
class _FollowUpFact:
    kind: str
    owner_id: int
    on_time: bool


@dataclass(frozen=True)
class _Facts:
    visits: tuple[_VisitFact, ...]
    followups: tuple[_FollowUpFact, ...]
    handoffs_from: tuple[int, ...]


def _bounds(ctx: ShopContext, first_day: date, last_day: date) -> tuple[datetime, datetime]:
    calendar = ctx.calendar
    return calendar.start_of_day(first_day), calendar.start_of_day(last_day + timedelta(days=1))


def _visit_facts(session: Session, ctx: ShopContext, start: datetime, end: datetime) -> list[_VisitFact]:
    now = ctx.now()
    threshold = timedelta(minutes=ctx.rules.thresholds.greet_within_minutes)
    visits = (
        session.connection()
        .execute(
            sa_select(
                col(Visit.id),
                col(Visit.arrived_at),
                col(Visit.claimed_at),
                col(Visit.owner_id),
                col(Visit.ended_at),
            ).where(col(Visit.arrived_at) >= start, col(Visit.arrived_at) < end)
        )
        .all()
    )
    first_claims: dict[int, tuple[datetime, int | None]] = {}
    # `action || ''` keeps SQLite on the time index instead of scanning every claim ever made.
    for visit_id, at, actor_id in session.exec(
        select(AuditEvent.entity_id, AuditEvent.at, AuditEvent.actor_id)
        .where(
            col(AuditEvent.at) >= start,
            col(AuditEvent.at) < end + CLAIM_SLACK,
            (col(AuditEvent.action) + "") == "visit.claimed",
        )
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    ):
        if visit_id is not None and visit_id not in first_claims:
            first_claims[visit_id] = (at, actor_id)
    browse_from: dict[int, datetime] = {}
    for visit_id, set_at in session.exec(
        select(VisitNeed.visit_id, VisitNeed.set_at)
        .join(Visit, col(Visit.id) == col(VisitNeed.visit_id))
        .where(
            col(Visit.arrived_at) >= start,
            col(Visit.arrived_at) < end,
            VisitNeed.kind == NeedKind.BROWSE_PRIVATELY,
        )
    ):
        if visit_id not in browse_from or set_at < browse_from[visit_id]:
            browse_from[visit_id] = set_at
    facts = []
    for visit_id, arrived_at, claimed_at, owner_id, ended_at in visits:
        assert visit_id is not None
        greeted_at, greeter_id = first_claims.get(visit_id, (claimed_at, owner_id if claimed_at else None))
        browse = browse_from.get(visit_id)
        excluded = browse is not None and (greeted_at is None or browse <= greeted_at)
        wait = max((greeted_at or ended_at or now) - arrived_at, timedelta(0))
        on_time = greeted_at is not None and wait <= threshold
        facts.append(
            _VisitFact(
                visit_id=visit_id,
                arrived_at=arrived_at,
                greeter_id=greeter_id,
                greeted_at=greeted_at,
                excluded=excluded,
                wait_seconds=None if excluded else int(wait.total_seconds()),
                measured=not excluded and (greeted_at is not None or wait > threshold),
                on_time=not excluded and on_time,
            )
        )
    return facts


def _facts(session: Session, ctx: ShopContext, start: datetime, end: datetime) -> _Facts:
    now = ctx.now()
    followups = []
    # A snoozed follow-up is measured against the due time first owed, not the moved one.
    owed_at = func.coalesce(col(FollowUp.original_due_at), col(FollowUp.due_at))
    for kind, owner_id, status, due_at, done_at in session.connection().execute(
        sa_select(
            col(FollowUp.kind),
            col(FollowUp.owner_id),
            col(FollowUp.status),
            owed_at,
            col(FollowUp.done_at),
        ).where(
            col(FollowUp.kind).in_(MEASURED_KINDS),
            owed_at >= start,
            owed_at < end,
        )
    ):
        if status == FollowUpStatus.CANCELLED:
            continue
        done = status == FollowUpStatus.DONE and done_at is not None
        if not done and due_at > now:
            continue
        followups.append(_FollowUpFact(kind, owner_id, done and done_at is not None and done_at <= due_at))
    moves = session.exec(
        select(HandoffRequest.from_staff_id, HandoffRequest.status)
        .join(Visit, col(Visit.id) == col(HandoffRequest.visit_id))
        .where(col(Visit.arrived_at) >= start, col(Visit.arrived_at) < end)
    ).all()
    # Only the hand-offs the associate asked for and a lead approved; a lead's own
    # reassignments (and a deactivated colleague's customers passed on) are not theirs.
    handoffs = [from_staff for from_staff, status in moves if status == HandoffStatus.APPROVED]
    return _Facts(
        visits=tuple(_visit_facts(session, ctx, start, end)),
        followups=tuple(followups),
        handoffs_from=tuple(handoffs),
    )


def _card(
    label: str,
    start: datetime,
    end: datetime,
    visits: list[_VisitFact],
    followups: list[_FollowUpFact],
    handoffs: int,
    targets: Targets,
) -> Scorecard:
    """The card from the facts counted here one at a time (the measures are assembled as
    the service assembles them)."""
    measured = [v for v in visits if v.measured]
    waits = [v.wait_seconds for v in visits if v.wait_seconds is not None]
    counted = VisitSums(
        visits=len(visits),
        measured=len(measured),
        on_time=sum(1 for v in measured if v.on_time),
        waits=len(waits),
        wait_seconds=sum(waits),
        longest_wait=max(waits) if waits else None,
    )
    kinds = [FollowUpSums(f.kind, f.owner_id, 1, int(f.on_time)) for f in followups]
    return card_from_sums(label, start, end, counted, kinds, handoffs, targets)


def reference_period(
    session: Session, ctx: ShopContext, first_day: date, last_day: date, label: str
) -> PeriodScorecard:
    """The scorecard of store-local days `first_day`..`last_day` (inclusive), read in the
    caller's session without a permission check (the report and end of day use it)."""
    start, end = _bounds(ctx, first_day, last_day)
    facts = _facts(session, ctx, start, end)
    targets = ctx.rules.targets
    overall = _card(
        label,
        start,
        end,
        list(facts.visits),
        list(facts.followups),
        len(facts.handoffs_from),
        targets,
    )
    involved = (
        {v.greeter_id for v in facts.visits if v.greeter_id is not None}
        | {f.owner_id for f in facts.followups}
        | set(facts.handoffs_from)
    )
    names = staff_names(session)
    by_staff = tuple(
        StaffScorecard(
            staff_id=staff_id,
            name=names.get(staff_id, "?"),
            card=_card(
                names.get(staff_id, "?"),
                start,
                end,
                [v for v in facts.visits if v.greeter_id == staff_id],
                [f for f in facts.followups if f.owner_id == staff_id],
                sum(1 for s in facts.handoffs_from if s == staff_id),
                targets,
            ),
        )
        for staff_id in sorted(involved, key=lambda s: (names.get(s, "?").lower(), s))
    )
    return PeriodScorecard(first_day=first_day, last_day=last_day, overall=overall, by_staff=by_staff)


def reference_trend(ctx: ShopContext, *, weeks: int = 4) -> Trend:
    """The trend, one visit at a time."""
    today = ctx.calendar.local_date(ctx.now())
    first_day = today - timedelta(days=7 * weeks - 1)
    start, end = _bounds(ctx, first_day, today)
    with ctx.database.read() as session:
        facts = _visit_facts(session, ctx, start, end)
    tz = ctx.calendar.tz
    counts = [[[0, 0, 0] for _ in range(24)] for _ in range(7)]
    for fact in facts:
        local = fact.arrived_at.astimezone(tz)
        cell = counts[local.weekday()][local.hour]
        cell[0] += 1
        cell[1] += fact.measured
        cell[2] += fact.on_time
    grid = tuple(tuple(TrendCell(*cell) for cell in row) for row in counts)

    def total(cells: Iterable[TrendCell]) -> TrendCell:
        items = list(cells)
        return TrendCell(
            sum(c.visits for c in items), sum(c.measured for c in items), sum(c.on_time for c in items)
        )

    return Trend(
        first_day=first_day,
        last_day=today,
        by_hour=tuple(total(grid[day][hour] for day in range(7)) for hour in range(24)),
        by_weekday=tuple(total(row) for row in grid),
        grid=grid,
    )
