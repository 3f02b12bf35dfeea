"""Customers: records, search, notes, standing preferences and contact consent."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlmodel import Session, col, func, or_, select

from counter_tui.db.models import (
    Channel,
    ContactConsent,
    Customer,
    CustomerNote,
    FollowUp,
    FollowUpStatus,
    NeedKind,
    StandingNeed,
    Visit,
)
from counter_tui.errors import InvalidInput, NotFound
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext, load_staff_actor
from counter_tui.services.labels import need_label
from counter_tui.services.queries import followup_views, staff_names
from counter_tui.services.views import (
    ConsentView,
    CustomerDetail,
    CustomerMatch,
    NeedView,
    NoteView,
    Page,
    VisitSummary,
)
from counter_tui.text import LONG_MAX, NAME_MAX, SHORT_MAX, clean_text

PAGE_SIZE = 20
HISTORY_LIMIT = 20
NOTES_LIMIT = 20
CONSENT_CHANNELS = (Channel.PHONE, Channel.SMS, Channel.EMAIL)
_PHONE = re.compile(r"^[0-9+()\-.\s/]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_PUNCTUATION = frozenset(" +()-./")


def digits_of(phone: str) -> str:
    """Only the digits of a phone number, for matching however it was typed."""
    return "".join(ch for ch in phone if ch.isdigit())


def clean_contact(name: str, phone: str, email: str) -> tuple[str, str, str]:
    """Name, phone and email cleaned and checked, or an InvalidInput saying what to fix."""
    name = clean_text(name, NAME_MAX)
    phone = clean_text(phone, 40)
    email = clean_text(email, SHORT_MAX).lower()
    if not name:
        raise InvalidInput("Give the customer's name (a first name is enough).")
    if phone and not _PHONE.match(phone):
        raise InvalidInput(
            "A phone number has only digits, spaces and + - ( ) . — check it, or leave it empty."
        )
    if phone and len(digits_of(phone)) < 5:
        raise InvalidInput("That phone number looks too short. Check it, or leave it empty.")
    if email and not _EMAIL.match(email):
        raise InvalidInput("That email address looks wrong (it needs an @ and a domain).")
    return name, phone, email


def load_customer(session: Session, customer_id: int) -> Customer:
    """The customer row, or a NotFound the user can read."""
    customer = session.get(Customer, customer_id)
    if customer is None or customer.erased_at is not None:
        raise NotFound("That customer is no longer on file.")
    return customer


def create_customer(
    ctx: ShopContext,
    actor: Actor,
    *,
    name: str,
    phone: str = "",
    email: str = "",
    opted_in: Iterable[str] = (),
    consent_source: str = "agreed at the counter when their details were taken",
) -> int:
    """Put a customer on file and return their id, with the channels they opted in to
    recorded in the same transaction."""
    name, phone, email = clean_contact(name, phone, email)
    with ctx.database.write() as session:
        load_staff_actor(session, actor)
        customer = insert_customer(session, ctx, name, phone, email)
        assert customer.id is not None
        audit.record(session, ctx, actor, "customer.created", "customer", customer.id, name=name)
        for channel in dict.fromkeys(opted_in):
            write_consent(session, ctx, actor, customer.id, channel, granted=True, source=consent_source)
        return customer.id


def insert_customer(session: Session, ctx: ShopContext, name: str, phone: str, email: str) -> Customer:
    """Add a customer row inside the caller's transaction (already cleaned)."""
    customer = Customer(
        name=name,
        name_key=name.lower(),
        phone=phone,
        phone_digits=digits_of(phone),
        email=email,
        created_at=ctx.now(),
    )
    session.add(customer)
    session.flush()
    return customer


def update_contact(
    ctx: ShopContext, actor: Actor, customer_id: int, *, name: str, phone: str, email: str
) -> None:
    """Correct a customer's name, phone or email."""
    name, phone, email = clean_contact(name, phone, email)
    with ctx.database.write() as session:
        load_staff_actor(session, actor)
        customer = load_customer(session, customer_id)
        customer.name, customer.name_key = name, name.lower()
        customer.phone, customer.phone_digits, customer.email = phone, digits_of(phone), email
        session.add(customer)
        audit.record(session, ctx, actor, "customer.updated", "customer", customer_id)


def find_customers(ctx: ShopContext, query: str, *, page: int = 0, page_size: int = PAGE_SIZE) -> Page:
    """Customers whose name, phone or email matches what was typed, one page at a time.

    Names match from the start of any word ("smi" finds "Dana Smith"); phones by any
    run of digits; emails from the start.
    """
    text = clean_text(query, NAME_MAX).lower()
    page = max(page, 0)
    with ctx.database.read() as session:
        statement = select(Customer).where(col(Customer.erased_at).is_(None))
        if text:
            pattern = _like_escape(text)
            conditions = [
                col(Customer.name_key).like(f"{pattern}%", escape="\\"),
                col(Customer.name_key).like(f"% {pattern}%", escape="\\"),
                col(Customer.email).like(f"{pattern}%", escape="\\"),
            ]
            digits = digits_of(text)
            other = [ch for ch in text if not ch.isdigit() and ch not in _PHONE_PUNCTUATION]
            if len(digits) >= 3 and len(other) <= 2:
                conditions.append(col(Customer.phone_digits).like(f"%{digits}%"))
            statement = statement.where(or_(*conditions))
        statement = (
            statement.order_by(col(Customer.name_key), col(Customer.id))
            .offset(page * page_size)
            .limit(page_size + 1)
        )
        rows = list(session.exec(statement))
        ids = [row.id for row in rows[:page_size]]
        in_shop = set(
            session.exec(
                select(Visit.customer_id).where(
                    col(Visit.customer_id).in_(ids), col(Visit.ended_at).is_(None)
                )
            )
        )
        items = tuple(
            CustomerMatch(row.id or 0, row.name, row.phone, row.email, row.id in in_shop)
            for row in rows[:page_size]
        )
        return Page(items=items, page=page, page_size=page_size, has_more=len(rows) > page_size)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def add_note(
    ctx: ShopContext, actor: Actor, customer_id: int, body: str, *, visit_id: int | None = None
) -> None:
    """Add a dated note to a customer."""
    body = clean_text(body, LONG_MAX, multiline=True)
    if not body:
        raise InvalidInput("The note is empty. Type what colleagues should know.")
    with ctx.database.write() as session:
        load_staff_actor(session, actor)
        load_customer(session, customer_id)
        note = CustomerNote(
            customer_id=customer_id,
            visit_id=visit_id,
            author_id=actor.staff_id or 0,
            body=body,
            created_at=ctx.now(),
        )
        session.add(note)
        session.flush()
        audit.record(session, ctx, actor, "customer.note_added", "customer", customer_id)


