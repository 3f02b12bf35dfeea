"""Customers: records, notes, standing preferences and contact consent.

Reading a record as the owner view shows it is `services/customer_record.py`; finding
them is `services/customer_search.py`; `find_customers` and the search index's
writers are named here as well, where screens, the CLI and other services call them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, func, select

from counter_tui.db.engine import writing
from counter_tui.db.models import (
    Channel,
    ContactConsent,
    Customer,
    CustomerNote,
    NeedKind,
    StandingNeed,
)
from counter_tui.errors import InvalidInput, NotFound
from counter_tui.limits import limited, lowered
from counter_tui.services import audit
from counter_tui.services.changed_meanwhile import require_unchanged
from counter_tui.services.contact import ContactDetails, clean_contact, digits_of
from counter_tui.services.contact_merge import merged_contact
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customer_search import find_customers as find_customers
from counter_tui.services.customer_search import merged_records as merged_records
from counter_tui.services.customer_search import write_search_terms
from counter_tui.services.duplicates import PossibleDuplicate, find_duplicates
from counter_tui.services.labels import need_label
from counter_tui.services.permissions import Action, require

AT_THE_COUNTER = "agreed at the counter when their details were taken"
"""How a customer agreed to a channel ticked on the form putting them on file."""
ERASED_MEANWHILE = "This customer's details were erased at their request, so nothing was saved."
"""A write refused because its customer was erased after the form was opened."""
CONSENT_CHANNELS = (Channel.PHONE, Channel.SMS, Channel.EMAIL)


def load_customer(session: Session, customer_id: int) -> Customer:
    """The customer row, or a NotFound the user can read (erased, or merged into another).

    In a write transaction the row is read as it is now, locked until the write commits
    (PostgreSQL; SQLite lets one writer in at a time anyway), and checked after the lock:
    a merge or erasure in progress at another terminal is waited for, then refuses this
    write, which would have landed on a hidden or erased record (a note written as a lead
    merged the duplicate did). Two writes to one customer take turns. A write to a
    customer erased meanwhile (a promise typed as a lead erased them at another terminal)
    says so, for the dialog to show beside what was typed."""
    lock = {"key_share": True} if writing(session) else None  # FOR NO KEY UPDATE
    customer = session.get(Customer, customer_id, with_for_update=lock, populate_existing=lock is not None)
    if customer is not None and customer.erased_at is not None and lock is not None:
        raise NotFound(ERASED_MEANWHILE)
    if customer is None or customer.erased_at is not None:
        raise NotFound("That customer is no longer on file.")
    if customer.merged_into_id is not None:
        kept = session.get(Customer, customer.merged_into_id)
        kept_name = f"{kept.name}'s record" if kept is not None and kept.erased_at is None else "another"
        raise NotFound(f"{customer.name} was merged into {kept_name}. Find them again by name.")
    return customer


def create_customer(
    ctx: ShopContext,
    actor: Actor,
    *,
    name: str,
    phone: str = "",
    email: str = "",
    opted_in: Iterable[str] = (),
    consent_source: str = AT_THE_COUNTER,
    create_anyway: bool = False,
) -> int:
    """Put a customer on file and return their id, with the channels they opted in to
    recorded in the same transaction.

    Customers already on file with the same phone number (compared in international
    form) or email stop it with a PossibleDuplicate naming them, as putting a walk-in on
    file does (`visit_customer.add_customer_to_visit`), so the counter opens the record that is
    there instead of making a second one; `create_anyway` goes ahead.
    """
    details = clean_contact(ctx.rules.shop, name, phone, email)
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        if not create_anyway:
            candidates = find_duplicates(session, details.phone_normalised, details.email)
            if candidates:
                raise PossibleDuplicate(candidates, on_visit=False)
        customer = insert_customer(session, ctx, details)
        assert customer.id is not None
        # Created despite a customer with the same phone or email: said in the event.
        despite = {"despite_duplicates": True} if create_anyway else {}
        audit.record(
            session, ctx, actor, "customer.created", "customer", customer.id, name=details.name, **despite
        )
        for channel in dict.fromkeys(opted_in):
            write_consent(session, ctx, actor, customer.id, channel, granted=True, source=consent_source)
        return customer.id


def customer_row(details: ContactDetails, created_at: datetime) -> Customer:
    """A new customer row from cleaned details (not yet added to a session)."""
    return Customer(
        name=details.name,
        name_key=lowered(details.name, "name"),
        phone=details.phone,
        phone_digits=digits_of(details.phone),
        phone_normalised=details.phone_normalised,
        email=details.email,
        created_at=created_at,
    )


def insert_customer(session: Session, ctx: ShopContext, details: ContactDetails) -> Customer:
    """Add a customer row inside the caller's transaction (already cleaned)."""
    customer = customer_row(details, ctx.now())
    session.add(customer)
    session.flush()
    assert customer.id is not None
    write_search_terms(session, customer.id, customer.name_key, customer.phone_digits, customer.email)
    return customer


