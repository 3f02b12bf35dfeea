"""Follow-up oversight for shift leads: every owner's overdue and due-today follow-ups, the
callbacks not returned, and giving a follow-up to a colleague.

The lists go through the (owner, status, due) index, so they stay quick on a shop with
years of past follow-ups.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import Session, col, select

from counter_tui.db.models import FollowUp, FollowUpKind, FollowUpStatus, Staff
from counter_tui.errors import Conflict, InvalidInput, NotFound
from counter_tui.limits import limited
from counter_tui.services import audit
from counter_tui.services.colleagues import available_colleague
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import followup_views
from counter_tui.services.review_views import FollowUpOversight, OwnerFollowUps
from counter_tui.services.views import FollowUpView


def _open_followups_due_before(
    session: Session, ctx: ShopContext, before: datetime, kinds: Sequence[str] = ()
) -> tuple[FollowUpView, ...]:
    """Open follow-ups due before `before`, oldest due first. Listing every staff id lets
    the (owner, status, due) index answer it instead of a scan of all past follow-ups."""
    owner_ids = list(session.exec(select(Staff.id)))
    query = select(FollowUp).where(
        col(FollowUp.owner_id).in_(owner_ids),
        FollowUp.status == FollowUpStatus.OPEN,
        col(FollowUp.due_at) < before,
    )
    if kinds:
        # `|| ''` keeps SQLite off the (kind, due) index, which would read every past one.
        query = query.where((col(FollowUp.kind) + "").in_(list(kinds)))
    return followup_views(session, ctx, query.order_by(col(FollowUp.due_at), col(FollowUp.id)))


def open_callbacks_due_by(session: Session, ctx: ShopContext, day: date) -> tuple[FollowUpView, ...]:
    """Callbacks still open that were due by the end of store-local `day` (overdue ones
    from earlier days included): the calls not returned."""
    _, end = ctx.calendar.day_bounds(day)
    return _open_followups_due_before(session, ctx, end, (FollowUpKind.CALLBACK,))


def overdue_followups_as_of(session: Session, ctx: ShopContext, moment: datetime) -> tuple[FollowUpView, ...]:
    """Open follow-ups other than callbacks whose due time is before `moment`."""
    kinds = [kind for kind in FollowUpKind if kind != FollowUpKind.CALLBACK]
    return _open_followups_due_before(session, ctx, moment, kinds)


def followup_oversight(ctx: ShopContext, actor: Actor) -> FollowUpOversight:
    """Every owner's overdue and due-today follow-ups (owners with none are left out),
    and the open callbacks due today or earlier, which must be returned before close."""
    now = ctx.now()
    end_of_today = ctx.calendar.end_of_today(now)
    with ctx.database.read() as session:
        require(session, actor, Action.OVERSEE_FOLLOWUPS)
        views = _open_followups_due_before(session, ctx, end_of_today)
        calls = open_callbacks_due_by(session, ctx, ctx.calendar.local_date(now))
    grouped: dict[int, list[FollowUpView]] = {}
    for view in views:
        grouped.setdefault(view.owner_id, []).append(view)
    by_owner = tuple(
        OwnerFollowUps(
            owner_id=owner_id,
            owner_name=items[0].owner_name,
            overdue=tuple(v for v in items if v.due_at < now),
            due_today=tuple(v for v in items if v.due_at >= now),
        )
        for owner_id, items in sorted(grouped.items(), key=lambda kv: kv[1][0].owner_name.lower())
    )
    return FollowUpOversight(by_owner=by_owner, unreturned_calls=calls)


def unreturned_calls(ctx: ShopContext, actor: Actor, day: date | None = None) -> tuple[FollowUpView, ...]:
    """Open callbacks due by the end of `day` (default today, store time)."""
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_UNRETURNED_CALLS)
        return open_callbacks_due_by(session, ctx, day or ctx.calendar.local_date(ctx.now()))


def reassign_followup(
    ctx: ShopContext, actor: Actor, followup_id: int, to_staff_id: int, reason: str
) -> None:
    """A lead gives an open follow-up to a colleague (e.g. its owner is away), with a reason."""
    reason = limited(reason, "reason")
    if not reason:
        raise InvalidInput("Give a reason for the reassignment; the new owner and the log need it.")
    with ctx.database.write() as session:
        require(session, actor, Action.REASSIGN_FOLLOWUP)
        followup = session.get(FollowUp, followup_id)
        if followup is None:
            raise NotFound("That follow-up no longer exists.")
        if followup.status != FollowUpStatus.OPEN:
            raise Conflict(f"This follow-up is already {followup.status}; nothing to reassign.")
        target = available_colleague(session, to_staff_id)
        if followup.owner_id == to_staff_id:
            raise InvalidInput(f"{target.name} already owns this follow-up.")
        move_followup(session, ctx, actor, followup, to_staff_id, reason)


def move_followup(
    session: Session, ctx: ShopContext, actor: Actor | None, followup: FollowUp, to_staff_id: int, reason: str
) -> None:
    """Give a follow-up to another owner, audited, in the caller's transaction (a lead's
    reassignment, or everything a deactivated colleague owned)."""
    previous = followup.owner_id
    followup.owner_id = to_staff_id
    session.add(followup)
    audit.record(
        session,
        ctx,
        actor,
        "followup.reassigned",
        "followup",
        followup.id,
        from_staff_id=previous,
        to_staff_id=to_staff_id,
        reason=reason,
    )
