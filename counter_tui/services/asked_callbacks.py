"""A call back the customer asked for ("callback wanted" on their visit) is never
forgotten when the visit ends: in the transaction that ends it, the callback is queued
for the visit's owner (due as any callback: before today's close, or the next business
day's), by phone or text, whichever they agreed to, unless one is open for them already.
When it cannot be queued (not on file, no phone number, no consent to be called or
texted), ending the visit says so, and `callback.not_queued` in the audit log says why.
A callback the customer asked for is never held by the contact cadence.
"""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Customer,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    NeedKind,
    Staff,
    Visit,
    VisitNeed,
)
from counter_tui.limits import fitted
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import consented_channels
from counter_tui.services.followups import CALLBACK_CHANNELS, insert_followup

ASKED = "They asked for a call back"
_CALLBACK_WANTED = select(VisitNeed.detail).where(
    col(VisitNeed.visit_id) == bindparam("visit_id"),
    col(VisitNeed.kind) == NeedKind.CALLBACK_WANTED,
    col(VisitNeed.cleared_at).is_(None),
)
"""Built once: every ending asks it, inside the write lock."""
_ADD = "Add it with b on their record"


def queue_asked_callback(session: Session, ctx: ShopContext, actor: Actor | None, visit: Visit) -> str:
    """Inside the transaction that ends `visit` (by hand, or closing the day): queue the
    call back it asked for, if any is wanted and none is open; the sentence ending the
    visit adds ("" for nothing)."""
    wanted = session.connection().execute(_CALLBACK_WANTED, {"visit_id": visit.id}).first()
    if wanted is None:
        return ""
    customer = session.get(Customer, visit.customer_id) if visit.customer_id is not None else None
    if customer is None or customer.id is None or customer.erased_at is not None:
        return _not_queued(session, ctx, actor, visit, "not on file", "they are not on file.")
    already = session.exec(
        select(FollowUp.id).where(
            FollowUp.customer_id == customer.id,
            FollowUp.kind == FollowUpKind.CALLBACK,
            FollowUp.status == FollowUpStatus.OPEN,
        )
    ).first()
    if already is not None:
        return ""
    if not customer.phone:
        why = f"{customer.name} has no phone number on file. Add it (u), then the call back (b)."
        return _not_queued(session, ctx, actor, visit, "no phone", why)
    consented = consented_channels(session, customer.id)
    channel = next((c for c in CALLBACK_CHANNELS if c in consented), None)
    if channel is None:
        why = f"{customer.name} has not agreed to be called or texted. {_ADD} once they agree."
        return _not_queued(session, ctx, actor, visit, "no consent", why)
    owner = session.get(Staff, visit.owner_id) if visit.owner_id is not None else None
    if owner is None or owner.id is None or not owner.active:
        return _not_queued(session, ctx, actor, visit, "nobody owns it", f"nobody owns the visit. {_ADD}.")
    about = f"{ASKED}: {wanted.detail}" if wanted.detail else f"{ASKED} when they visited."
    insert_followup(
        session,
        ctx,
        actor,
        None,
        customer.id,
        FollowUpKind.CALLBACK,
        channel,
        fitted(about, "followup"),
        ctx.calendar.callback_due(ctx.now(), ctx.rules.followups.callback_cutoff_minutes),
        owner_id=owner.id,
        visit_id=visit.id,
        audit_details={"owner_id": owner.id, "asked_on_visit": True},
    )
    return f"The call back they asked for is queued for {owner.name}."


def _not_queued(
    session: Session, ctx: ShopContext, actor: Actor | None, visit: Visit, why: str, sentence: str
) -> str:
    audit.record(session, ctx, actor, "callback.not_queued", "visit", visit.id, why=why)
    return f"They asked for a call back, but none is queued: {sentence}"
