"""Visits flagged for a lead's review: those the end of the day ended as "left at close"
(`services.closing`), listed for a lead, who marks each reviewed once they have looked at
it (called the customer who was left, say). Nobody should be forgotten silently."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import true
from sqlmodel import Session, col, select

from counter_tui.db.models import Customer, Visit
from counter_tui.errors import Conflict
from counter_tui.limits import limited
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import staff_names, visit_who
from counter_tui.services.review_views import FlaggedVisit
from counter_tui.services.visits import load_visit

REVIEW_LOOKBACK_DAYS = 30


def mark_reviewed(ctx: ShopContext, actor: Actor, visit_id: int, note: str = "") -> None:
    """A lead has looked at a flagged visit (e.g. called the customer who was left)."""
    note = limited(note, "short_note", param="note")
    with ctx.database.write() as session:
        require(session, actor, Action.REVIEW_FLAGGED)
        visit = load_visit(session, visit_id)
        if not visit.flagged_for_review:
            raise Conflict("This visit is not flagged for review (perhaps already reviewed).")
        visit.flagged_for_review = False
        session.add(visit)
        audit.record(session, ctx, actor, "visit.reviewed", "visit", visit_id, note=note)


def flagged_before(session: Session, ctx: ShopContext, before: datetime) -> tuple[FlaggedVisit, ...]:
    """Visits still flagged that arrived in the `REVIEW_LOOKBACK_DAYS` before `before`
    (the caller's session, no permission check: the end-of-day check reads it too)."""
    since = before - timedelta(days=REVIEW_LOOKBACK_DAYS)
    names = staff_names(session)
    rows = session.exec(
        select(Visit, Customer)
        .join(Customer, col(Visit.customer_id) == col(Customer.id), isouter=True)
        .where(
            col(Visit.arrived_at) >= since,
            col(Visit.arrived_at) < before,
            col(Visit.flagged_for_review) == true(),  # `=`, which the index serves (`IS` it may not)
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
        require(session, actor, Action.REVIEW_FLAGGED)
        return flagged_before(session, ctx, ctx.now() + timedelta(seconds=1))
