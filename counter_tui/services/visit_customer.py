"""A visit's customer: link a walk-in to a customer on file, or put them on file from the
visit, bringing along what was written on the visit and applying their remembered needs.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from counter_tui.db.models import Customer, StandingNeed, Visit, VisitNeed
from counter_tui.errors import Conflict
from counter_tui.services import audit
from counter_tui.services.contact import clean_contact
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import AT_THE_COUNTER, insert_customer, load_customer, write_consent
from counter_tui.services.duplicates import PossibleDuplicate, find_duplicates
from counter_tui.services.linking import (
    NOTHING_TYPED,
    TypedContact,
    TypedKept,
    bring_walk_in_along,
    keep_typed_details,
    set_walk_in_preferences,
)
from counter_tui.services.need_rules import add_need, standing_kinds_to_add
from counter_tui.services.permissions import Action, require
from counter_tui.services.visits import (
    load_visit,
    require_on_visit,
    require_open,
)


def on_file(session: Session, visit: Visit) -> bool:
    """Whether the visit's customer is on file: a customer erased at their request during
    the visit is not, and the walk-in may be put on file again if they ask."""
    if visit.customer_id is None:
        return False
    customer = session.get(Customer, visit.customer_id)
    return customer is not None and customer.erased_at is None


def attach_customer(
    ctx: ShopContext, actor: Actor, visit_id: int, customer_id: int, typed: TypedContact | None = None
) -> TypedKept:
    """Link an anonymous visit to a customer on file (e.g. once they give their name).

    What was written on the visit (notes, feedback, needs to remember, preferences) moves
    onto their record, and their remembered needs apply to the visit from now on. With
    `typed`, the details typed to put the walk-in on file before they turned out to be on
    file already: in the same transaction their record takes what it lacks of them
    (`keep_typed_details`); the result says what it did not take.
    """
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        customer = load_customer(session, customer_id)  # the latest save, locked (PostgreSQL)
        if typed is not None:
            require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        if visit.customer_id == customer_id:
            return NOTHING_TYPED
        if on_file(session, visit):
            raise Conflict("This visit is already linked to another customer.")
        other = session.exec(
            select(Visit).where(
                Visit.customer_id == customer_id,
                col(Visit.ended_at).is_(None),
                Visit.id != visit_id,
            )
        ).first()
        if other is not None:
            raise Conflict(f"{customer.name} already has an open visit. Open that visit instead.")
        _link(session, ctx, actor, visit, customer)
        return NOTHING_TYPED if typed is None else keep_typed_details(session, ctx, actor, customer, typed)


def _link(session: Session, ctx: ShopContext, actor: Actor, visit: Visit, customer: Customer) -> None:
    """Link the visit to the customer, bring the walk-in's details along, and apply the
    customer's remembered needs (caller's transaction)."""
    assert visit.id is not None and customer.id is not None
    visit.customer_id = customer.id
    session.add(visit)
    brought = bring_walk_in_along(session, ctx, visit, customer)
    standing = list(session.exec(select(StandingNeed).where(StandingNeed.customer_id == customer.id)))
    active = [
        kind
        for kind in session.exec(
            select(VisitNeed.kind).where(VisitNeed.visit_id == visit.id, col(VisitNeed.cleared_at).is_(None))
        )
    ]
    details = {s.kind: s.detail for s in standing}
    applied = standing_kinds_to_add(standing, active)
    for kind in applied:
        add_need(session, ctx, actor, visit, kind, details.get(kind, ""))
    audit.record(
        session,
        ctx,
        actor,
        "visit.customer_attached",
        "visit",
        visit.id,
        customer_id=customer.id,
        notes_moved=brought.notes,
        feedback_moved=brought.feedback,
        needs_remembered=brought.remembered_needs,
        preferences_moved=brought.preferences,
        standing_needs_applied=applied,
    )


def add_customer_to_visit(
    ctx: ShopContext,
    actor: Actor,
    visit_id: int,
    *,
    name: str,
    phone: str = "",
    email: str = "",
    opted_in: Iterable[str] = (),
    create_anyway: bool = False,
) -> int:
    """Put an anonymous walk-in on file and link them to this visit, in one transaction.

    Customers already on file with the same phone number (compared in international
    form) or email stop it with a PossibleDuplicate naming them, so the walk-in can be
    linked to their record instead (`attach_customer`); `create_anyway` goes ahead.
    """
    details = clean_contact(ctx.rules.shop, name, phone, email)
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        if on_file(session, visit):
            raise Conflict("This visit is already linked to a customer on file.")
        if not create_anyway:
            candidates = find_duplicates(session, details.phone_normalised, details.email)
            if candidates:
                raise PossibleDuplicate(candidates)
        customer = insert_customer(session, ctx, details)
        assert customer.id is not None
        audit.record(
            session,
            ctx,
            actor,
            "customer.created",
            "customer",
            customer.id,
            name=details.name,
            despite_duplicates=create_anyway,
        )
        for channel in dict.fromkeys(opted_in):
            write_consent(
                session,
                ctx,
                actor,
                customer.id,
                channel,
                granted=True,
                source=AT_THE_COUNTER,
            )
        _link(session, ctx, actor, visit, customer)
        return customer.id


def set_visit_preferences(ctx: ShopContext, actor: Actor, visit_id: int, preferences: str) -> None:
    """What a walk-in not yet on file prefers, kept until they are put on file or linked."""
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        set_walk_in_preferences(session, ctx, actor, visit, preferences)
