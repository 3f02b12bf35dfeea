"""End of day: close the visits left open, and check what is still owed.

At close, visits still open are ended as "left at close" and flagged for a lead to
review (nobody should be forgotten silently). A lead can close the day by hand; the app
calls `close_day_if_due` after close, which is idempotent and safe to call from several
terminals. The end-of-day check lists unreturned calls, overdue follow-ups, hand-offs
still waiting for a lead, visits flagged for review, and the day's scorecard; the
`counter-tui report day` command prints the same figures.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Customer,
    HandoffRequest,
    HandoffStatus,
    Outcome,
    Visit,
)
from counter_tui.errors import Conflict
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext, require_lead
from counter_tui.services.handoffs import handoff_views
from counter_tui.services.queries import staff_names, visit_who
from counter_tui.services.review import open_callbacks_due_by, overdue_followups_as_of
from counter_tui.services.review_views import CloseResult, EndOfDayReport, FlaggedVisit
from counter_tui.services.scorecard import compute_period
from counter_tui.services.visits import load_visit
from counter_tui.text import SHORT_MAX, clean_text

AUTO_CLOSE_GRACE = timedelta(minutes=30)
LOOKBACK_DAYS = 14
REVIEW_LOOKBACK_DAYS = 30


def _close_open_visits(
    session: Session, ctx: ShopContext, actor: Actor | None, before: datetime, ended_at: datetime
) -> list[int]:
    """End every visit still open that arrived before `before`, as left at close and
    flagged. Each is a conditional UPDATE, so a visit ended meanwhile by someone else (or
    by another terminal closing the day) is left alone."""
    staff_id = actor.staff_id if actor is not None else None
    open_ids = list(
        session.exec(
            select(Visit.id)
            .where(col(Visit.ended_at).is_(None), col(Visit.arrived_at) < before)
            .order_by(col(Visit.arrived_at), col(Visit.id))
        )
    )
    closed = []
    for visit_id in open_ids:
        result = session.connection().execute(
            update(Visit)
            .where(col(Visit.id) == visit_id, col(Visit.ended_at).is_(None))
            .values(
                outcome=Outcome.LEFT_AT_CLOSE,
                ended_at=ended_at,
                ended_by=staff_id,
                flagged_for_review=True,
            )
        )
        if result.rowcount != 1:
            continue
        assert visit_id is not None
        closed.append(visit_id)
        for request in session.exec(
            select(HandoffRequest).where(
                HandoffRequest.visit_id == visit_id, HandoffRequest.status == HandoffStatus.PENDING
            )
        ):
            request.status, request.decided_at = HandoffStatus.CANCELLED, ctx.now()
            request.decision_note = "visit closed at end of day"
            session.add(request)
        audit.record(
            session,
            ctx,
            actor,
            "visit.ended",
            "visit",
            visit_id,
            outcome=Outcome.LEFT_AT_CLOSE,
            flagged_for_review=True,
        )
    return closed


def close_day(ctx: ShopContext, actor: Actor) -> CloseResult:
    """A lead closes the day now: every open visit ends as left at close, flagged."""
    with ctx.database.write() as session:
        require_lead(session, actor, "close the day")
        now = ctx.now()
        day = ctx.calendar.local_date(now)
        closed = _close_open_visits(session, ctx, actor, before=now + timedelta(seconds=1), ended_at=now)
        audit.record(session, ctx, actor, "day.closed", "day", None, day=day, closed=closed, auto=False)
        return CloseResult(day=day, closed_visit_ids=tuple(closed))


def last_close_before(ctx: ShopContext, moment: datetime) -> tuple[date, datetime] | None:
    """The most recent store close at or before `moment` (within two weeks), and its day."""
    calendar = ctx.calendar
    today = calendar.local_date(moment)
    for back in range(LOOKBACK_DAYS + 1):
        day = today - timedelta(days=back)
        closing = calendar.closing(day)
        if closing is not None and closing <= moment:
            return day, closing
    return None


def close_day_if_due(
    ctx: ShopContext, actor: Actor | None = None, *, grace: timedelta = AUTO_CLOSE_GRACE
) -> CloseResult | None:
    """Close the visits left open at the last close, once `grace` has passed since it.

    For the app to call after close (or on start the next morning). Visits that arrived
    before that close and are still open end as left at close, at the closing time, and
    are flagged. Calling it again, from any terminal, closes nothing more; None when there
    was nothing to close. Housekeeping, so any signed-in terminal may trigger it.
    """
    found = last_close_before(ctx, ctx.now() - grace)
    if found is None:
        return None
    day, closing = found
    with ctx.database.write() as session:
        closed = _close_open_visits(session, ctx, actor, before=closing, ended_at=closing)
        if not closed:
            return None
        audit.record(session, ctx, actor, "day.closed", "day", None, day=day, closed=closed, auto=True)
        return CloseResult(day=day, closed_visit_ids=tuple(closed))


def mark_reviewed(ctx: ShopContext, actor: Actor, visit_id: int, note: str = "") -> None:
    """A lead has looked at a flagged visit (e.g. called the customer who was left)."""
    note = clean_text(note, SHORT_MAX)
    with ctx.database.write() as session:
        require_lead(session, actor, "review flagged visits")
        visit = load_visit(session, visit_id)
        if not visit.flagged_for_review:
            raise Conflict("This visit is not flagged for review (perhaps already reviewed).")
        visit.flagged_for_review = False
        session.add(visit)
        audit.record(session, ctx, actor, "visit.reviewed", "visit", visit_id, note=note)


def _flagged(session: Session, ctx: ShopContext, before: datetime) -> tuple[FlaggedVisit, ...]:
    """Visits still flagged that arrived in the `REVIEW_LOOKBACK_DAYS` before `before`."""
    since = before - timedelta(days=REVIEW_LOOKBACK_DAYS)
    names = staff_names(session)
    rows = session.exec(
        select(Visit, Customer)
        .join(Customer, col(Visit.customer_id) == col(Customer.id), isouter=True)
        .where(
            col(Visit.arrived_at) >= since,
            col(Visit.arrived_at) < before,
            col(Visit.flagged_for_review).is_(True),
        )
        .order_by(col(Visit.arrived_at), col(Visit.id))
    ).all()
    return tuple(
        FlaggedVisit(
            visit_id=visit.id or 0,
            who=visit_who(visit, customer),
            arrived_at=visit.arrived_at,
            ended_at=visit.ended_at,
            owner_name=names.get(visit.owner_id) if visit.owner_id else None,
            outcome=visit.outcome,
        )
        for visit, customer in rows
    )


def flagged_visits(ctx: ShopContext, actor: Actor) -> tuple[FlaggedVisit, ...]:
    """Visits waiting for a lead's review (last 30 days), oldest first."""
    with ctx.database.read() as session:
        require_lead(session, actor, "review flagged visits")
        return _flagged(session, ctx, ctx.now() + timedelta(seconds=1))


