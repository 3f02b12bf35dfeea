"""What a walk-in leaves on their visit before anyone knows who they are (notes,
feedback, needs to remember, preferences) follows them onto their record, when they are
put on file or linked to a customer on file; and so do the details typed to put them on
file, when those showed they were on file already (`keep_typed_details`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from counter_tui.db.models import Customer, CustomerNote, Feedback, Visit, VisitNeed
from counter_tui.errors import Conflict
from counter_tui.limits import fitted, limited
from counter_tui.services import audit
from counter_tui.services.contact import clean_contact, digits_of
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customer_search import write_search_terms
from counter_tui.services.customers import (
    AT_THE_COUNTER,
    ONE_OFF_NEEDS,
    consented_channels,
    load_customer,
    remember_need,
    write_consent,
)
from counter_tui.services.duplicates import find_duplicates
from counter_tui.services.permissions import Action, require


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
    to_remember = [
        need
        for need in session.exec(
            select(VisitNeed).where(
                VisitNeed.visit_id == visit.id,
                col(VisitNeed.remember).is_(True),
                col(VisitNeed.cleared_at).is_(None),
            )
        )
        if need.kind not in ONE_OFF_NEEDS  # marked before that was refused
    ]
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


@dataclass(frozen=True)
class TypedContact:
    """The details typed on the form putting someone on file, and the channels they
    agreed to there."""

    name: str
    phone: str = ""
    email: str = ""
    opted_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class NotStored:
    """A detail typed that the customer's record did not take."""

    field: str
    """"name", "phone" or "email"."""
    typed: str
    theirs: str
    """What their record has instead; "" when another customer on file has it."""


@dataclass(frozen=True)
class TypedKept:
    """What a customer's record took of the details typed for them, and what it did not."""

    added: tuple[str, ...]
    """The fields their record lacked and now has: "phone", "email"."""
    agreed: tuple[str, ...]
    """The channels whose yes was recorded (those they had not agreed to before)."""
    not_stored: tuple[NotStored, ...]


NOTHING_TYPED = TypedKept((), (), ())


def _same_name(typed: str, theirs: str) -> bool:
    """Whether the name typed says nothing the record's does not: the same words, in any
    case, or some of them ("priya" for Priya Shah)."""
    return set(typed.casefold().split()) <= set(theirs.casefold().split())


def _phone_key(phone: str, normalised: str) -> str:
    return normalised or digits_of(phone)


def keep_typed_details(
    session: Session, ctx: ShopContext, actor: Actor, customer: Customer, typed: TypedContact
) -> TypedKept:
    """Give the customer on file what their record lacks of the details typed for them
    (caller's transaction, audited): a phone or email where it has none, unless another
    customer on file has it; and a yes to each channel ticked. Nothing on the record is
    replaced: a name, phone or email that differs from its own is returned as not stored,
    for the counter to say (and to correct on the record, if it is right). The caller
    has read `customer` under a row lock (`customers.load_customer` in a write)."""
    assert customer.id is not None
    details = clean_contact(ctx.rules.shop, typed.name, typed.phone, typed.email)
    added: list[str] = []
    not_stored: list[NotStored] = []
    if not _same_name(details.name, customer.name):
        not_stored.append(NotStored("name", details.name, customer.name))
    typed_phone = _phone_key(details.phone, details.phone_normalised)
    if typed_phone and typed_phone != _phone_key(customer.phone, customer.phone_normalised):
        if customer.phone:
            not_stored.append(NotStored("phone", details.phone, customer.phone))
        elif find_duplicates(session, details.phone_normalised, "", exclude=customer.id):
            not_stored.append(NotStored("phone", details.phone, ""))
        else:
            customer.phone, customer.phone_digits = details.phone, digits_of(details.phone)
            customer.phone_normalised = details.phone_normalised
            added.append("phone")
    if details.email and details.email != customer.email:
        if customer.email:
            not_stored.append(NotStored("email", details.email, customer.email))
        elif find_duplicates(session, "", details.email, exclude=customer.id):
            not_stored.append(NotStored("email", details.email, ""))
        else:
            customer.email = details.email
            added.append("email")
    if added:
        session.add(customer)
        write_search_terms(session, customer.id, customer.name_key, customer.phone_digits, customer.email)
        audit.record(
            session,
            ctx,
            actor,
            "customer.updated",
            "customer",
            customer.id,
            changed=added,
            typed_on_file=True,
        )
    before = consented_channels(session, customer.id)
    agreed = [channel for channel in dict.fromkeys(typed.opted_in) if channel not in before]
    for channel in agreed:
        write_consent(session, ctx, actor, customer.id, channel, granted=True, source=AT_THE_COUNTER)
    return TypedKept(tuple(added), tuple(agreed), tuple(not_stored))


def add_typed_details(ctx: ShopContext, actor: Actor, customer_id: int, typed: TypedContact) -> TypedKept:
    """The counter typed a new customer's details, which turned out to be this customer's:
    their record takes what it lacks of them (`keep_typed_details`)."""
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        customer = load_customer(session, customer_id)  # the latest save, locked (PostgreSQL)
        return keep_typed_details(session, ctx, actor, customer, typed)
