"""A day close closes what its lead was shown, or nothing, and says what changed.

The close dialog shows the open visits, whose they are and the pending hand-off requests
on them (`closing.close_day_preview`); `closing.close_day` takes that back as a
`CloseSeen` and, in its write transaction, reads the same things again (`seen_now`). Any
difference (a visit claimed, moved, ended or arrived; a hand-off requested or decided; a
day close made by someone else) refuses the close with one sentence naming what changed
(`what_changed`), so a lead never ends a visit or cancels a request they did not see, and
a second lead confirming after the first gets "Dana already closed the day at 17:32;
nothing is left to close." rather than an empty close.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from counter_tui.db.models import Customer, DayClose, HandoffRequest, HandoffStatus, Visit
from counter_tui.errors import Conflict
from counter_tui.sentences import counted, listed
from counter_tui.services.closing_views import CloseSeen
from counter_tui.services.context import ShopContext
from counter_tui.services.queries import staff_names, visit_who

SAID = 3
"""How many changes the sentence names before "and n more"."""
AGAIN = "check the list and press Enter again to close."


class CloseChanged(Conflict):
    """What the lead was shown before closing the day has changed; nothing was closed.
    `nothing_left` when another close has already ended everything (the dialog has
    nothing more to offer)."""

    def __init__(self, message: str, *, nothing_left: bool = False) -> None:
        super().__init__(message)
        self.nothing_left = nothing_left


def seen_now(session: Session, before: datetime, *, lock: bool = False) -> CloseSeen:
    """The open visits that arrived before `before` (with `lock`, their rows locked on
    PostgreSQL, so nobody claims or ends them until the close commits), whose they are,
    the pending hand-off requests on them, and the newest day close."""
    statement = (
        select(Visit.id, Visit.owner_id)
        .where(col(Visit.ended_at).is_(None), col(Visit.arrived_at) < before)
        .order_by(col(Visit.arrived_at), col(Visit.id))
    )
    visits = tuple(
        (visit_id or 0, owner_id)
        for visit_id, owner_id in session.exec(statement.with_for_update() if lock else statement)
    )
    handoffs = tuple(
        request_id or 0
        for request_id in session.exec(
            select(HandoffRequest.id)
            .where(
                col(HandoffRequest.visit_id).in_([visit_id for visit_id, _owner in visits]),
                HandoffRequest.status == HandoffStatus.PENDING,
            )
            .order_by(col(HandoffRequest.id))
        )
    )
    last_close_id = session.exec(select(func.max(DayClose.id))).one()
    return CloseSeen(visits=visits, handoffs=handoffs, last_close_id=last_close_id)


def what_changed(session: Session, ctx: ShopContext, seen: CloseSeen, now: CloseSeen) -> CloseChanged | None:
    """The refusal saying how `now` differs from what the lead `seen`, or None when it
    does not (an undone close in between, with everything back as it was, is no change)."""
    closes = session.exec(
        select(DayClose)
        .where(col(DayClose.id) > (seen.last_close_id or 0), col(DayClose.undone_at).is_(None))
        .order_by(col(DayClose.id))
    ).all()
    changes = [_close_said(session, ctx, close) for close in closes]
    changes += _visit_changes(session, seen, now, {close.id for close in closes})
    changes += _handoff_changes(session, seen, now)
    if not changes:
        return None
    if closes and not now.visits:
        return CloseChanged(
            f"{changes[0][0].upper()}{changes[0][1:]}; nothing is left to close.", nothing_left=True
        )
    named = changes if len(changes) <= SAID + 1 else [*changes[:SAID], _more(len(changes) - SAID)]
    return CloseChanged(f"Since you opened this, {listed(named)}; {AGAIN}")


def _more(count: int) -> str:
    return counted(count, "more change")


def _close_said(session: Session, ctx: ShopContext, close: DayClose) -> str:
    """`Dana already closed the day at 17:32`, or `the day was already closed
    automatically at 18:00`."""
    at = ctx.calendar.local(close.closed_at).format("HH:mm")
    if close.auto or close.closed_by is None:
        return f"the day was already closed automatically at {at}"
    return f"{staff_names(session).get(close.closed_by, 'Someone')} already closed the day at {at}"


def _visit_changes(session: Session, seen: CloseSeen, now: CloseSeen, closes: set[int | None]) -> list[str]:
    """Visits shown that ended, or changed hands, and visits that arrived, since."""
    shown, current = dict(seen.visits), dict(now.visits)
    changed = [
        visit_id for visit_id in shown if visit_id not in current or current[visit_id] != shown[visit_id]
    ]
    arrived = [visit_id for visit_id in current if visit_id not in shown]
    rows = {
        visit.id: visit
        for visit in session.exec(select(Visit).where(col(Visit.id).in_([*changed, *arrived]))).all()
    }
    names = staff_names(session)

    def name(staff_id: int | None) -> str:
        return names.get(staff_id, "someone") if staff_id is not None else "someone"

    said = []
    for visit_id in changed:
        visit = rows[visit_id]
        who = _who(session, visit)
        if visit_id not in current:
            if visit.day_close_id not in closes:  # a close since is said once, for all it ended
                said.append(f"{name(visit.ended_by)} ended {who}'s visit")
        elif shown[visit_id] is None:
            said.append(f"{name(current[visit_id])} claimed {who}")
        elif current[visit_id] is None:
            said.append(f"{who} is nobody's now (was {name(shown[visit_id])}'s)")
        else:
            said.append(f"{who} moved from {name(shown[visit_id])} to {name(current[visit_id])}")
    return said + [f"{_who(session, rows[visit_id])} arrived" for visit_id in arrived]


def _handoff_changes(session: Session, seen: CloseSeen, now: CloseSeen) -> list[str]:
    """Hand-off requests on the visits still open that were made, or decided, since."""
    new = [request_id for request_id in now.handoffs if request_id not in seen.handoffs]
    gone = [request_id for request_id in seen.handoffs if request_id not in now.handoffs]
    requests = {
        request.id: request
        for request in session.exec(
            select(HandoffRequest).where(col(HandoffRequest.id).in_([*new, *gone]))
        ).all()
    }
    names = staff_names(session)
    still_open = {visit_id for visit_id, _owner in now.visits}
    said = []
    for request_id in new:
        request = requests[request_id]
        who = _who(session, session.get_one(Visit, request.visit_id))
        said.append(
            f"{names.get(request.from_staff_id, 'someone')} asked to hand {who} to "
            f"{names.get(request.to_staff_id, 'someone')}"
        )
    for request_id in gone:
        request = requests[request_id]
        if request.visit_id in still_open:  # else the visit's own change says it
            who = _who(session, session.get_one(Visit, request.visit_id))
            said.append(f"the hand-off request for {who} was decided")
    return said


def _who(session: Session, visit: Visit) -> str:
    """The visit's customer as the close dialog names them."""
    customer = session.get(Customer, visit.customer_id) if visit.customer_id is not None else None
    return visit_who(visit, customer)
