"""End of day: close the visits left open, and check what is still owed.

At close, visits still open are ended as "left at close" and flagged for a lead to
review (nobody should be forgotten silently). A lead can close the day by hand, after
seeing how many visits and whose it will end (`close_day_preview`); before the shop's
closing time they must say why. The app calls `close_day_if_due` after close, which is
idempotent and safe to call from several terminals. Each close is a `DayClose` row the
visits it ended point at, so a lead can undo it the same day (`services.reversals`).

What the day left owed is `services.end_of_day`; the visits flagged for a lead's review are
`services.flagged_visits`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Customer,
    DayClose,
    HandoffRequest,
    HandoffStatus,
    Outcome,
    Visit,
)
from counter_tui.db.turns import Turn, one_at_a_time
from counter_tui.errors import InvalidInput
from counter_tui.limits import limited
from counter_tui.services import audit
from counter_tui.services.asked_callbacks import queue_asked_callback
from counter_tui.services.close_seen import CloseChanged, seen_now, what_changed
from counter_tui.services.closing_views import ClosePreview, CloseSeen, ClosingHandoff, ClosingVisit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.handoffs import handoff_views
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import staff_names, visit_who
from counter_tui.services.review_views import CloseResult
from counter_tui.services.walkouts import owe_apology

AUTO_CLOSE_GRACE = timedelta(minutes=30)
AUTO_REASON = "automatic, after closing time"
LOOKBACK_DAYS = 14
CLOSED_NOTE = "visit closed at end of day"


def _cancel_handoffs_at_close(session: Session, visit_id: int, close: DayClose) -> list[int]:
    """Cancel the visit's pending hand-off requests as part of `close` (which undoing it
    brings back); the ids cancelled."""
    cancel = (
        update(HandoffRequest)
        .where(col(HandoffRequest.visit_id) == visit_id, col(HandoffRequest.status) == HandoffStatus.PENDING)
        .values(
            status=HandoffStatus.CANCELLED,
            decided_at=close.closed_at,
            decision_note=CLOSED_NOTE,
            day_close_id=close.id,
        )
        .returning(col(HandoffRequest.id))
    )
    return [
        request_id for request_id in session.connection().execute(cancel).scalars() if request_id is not None
    ]


def _open_visit_ids(session: Session, before: datetime) -> list[int]:
    """Visits still open that arrived before `before`, oldest first."""
    return [
        visit_id
        for visit_id in session.exec(
            select(Visit.id)
            .where(col(Visit.ended_at).is_(None), col(Visit.arrived_at) < before)
            .order_by(col(Visit.arrived_at), col(Visit.id))
        )
        if visit_id is not None
    ]


def _end_at_close(
    session: Session,
    ctx: ShopContext,
    actor: Actor | None,
    visit_ids: Sequence[int],
    close: DayClose,
    cancelled: list[int],
) -> list[int]:
    """End these visits as left at close, flagged, and part of `close`. Each is a
    conditional UPDATE, so a visit ended meanwhile by someone else (or by another
    terminal closing the day) is left alone. Returns the visits ended; the pending
    hand-off requests on them it cancelled are added to `cancelled`."""
    staff_id = actor.staff_id if actor is not None else None
    closed = []
    for visit_id in visit_ids:
        result = session.connection().execute(
            update(Visit)
            .where(col(Visit.id) == visit_id, col(Visit.ended_at).is_(None))
            .values(
                outcome=Outcome.LEFT_AT_CLOSE,
                ended_at=close.visits_ended_at,
                ended_by=staff_id,
                flagged_for_review=True,
                day_close_id=close.id,
            )
        )
        if result.rowcount != 1:
            continue
        closed.append(visit_id)
        cancelled.extend(_cancel_handoffs_at_close(session, visit_id, close))
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
        ended = session.get_one(Visit, visit_id, populate_existing=True)
        owe_apology(session, ctx, actor, ended)
        queue_asked_callback(session, ctx, actor, ended)
    return closed


def _closed(
    session: Session,
    ctx: ShopContext,
    actor: Actor | None,
    close: DayClose,
    closed: list[int],
    cancelled: list[int],
    **details: Any,
) -> CloseResult:
    """Audit a day close (how many visits it ended, and which, and the hand-off requests
    it cancelled) and say what it did."""
    audit.record(
        session,
        ctx,
        actor,
        "day.closed",
        "day",
        close.id,
        day=close.day,
        visits_ended=len(closed),
        visit_ids=closed,
        handoffs_cancelled=cancelled,
        **details,
    )
    return CloseResult(
        day=close.day,
        closed_visit_ids=tuple(closed),
        day_close_id=close.id,
        cancelled_handoff_ids=tuple(cancelled),
    )


def _new_close(
    session: Session,
    day: date,
    now: datetime,
    ended_at: datetime,
    actor: Actor | None,
    *,
    auto: bool,
    reason: str,
) -> DayClose:
    close = DayClose(
        day=day,
        closed_at=now,
        visits_ended_at=ended_at,
        closed_by=actor.staff_id if actor is not None else None,
        auto=auto,
        reason=reason,
    )
    session.add(close)
    session.flush()
    return close


def closing_visits(session: Session, visit_ids: Sequence[int]) -> tuple[ClosingVisit, ...]:
    """The visits, named, with their owners, in the order given."""
    names = staff_names(session)
    rows = {
        visit.id: (visit, customer)
        for visit, customer in session.exec(
            select(Visit, Customer)
            .join(Customer, col(Visit.customer_id) == col(Customer.id), isouter=True)
            .where(col(Visit.id).in_(list(visit_ids)))
        ).all()
    }
    return tuple(
        ClosingVisit(
            visit_id=visit_id,
            who=visit_who(visit, customer),
            owner_name=names.get(visit.owner_id) if visit.owner_id else None,
            owner_id=visit.owner_id,
        )
        for visit_id in visit_ids
        if visit_id in rows
        for visit, customer in [rows[visit_id]]
    )


def closing_handoffs(session: Session, statement: Any) -> tuple[ClosingHandoff, ...]:
    """Run a `select(HandoffRequest)` and name each request's customer and colleagues."""
    return tuple(
        ClosingHandoff(
            request_id=view.id,
            visit_id=view.visit_id,
            who=view.who,
            from_name=view.from_name,
            to_name=view.to_name,
        )
        for view in handoff_views(session, statement)
    )