def update_contact(
    ctx: ShopContext,
    actor: Actor,
    customer_id: int,
    *,
    name: str,
    phone: str,
    email: str,
    save_anyway: bool = False,
    opened: tuple[str, str, str] | None = None,
) -> None:
    """Correct a customer's name, phone or email.

    A phone or email changed to one another customer on file has stops it with a
    PossibleDuplicate naming them (a typo would send this customer's callbacks to that
    one; or they are one person, to merge); `save_anyway` goes ahead, said in the event.
    `opened` is the name, phone and email the form started from: the correction is merged
    field by field with a colleague's made meanwhile (`contact_merge`).
    """
    details = clean_contact(ctx.rules.shop, name, phone, email)
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        customer = load_customer(session, customer_id)  # the latest save, locked (PostgreSQL)
        was = (customer.name, customer.phone, customer.email)
        details = merged_contact(session, ctx, customer, opened, (name, phone, email), details)
        if not save_anyway:
            new_phone = (
                details.phone_normalised if details.phone_normalised != customer.phone_normalised else ""
            )
            new_email = details.email if details.email != customer.email else ""
            candidates = find_duplicates(session, new_phone, new_email, exclude=customer_id)
            if candidates:
                raise PossibleDuplicate(candidates, on_visit=False, correcting=True)
        customer.name, customer.name_key = details.name, lowered(details.name, "name")
        customer.phone, customer.phone_digits = details.phone, digits_of(details.phone)
        customer.phone_normalised, customer.email = details.phone_normalised, details.email
        session.add(customer)
        write_search_terms(session, customer_id, customer.name_key, customer.phone_digits, details.email)
        changed = [
            field
            for field, before, after in zip(
                ("name", "phone", "email"), was, (details.name, details.phone, details.email), strict=True
            )
            if before != after
        ]
        despite = {"despite_duplicates": True} if save_anyway else {}
        audit.record(
            session, ctx, actor, "customer.updated", "customer", customer_id, changed=changed, **despite
        )


def add_note(ctx: ShopContext, actor: Actor, customer_id: int, body: str) -> None:
    """Add a dated note to a customer's record (a note on a visit is
    `visits.add_visit_note`, which asks whether the person may work on that visit)."""
    body = limited(body, "note", param="body")
    if not body:
        raise InvalidInput("The note is empty. Type what colleagues should know.", field="body")
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        load_customer(session, customer_id)
        note = CustomerNote(
            customer_id=customer_id,
            author_id=actor.staff_id or 0,
            body=body,
            created_at=ctx.now(),
        )
        session.add(note)
        session.flush()
        audit.record(session, ctx, actor, "customer.note_added", "customer", customer_id)


def set_preferences(
    ctx: ShopContext, actor: Actor, customer_id: int, preferences: str, *, opened: str | None = None
) -> None:
    """Replace the free-text standing preferences remembered across visits; `opened` is
    what the dialog showed (`changed_meanwhile`)."""
    preferences = limited(preferences, "preferences")
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        customer = load_customer(session, customer_id)
        require_unchanged(
            session,
            ctx,
            customer_id,
            opened,
            customer.preferences,
            what="their preferences",
            actions=("customer.preferences_set", "customer.merged"),
        )
        customer.preferences = preferences
        session.add(customer)
        audit.record(session, ctx, actor, "customer.preferences_set", "customer", customer_id)


ONE_OFF_NEEDS = frozenset({NeedKind.CALLBACK_WANTED, NeedKind.PICKUP, NeedKind.ORDER_QUESTION})
"""Needs about this visit only (a call back they asked for, something to pick up, a
question about an order): never remembered for their next visits. The others (browsing
privately or wanting help, a language, access) are about the person and may be."""


def require_rememberable(kind: str, *, field: str = "remember") -> None:
    """Refuse to remember a need that is about this visit only (`ONE_OFF_NEEDS`)."""
    if kind in ONE_OFF_NEEDS:
        raise InvalidInput(
            f"'{need_label(kind).capitalize()}' is for this visit only, so it cannot be "
            "remembered for their next visits.",
            field=field,
        )


