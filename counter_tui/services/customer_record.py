"""A customer's record as the owner view shows it: contact details, consents, standing
needs, notes, visits and what is owed to them, read in one session (`customers.py`
writes it)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from counter_tui.db.models import (
    ContactConsent,
    Customer,
    CustomerNote,
    FollowUp,
    FollowUpStatus,
    StandingNeed,
    Visit,
)
from counter_tui.sentences import listed
from counter_tui.services.cadence import contact_words, email_not_yet_sent, last_contact
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import ONE_OFF_NEEDS, load_customer
from counter_tui.services.duplicates import kept_record
from counter_tui.services.labels import CHANNEL_LABELS, need_label
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import followup_views, staff_names
from counter_tui.services.views import ConsentView, CustomerDetail, NeedView, NoteView, VisitSummary
from counter_tui.services.when import day_words

HISTORY_LIMIT = 20
NOTES_LIMIT = 20


def customer_detail(ctx: ShopContext, actor: Actor, customer_id: int) -> CustomerDetail:
    """Everything the owner view shows about a customer."""
    with ctx.database.read() as session:
        require(session, actor, Action.VIEW)
        return build_customer_detail(session, ctx, customer_id)


def current_record(ctx: ShopContext, actor: Actor, customer_id: int) -> CustomerDetail:
    """`customer_detail` of the record the customer is on file in now: the one kept when
    they were merged into another (through merges of merges), so a screen showing the
    duplicate moves to it instead of going stale."""
    with ctx.database.read() as session:
        require(session, actor, Action.VIEW)
        customer = session.get(Customer, customer_id)
        kept = kept_record(session, customer) if customer is not None else None
        return build_customer_detail(session, ctx, (kept.id if kept is not None else None) or customer_id)


NOTHING_AGREED = "nothing agreed yet (in person only)"


def may_contact_words(ctx: ShopContext, consents: tuple[ConsentView, ...]) -> str:
    """The channels agreed, then what was withdrawn or declined and when (`consents` in
    their order): "phone; email and text message withdrawn Mon 30 Nov"; with nothing
    agreed, "…; in person only", or NOTHING_AGREED when the customer was never asked. A
    no given when first asked reads "declined": the customer was asked, and said no."""
    granted = [CHANNEL_LABELS[c.channel] for c in consents if c.granted]
    refused: dict[tuple[str, str], list[str]] = {}
    for consent in consents:
        if not consent.granted:
            how = "withdrawn" if consent.withdrawn_at is not None else "declined"
            day = day_words(ctx.calendar, consent.withdrawn_at or consent.recorded_at, ctx.now())
            refused.setdefault((how, day), []).append(CHANNEL_LABELS[consent.channel])
    said_no = ", ".join(f"{listed(channels)} {how} {day}" for (how, day), channels in refused.items())
    if not granted:
        return f"{said_no}; in person only" if said_no else NOTHING_AGREED
    return "; ".join(part for part in (", ".join(granted), said_no) if part)


def build_customer_detail(session: Session, ctx: ShopContext, customer_id: int) -> CustomerDetail:
    """The customer detail, read inside the caller's session."""
    customer = load_customer(session, customer_id)
    names = staff_names(session)
    standing = tuple(
        NeedView(s.id or 0, s.kind, need_label(s.kind), s.detail, None)
        for s in session.exec(select(StandingNeed).where(StandingNeed.customer_id == customer_id))
        if s.kind not in ONE_OFF_NEEDS  # remembered before they could not be; never applied
    )
    consents = tuple(
        ConsentView(c.channel, c.granted, c.source, c.recorded_at, c.withdrawn_at)
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
        may_contact=may_contact_words(ctx, consents),
        last_contacted=contact_words(
            ctx, last_contact(session, customer_id), email_not_yet_sent(session, customer_id)
        ),
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