def closes_early(ctx: ShopContext, moment: datetime) -> tuple[bool, datetime | None]:
    """Whether closing the day at `moment` is before the shop's closing time that day, and
    that closing time (None on a day the shop is closed)."""
    closes_at = ctx.calendar.closing(ctx.calendar.local_date(moment))
    return closes_at is not None and moment < closes_at, closes_at


def hours_said(ctx: ShopContext, moment: datetime) -> str:
    """Where the shop's day stands at `moment`, for a close before closing time: "The
    shop is open until 16:00.", or before opening "The shop has not opened yet today
    (open 10:00-16:00)."; empty on a day the shop is closed."""
    calendar = ctx.calendar
    periods = calendar.periods(calendar.local_date(moment))
    if not periods:
        return ""
    if moment < periods[0][0]:
        hours = ", ".join(
            f"{calendar.local(opens).format('HH:mm')}-{calendar.local(closes).format('HH:mm')}"
            for opens, closes in periods
        )
        return f"The shop has not opened yet today (open {hours})."
    return f"The shop is open until {calendar.local(periods[-1][1]).format('HH:mm')}."


def close_day_preview(ctx: ShopContext, actor: Actor) -> ClosePreview:
    """What closing the day now would end, and whose: shown to the lead to confirm."""
    with ctx.database.read() as session:
        require(session, actor, Action.CLOSE_DAY)
        now = ctx.now()
        early, closes_at = closes_early(ctx, now)
        visits = closing_visits(session, _open_visit_ids(session, now + timedelta(seconds=1)))
        handoffs = closing_handoffs(
            session,
            select(HandoffRequest)
            .where(
                col(HandoffRequest.visit_id).in_([visit.visit_id for visit in visits]),
                HandoffRequest.status == HandoffStatus.PENDING,
            )
            .order_by(col(HandoffRequest.requested_at), col(HandoffRequest.id)),
        )
        return ClosePreview(
            day=ctx.calendar.local_date(now),
            closes_at=closes_at,
            early=early,
            visits=visits,
            hours_said=hours_said(ctx, now) if early else "",
            handoffs=handoffs,
            last_close_id=session.exec(select(func.max(DayClose.id))).one(),
        )