def build_end_of_day(session: Session, ctx: ShopContext, day: date) -> EndOfDayReport:
    """The end-of-day check for store-local `day`, read in the caller's session without a
    permission check (the CLI report uses it). Outstanding items are as they stand now,
    for work due by the end of `day` (or by now, if the day is not over)."""
    calendar = ctx.calendar
    now = ctx.now()
    end = calendar.start_of_day(day + timedelta(days=1))
    pending = handoff_views(
        session,
        select(HandoffRequest)
        .where(
            HandoffRequest.status == HandoffStatus.PENDING,
            col(HandoffRequest.requested_at) < end,
        )
        .order_by(col(HandoffRequest.requested_at), col(HandoffRequest.id)),
    )
    return EndOfDayReport(
        day=day,
        shop_name=ctx.settings.shop.name,
        opens_at=calendar.opening(day),
        closes_at=calendar.closing(day),
        generated_at=now,
        unreturned_calls=open_callbacks_due_by(session, ctx, day),
        overdue_followups=overdue_followups_as_of(session, ctx, min(now, end)),
        pending_handoffs=tuple(pending),
        flagged_visits=_flagged(session, ctx, end),
        scorecard=compute_period(session, ctx, day, day, day.isoformat()),
    )


def end_of_day(ctx: ShopContext, actor: Actor, day: date | None = None) -> EndOfDayReport:
    """The end-of-day screen for `day` (default today, store time)."""
    with ctx.database.read() as session:
        require_lead(session, actor, "see the end-of-day check")
        return build_end_of_day(session, ctx, day or ctx.calendar.local_date(ctx.now()))
