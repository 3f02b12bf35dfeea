"""What a walk-in leaves on their visit before anyone knows who they are (notes,
feedback, needs to remember, preferences) follows them onto their record, when they are
put on file or linked to a customer on file."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from counter_tui.db.models import Customer, CustomerNote, Feedback, Visit, VisitNeed
from counter_tui.errors import Conflict
from counter_tui.limits import fitted, limited
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import remember_need


@dataclass(frozen=True)
class BroughtAlong:
    """How much of the walk-in's visit moved onto the customer's record."""

    notes: int
    feedback: int
    remembered_needs: list[str]
    preferences: bool


def combine_preferences(kept: str, added: str) -> str:
    """Two customers' preferences as one text: the kept one first, the other added on a
    new line unless it says nothing new (cut to the field's length)."""
    kept, added = kept.strip(), added.strip()
    if not added or added in kept:
        return kept
    if not kept or kept in added:
        return fitted(added, "preferences")
    return fitted(f"{kept}\n{added}", "preferences")


def bring_walk_in_along(session: Session, ctx: ShopContext, visit: Visit, customer: Customer) -> BroughtAlong:
    """Give the customer what was written on their anonymous visit (caller's transaction):
    its notes and feedback, the needs asked to be remembered, and its preferences. The
    caller's audit event says what moved."""
    assert visit.id is not None and customer.id is not None
    connection = session.connection()
    notes = connection.execute(
        update(CustomerNote)
        .where(col(CustomerNote.visit_id) == visit.id, col(CustomerNote.customer_id).is_(None))
        .values(customer_id=customer.id)
    ).rowcount
    said = connection.execute(
        update(Feedback)
        .where(col(Feedback.visit_id) == visit.id, col(Feedback.customer_id).is_(None))
        .values(customer_id=customer.id)
    ).rowcount
    to_remember = list(
        session.exec(
            select(VisitNeed).where(
                VisitNeed.visit_id == visit.id,
                col(VisitNeed.remember).is_(True),
                col(VisitNeed.cleared_at).is_(None),
            )
        )
    )
    for need in to_remember:
        remember_need(session, ctx, customer.id, need.kind, need.detail)
    moved_preferences = bool(visit.preferences.strip())
    if moved_preferences:
        customer.preferences = combine_preferences(customer.preferences, visit.preferences)
        visit.preferences = ""
        session.add(customer)
        session.add(visit)
    return BroughtAlong(notes, said, [need.kind for need in to_remember], moved_preferences)


def set_walk_in_preferences(
    session: Session, ctx: ShopContext, actor: Actor, visit: Visit, preferences: str
) -> None:
    """Keep what an anonymous walk-in prefers on their visit until they are on file
    (caller's transaction)."""
    if visit.customer_id is not None:
        raise Conflict("This customer is on file: their preferences are kept on their record.")
    visit.preferences = limited(preferences, "preferences")
    session.add(visit)
    audit.record(session, ctx, actor, "visit.preferences_set", "visit", visit.id)