def close_day(ctx: ShopContext, actor: Actor, *, seen: CloseSeen, reason: str = "") -> CloseResult:
    """A lead closes the day now: exactly what they were shown (`close_day_preview`'s
    `seen`) — those open visits, owned by whom it said, end as left at close, flagged,
    and those pending hand-off requests are cancelled. If any of that changed since, or a
    visit arrived, or someone else closed the day, nothing is closed and `CloseChanged`
    says what (`services.close_seen`). A close of nothing is recorded only when the lead
    was shown nothing and nothing is still open. Before the shop's closing time the lead
    must say why."""
    reason = limited(reason, "reason")
    try:
        with ctx.database.write() as session:
            require(session, actor, Action.CLOSE_DAY)
            now = ctx.now()
            day = ctx.calendar.local_date(now)
            early, _ = closes_early(ctx, now)
            if early and not reason:
                raise InvalidInput(
                    f"{hours_said(ctx, now)} Say why the day closes before then (kept in the log)."
                )
            one_at_a_time(session, Turn.DAY_CLOSE)
            changed = what_changed(
                session, ctx, seen, seen_now(session, now + timedelta(seconds=1), lock=True)
            )
            if changed is not None:
                raise changed
            close = _new_close(session, day, now, now, actor, auto=False, reason=reason)
            cancelled: list[int] = []
            closed = _end_at_close(session, ctx, actor, seen.visit_ids, close, cancelled)
            if (tuple(closed), tuple(sorted(cancelled))) != (seen.visit_ids, seen.handoffs):
                raise _Raced  # changed between the check and the updates: undo it all
            return _closed(
                session, ctx, actor, close, closed, cancelled, auto=False, early=early, reason=reason
            )
    except _Raced:
        with ctx.database.read() as session:
            now_seen = seen_now(session, ctx.now() + timedelta(seconds=1))
            raise what_changed(session, ctx, seen, now_seen) or CloseChanged(RACED) from None


class _Raced(Exception):
    """A close found less to end or cancel than it checked for (rolled back)."""


RACED = "The open visits changed just as you pressed Enter; check the list and press Enter again to close."


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


def _kept_open(session: Session, day: date, closing: datetime) -> bool:
    """Whether a lead undid a close of `day` made at or after its closing time: they said
    the shop stays open, so the automatic close leaves that day alone."""
    return (
        session.exec(
            select(DayClose.id).where(
                DayClose.day == day,
                col(DayClose.closed_at) >= closing,
                col(DayClose.undone_at).is_not(None),
            )
        ).first()
        is not None
    )


def close_day_if_due(
    ctx: ShopContext, actor: Actor | None = None, *, grace: timedelta = AUTO_CLOSE_GRACE
) -> CloseResult | None:
    """Close the visits left open at the last close, once `grace` has passed since it.

    For the app to call after close (or on start the next morning); never before the
    shop's closing time, as the database holds it now (not a terminal's own file, nor
    a copy read before a lead changed it). Visits that arrived before that close and are still open end as
    left at close, at the closing time, and are flagged. Calling it again, from any
    terminal, closes nothing more; None when there was nothing to close, or when a lead
    undid that day's close (the shop stayed open). Housekeeping, so any signed-in
    terminal may trigger it.
    """
    ctx.refresh_rules()  # the shop's closing time as it is now, whatever this terminal kept
    found = last_close_before(ctx, ctx.now() - grace)
    if found is None:
        return None
    day, closing = found
    with ctx.database.write() as session:
        one_at_a_time(session, Turn.DAY_CLOSE)
        open_ids = _open_visit_ids(session, closing)
        if not open_ids or _kept_open(session, day, closing):
            return None
        close = _new_close(session, day, ctx.now(), closing, actor, auto=True, reason=AUTO_REASON)
        cancelled: list[int] = []
        closed = _end_at_close(session, ctx, actor, open_ids, close, cancelled)
        if not closed:
            session.delete(close)
            return None
        return _closed(session, ctx, actor, close, closed, cancelled, auto=True)