def remember_need(session: Session, ctx: ShopContext, customer_id: int, kind: str, detail: str) -> None:
    """Keep a need on the customer so every later visit starts with it (caller's
    transaction); a need about this visit only is never kept (`ONE_OFF_NEEDS`)."""
    if kind in ONE_OFF_NEEDS:
        return
    standing = session.exec(
        select(StandingNeed).where(StandingNeed.customer_id == customer_id, StandingNeed.kind == kind)
    ).first() or StandingNeed(customer_id=customer_id, kind=kind, updated_at=ctx.now())
    standing.detail, standing.updated_at = detail, ctx.now()
    session.add(standing)


def set_standing_need(
    ctx: ShopContext, actor: Actor, customer_id: int, kind: str, *, remember: bool, detail: str = ""
) -> None:
    """Remember (or forget) a need to apply on every visit of this customer."""
    if kind not in set(NeedKind):
        raise InvalidInput(f"Unknown need {kind!r}.")
    if remember:
        require_rememberable(kind)
    detail = limited(detail, "detail")
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        load_customer(session, customer_id)
        if remember:
            remember_need(session, ctx, customer_id, kind, detail)
        else:
            for existing in session.exec(
                select(StandingNeed).where(StandingNeed.customer_id == customer_id, StandingNeed.kind == kind)
            ):
                session.delete(existing)
        audit.record(
            session,
            ctx,
            actor,
            "customer.standing_need_set",
            "customer",
            customer_id,
            kind=kind,
            remember=remember,
        )


def record_consent(
    ctx: ShopContext, actor: Actor, customer_id: int, channel: str, *, granted: bool, source: str
) -> None:
    """Record that a customer opted in to (or out of) one contact channel, and how."""
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        load_customer(session, customer_id)
        write_consent(session, ctx, actor, customer_id, channel, granted=granted, source=source)


def write_consent(
    session: Session,
    ctx: ShopContext,
    actor: Actor,
    customer_id: int,
    channel: str,
    *,
    granted: bool,
    source: str,
) -> None:
    """Record consent inside the caller's transaction (used by follow-ups too)."""
    if channel not in CONSENT_CHANNELS:
        raise InvalidInput("Consent is recorded for phone, text message or email.")
    source = limited(source, "consent_source", param="source")
    if not source:
        raise InvalidInput("Say how the customer agreed (e.g. 'asked at the counter').")
    consent = session.exec(
        select(ContactConsent).where(
            ContactConsent.customer_id == customer_id, ContactConsent.channel == channel
        )
    ).first() or ContactConsent(
        customer_id=customer_id,
        channel=channel,
        granted=granted,
        source=source,
        recorded_at=ctx.now(),
    )
    consent.withdrawn_at = withdrawn_at(consent, granted, ctx.now())
    consent.granted, consent.source, consent.by_import = granted, source, False
    consent.recorded_at, consent.recorded_by = ctx.now(), actor.staff_id
    session.add(consent)
    audit.record(
        session,
        ctx,
        actor,
        "customer.consent_recorded",
        "customer",
        customer_id,
        channel=channel,
        granted=granted,
        source=source,
    )


def withdrawn_at(consent: ContactConsent, granted: bool, now: datetime) -> datetime | None:
    """`consent`'s withdrawal once `granted` is its answer from `now`: a no after a yes
    withdraws it now, a no after a no keeps what it was, and a yes ends any withdrawal."""
    if granted:
        return None
    return now if consent.granted else consent.withdrawn_at


def consented_channels(session: Session, customer_id: int) -> set[str]:
    """Channels this customer has opted in to."""
    return set(
        session.exec(
            select(ContactConsent.channel).where(
                ContactConsent.customer_id == customer_id, col(ContactConsent.granted).is_(True)
            )
        )
    )


def customer_count(ctx: ShopContext) -> int:
    """How many customers are on file."""
    with ctx.database.read() as session:
        return int(session.exec(select(func.count()).select_from(Customer)).one())


def set_consents(
    ctx: ShopContext,
    actor: Actor,
    customer_id: int,
    granted: dict[str, bool],
    *,
    source: str,
    opened: set[str] | None = None,
) -> None:
    """Record the customer's yes or no for several channels at once, with how they said it.
    Only channels whose answer changed (or that had none) are written. `opened` is the
    channels the dialog showed as agreed (`changed_meanwhile`)."""
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        load_customer(session, customer_id)  # locked: one consent dialog saves at a time
        current = {
            c.channel: c.granted
            for c in session.exec(select(ContactConsent).where(ContactConsent.customer_id == customer_id))
        }
        agreed = {channel for channel, yes in current.items() if yes}
        require_unchanged(
            session,
            ctx,
            customer_id,
            opened,
            agreed,
            what="what they agreed to",
            actions=("customer.consent_recorded", "customer.merged"),
        )
        for channel, answer in granted.items():
            if current.get(channel) is not answer and (answer or channel in current):
                write_consent(session, ctx, actor, customer_id, channel, granted=answer, source=source)
