"""Every change of a visit's owner goes through here, carrying the owner the person saw.

A claim, a lead's reassignment, an approved hand-off and a deactivated member's customers
passed on are each one conditional UPDATE of the visit `WHERE owner_id` is the owner the
person acting saw (`seen`; None: nobody) and the visit is still open. Each sets
`owner_since`, since when the new owner has the customer; only the first claim sets
`claimed_at`, when the customer was first greeted, which no later change moves (the
greet-time figures and exports read it). Of two leads moving
the same customer at once, exactly one moves them; the other is refused with
`OwnerChanged`, one sentence naming who changed the owner to whom and when ("Priya
reassigned Kwame to Alex at 11:04."). A dialog keeps what was chosen and takes in the
owner now (`ui.dialogs.opened_on.OpenedOn`), so Enter again, having seen the change,
applies it on purpose. Read-then-write would let the later one silently win (under READ
COMMITTED on PostgreSQL both see the old owner).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, update
from sqlmodel import Session, col, select
from sqlmodel.sql.sqltypes import UTCDateTime

from counter_tui.db.models import Customer, HandoffRequest, HandoffStatus, Visit
from counter_tui.services.changed_meanwhile import ChangedMeanwhile
from counter_tui.services.context import ShopContext
from counter_tui.services.queries import staff_names, visit_who

_NOW = bindparam("now", type_=UTCDateTime())
_MOVE_FROM_NOBODY = (
    update(Visit)
    .where(
        col(Visit.id) == bindparam("visit"),
        col(Visit.owner_id).is_(None),
        col(Visit.ended_at).is_(None),
    )
    .values(
        owner_id=bindparam("owner"), owner_since=_NOW, claimed_at=func.coalesce(col(Visit.claimed_at), _NOW)
    )
)
_MOVE_FROM_OWNER = (
    update(Visit)
    .where(
        col(Visit.id) == bindparam("visit"),
        col(Visit.owner_id) == bindparam("seen"),
        col(Visit.ended_at).is_(None),
    )
    .values(owner_id=bindparam("owner"), owner_since=_NOW)
)
MOVED = (HandoffStatus.APPROVED, HandoffStatus.REASSIGNED)
"""Hand-off log rows that moved a visit (a claim leaves none: the visit's own row says it)."""


class OwnerChanged(ChangedMeanwhile):
    """The visit's owner is no longer the one the person saw. `change` is the one sentence
    saying who changed it to whom and when; `now` the owner now (a staff id, or None)."""

    def __init__(self, change: str, now: int | None) -> None:
        super().__init__(
            f"{change} Your choice is kept: Enter saves it over that change, Esc leaves it.", now
        )
        self.change = change


def try_move(session: Session, visit_id: int, seen: int | None, to: int, now: datetime) -> bool:
    """Give the open visit to `to` if its owner is still `seen`, in the caller's
    transaction; whether it moved."""
    if seen is None:
        result = session.connection().execute(_MOVE_FROM_NOBODY, {"visit": visit_id, "owner": to, "now": now})
    else:
        result = session.connection().execute(
            _MOVE_FROM_OWNER, {"visit": visit_id, "seen": seen, "owner": to, "now": now}
        )
    return bool(result.rowcount == 1)


def move(session: Session, ctx: ShopContext, visit_id: int, seen: int | None, to: int, now: datetime) -> None:
    """`try_move`, refused with OwnerChanged (naming who changed the owner, to whom, when)
    when the visit is no longer `seen`'s or has ended."""
    if not try_move(session, visit_id, seen, to, now):
        visit = session.exec(
            select(Visit).where(col(Visit.id) == visit_id).execution_options(populate_existing=True)
        ).first()
        raise OwnerChanged(owner_change(session, ctx, visit), visit.owner_id if visit is not None else None)


def owner_change(session: Session, ctx: ShopContext, visit: Visit | None) -> str:
    """One sentence: how the visit came to be with whom it is with now, and when."""
    if visit is None:
        return "That visit no longer exists."
    customer = session.get(Customer, visit.customer_id) if visit.customer_id is not None else None
    who = visit_who(visit, customer)
    names = staff_names(session)
    if visit.ended_at is not None:
        return f"{who}'s visit ended at {_at(ctx, visit.ended_at)}."
    if visit.owner_id is None:
        return f"Nobody owns {who} now."
    owner = names.get(visit.owner_id, "A colleague")
    moved = session.exec(
        select(HandoffRequest)
        .where(
            HandoffRequest.visit_id == visit.id,
            col(HandoffRequest.status).in_(MOVED),
            HandoffRequest.to_staff_id == visit.owner_id,
        )
        .order_by(col(HandoffRequest.decided_at).desc(), col(HandoffRequest.id).desc())
    ).first()
    if (
        moved is None
        or moved.decided_at is None
        or (visit.owner_since is not None and moved.decided_at < visit.owner_since)
    ):
        since = f" at {_at(ctx, visit.owner_since)}" if visit.owner_since is not None else ""
        return f"{owner} claimed {who}{since}."
    decider = names.get(moved.decided_by or 0, "A shift lead")
    if moved.status == HandoffStatus.APPROVED:
        return f"{decider} approved the hand-off of {who} to {owner} at {_at(ctx, moved.decided_at)}."
    return f"{decider} reassigned {who} to {owner} at {_at(ctx, moved.decided_at)}."


def _at(ctx: ShopContext, moment: datetime) -> str:
    return ctx.calendar.local(moment).format("HH:mm")