def set_preferences(ctx: ShopContext, actor: Actor, customer_id: int, preferences: str) -> None:
    """Replace the free-text standing preferences remembered across visits."""
    preferences = clean_text(preferences, LONG_MAX, multiline=True)
    with ctx.database.write() as session:
        load_staff_actor(session, actor)
        customer = load_customer(session, customer_id)
        customer.preferences = preferences
        session.add(customer)
        audit.record(session, ctx, actor, "customer.preferences_set", "customer", customer_id)


def remember_need(session: Session, ctx: ShopContext, customer_id: int, kind: str, detail: str) -> None:
    """Keep a need on the customer so every later visit starts with it (caller's transaction)."""
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
    detail = clean_text(detail, SHORT_MAX)
    with ctx.database.write() as session:
        load_staff_actor(session, actor)
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
        load_staff_actor(session, actor)
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
    source = clean_text(source, SHORT_MAX)
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
    consent.granted, consent.source = granted, source
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


def consented_channels(session: Session, customer_id: int) -> set[str]:
    """Channels this customer has opted in to."""
    return set(
        session.exec(
            select(ContactConsent.channel).where(
                ContactConsent.customer_id == customer_id, col(ContactConsent.granted).is_(True)
            )
        )
    )


def customer_detail(ctx: ShopContext, actor: Actor, customer_id: int) -> CustomerDetail:
    """Everything the owner view shows about a customer."""
    with ctx.database.read() as session:
        load_staff_actor(session, actor)
        return build_customer_detail(session, ctx, customer_id)


def build_customer_detail(session: Session, ctx: ShopContext, customer_id: int) -> CustomerDetail:
    """The customer detail, read inside the caller's session."""
    customer = load_customer(session, customer_id)
    names = staff_names(session)
    standing = tuple(
        NeedView(s.id or 0, s.kind, need_label(s.kind), s.detail, None)
        for s in session.exec(select(StandingNeed).where(StandingNeed.customer_id == customer_id))
    )
    consents = tuple(
        ConsentView(c.channel, c.granted, c.source, c.recorded_at)
        for c in session.exec(
            select(ContactConsent)
            .where(ContactConsent.customer_id == customer_id)
            .order_by(col(ContactConsent.channel))
        )
    )
    notes = tuple(
        NoteView(names.get(n.author_id, "?"), n.body, n.created_at)
        for n in session.exec(
            select(CustomerNote)
            .where(CustomerNote.customer_id == customer_id)
            .order_by(col(CustomerNote.created_at).desc(), col(CustomerNote.id).desc())
            .limit(NOTES_LIMIT)
        )
    )
    visits = list(
        session.exec(
            select(Visit)
            .where(Visit.customer_id == customer_id)
            .order_by(col(Visit.arrived_at).desc())
            .limit(HISTORY_LIMIT)
        )
    )
    history = tuple(
        VisitSummary(v.id or 0, v.arrived_at, v.ended_at, names.get(v.owner_id or -1), v.outcome)
        for v in visits
    )
    open_visit = next((v.id for v in visits if v.ended_at is None), None)
    followups = followup_views(
        session,
        ctx,
        select(FollowUp)
        .where(FollowUp.customer_id == customer_id, FollowUp.status == FollowUpStatus.OPEN)
        .order_by(col(FollowUp.due_at)),
    )
    return CustomerDetail(
        id=customer_id,
        name=customer.name,
        phone=customer.phone,
        email=customer.email,
        preferences=customer.preferences,
        standing_needs=standing,
        consents=consents,
        notes=notes,
        history=history,
        open_followups=followups,
        open_visit_id=open_visit,
    )


def customer_count(ctx: ShopContext) -> int:
    """How many customers are on file."""
    with ctx.database.read() as session:
        return int(session.exec(select(func.count()).select_from(Customer)).one())


def set_consents(
    ctx: ShopContext, actor: Actor, customer_id: int, granted: dict[str, bool], *, source: str
) -> None:
    """Record the customer's yes or no for several channels at once, with how they said it.
    Only channels whose answer changed (or that had none) are written."""
    with ctx.database.write() as session:
        load_staff_actor(session, actor)
        load_customer(session, customer_id)
        current = {
            c.channel: c.granted
            for c in session.exec(select(ContactConsent).where(ContactConsent.customer_id == customer_id))
        }
        for channel, answer in granted.items():
            if current.get(channel) is not answer and (answer or channel in current):
                write_consent(session, ctx, actor, customer_id, channel, granted=answer, source=source)
