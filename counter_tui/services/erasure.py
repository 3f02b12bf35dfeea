"""Erasing a customer's personal data on request (a shift lead's job).

The customer row stays, renamed "erased customer #id", so visits, follow-ups, feedback
ratings and the audit log keep their shape and the scorecard its figures; everything that
says who the customer is or what they said goes, in one transaction with its audit event:
name, phone, email, preferences and the fields search matches on; the search-term rows;
consents and standing needs; the bodies of notes and feedback; the text of follow-ups
(open ones are cancelled); the visit descriptions and need details (a kiosk check-in keeps
the first name typed there); every unsent email to them is withdrawn and every outbox row
about them, sent ones too, loses the address, subject and body (`outbox_withdrawal`). The
event holds counts and the lead's reason, with the customer's own name, phone and email
blanked out of the reason.

What is kept so that an old till export does not put them on file again: their till ids
(`tillcustomer`, without the hash of the row last imported, which was made of their
details), and a keyed fingerprint of each phone and email with the first word of their
name (`erased_contacts`, which says why this is the least that does it).

Earlier audit events that hold their personal data are redacted in the same transaction
(see `audit_redaction`); the events stay, and `audit.redacted` events record which were
rewritten so the audit chain still verifies. On SQLite, `secure_delete` (set on every
connection) overwrites what was deleted or replaced, and the write-ahead log is
checkpointed and truncated afterwards, so the erased text is no longer anywhere in the
database files.

Afterwards `find_customers` does not list them and `customer_detail` says they are no
longer on file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, or_, select

from counter_tui.db.models import (
    AuditEvent,
    ContactConsent,
    Customer,
    CustomerNote,
    CustomerSearchTerm,
    Feedback,
    FollowUp,
    FollowUpDue,
    FollowUpStatus,
    StandingNeed,
    TillCustomer,
    Visit,
    VisitNeed,
)
from counter_tui.errors import InvalidInput
from counter_tui.limits import limited
from counter_tui.services import audit, audit_redaction, erased_contacts, outbox_withdrawal
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import load_customer, merged_records
from counter_tui.services.merge import erase_merged_records
from counter_tui.services.permissions import Action, require

ERASED_TEXT = "(erased)"
CANCEL_REASON = "customer data erased"
REDACTED = "[erased]"


def erased_name(customer_id: int) -> str:
    """What an erased customer is called from then on."""
    return f"erased customer #{customer_id}"


@dataclass(frozen=True)
class ErasureResult:
    """What the erasure removed or blanked, by kind (no personal data)."""

    customer_id: int
    notes_blanked: int
    feedback_blanked: int
    followups_cancelled: int
    followups_blanked: int
    consents_deleted: int
    standing_needs_deleted: int
    visits_blanked: int
    search_terms_deleted: int
    audit_events_redacted: int
    emails_withdrawn: int = 0
    emails_scrubbed: int = 0
    fingerprints_kept: int = 0


def erase_customer(ctx: ShopContext, actor: Actor, customer_id: int, reason: str) -> ErasureResult:
    """Erase a customer's personal data on their request, keeping the history anonymous.

    Only a shift lead may, and only with a reason (e.g. "asked by email on 3 November").
    """
    reason = limited(reason, "reason")
    if not reason:
        raise InvalidInput("Say why the data is erased (e.g. 'customer asked by email on 3 November').")
    with ctx.database.read() as session:
        require(session, actor, Action.ERASE_CUSTOMER)
        load_customer(session, customer_id)
        known = audit_redaction.personal_data(session, _records(session, customer_id))
    mentioning = audit_redaction.events_mentioning(ctx, known.terms)
    with ctx.database.write() as session:
        require(session, actor, Action.ERASE_CUSTOMER)
        customer = load_customer(session, customer_id)
        personal = audit_redaction.personal_data(session, _records(session, customer_id))
        recorded_reason = _redact(reason, customer)
        visit_ids = list(session.exec(select(Visit.id).where(Visit.customer_id == customer_id)))
        now = ctx.now()

        notes = list(
            session.exec(
                select(CustomerNote).where(
                    or_(CustomerNote.customer_id == customer_id, col(CustomerNote.visit_id).in_(visit_ids))
                )
            )
        )
        for note in notes:
            note.body = ERASED_TEXT
            session.add(note)
        said = list(
            session.exec(
                select(Feedback).where(
                    or_(Feedback.customer_id == customer_id, col(Feedback.visit_id).in_(visit_ids))
                )
            )
        )
        for item in said:
            item.body = ERASED_TEXT
            session.add(item)

        cancelled = 0
        owed = list(session.exec(select(FollowUp).where(FollowUp.customer_id == customer_id)))
        for followup in owed:
            if followup.status == FollowUpStatus.OPEN:
                followup.status, followup.cancel_reason = FollowUpStatus.CANCELLED, CANCEL_REASON
                followup.done_at, followup.done_by = now, actor.staff_id
                cancelled += 1
            followup.summary = ERASED_TEXT
            followup.personal_line = ""
            followup.outcome_note = ""
            session.add(followup)
            for move in session.exec(select(FollowUpDue).where(FollowUpDue.followup_id == followup.id)):
                move.reason = ERASED_TEXT
                session.add(move)

        emails_withdrawn, emails_scrubbed = outbox_withdrawal.erase_outbox(
            session, ctx, actor, _records(session, customer_id), lambda text: _redact(text, customer)
        )

        visits = list(session.exec(select(Visit).where(Visit.customer_id == customer_id)))
        for visit in visits:
            visit.description = ""
            session.add(visit)
        for need in session.exec(select(VisitNeed).where(col(VisitNeed.visit_id).in_(visit_ids))):
            need.detail = ""
            session.add(need)

        connection = session.connection()
        consents = connection.execute(
            delete(ContactConsent).where(col(ContactConsent.customer_id) == customer_id)
        ).rowcount
        standing = connection.execute(
            delete(StandingNeed).where(col(StandingNeed.customer_id) == customer_id)
        ).rowcount
        terms = (
            session.connection()
            .execute(delete(CustomerSearchTerm).where(col(CustomerSearchTerm.customer_id) == customer_id))
            .rowcount
        )

        records = list(
            session.exec(select(Customer).where(col(Customer.id).in_(_records(session, customer_id))))
        )
        fingerprints = erased_contacts.remember(session, records)
        session.connection().execute(
            update(TillCustomer)
            .where(col(TillCustomer.customer_id).in_([record.id for record in records]))
            .values(row_hash="")
        )
        erase_merged_records(session, ctx, customer_id, erased_name)
        customer.name = erased_name(customer_id)
        customer.name_key = ""
        customer.phone = customer.phone_digits = customer.phone_normalised = ""
        customer.email = customer.preferences = ""
        customer.erased_at = now
        session.add(customer)

        result = ErasureResult(
            customer_id=customer_id,
            notes_blanked=len(notes),
            feedback_blanked=len(said),
            followups_cancelled=cancelled,
            followups_blanked=len(owed),
            consents_deleted=consents,
            standing_needs_deleted=standing,
            visits_blanked=len(visits),
            search_terms_deleted=terms,
            audit_events_redacted=0,
            emails_withdrawn=emails_withdrawn,
            emails_scrubbed=emails_scrubbed,
            fingerprints_kept=fingerprints,
        )
        audit.record(
            session,
            ctx,
            actor,
            "customer.erased",
            "customer",
            customer_id,
            reason=recorded_reason,
            notes_blanked=result.notes_blanked,
            feedback_blanked=result.feedback_blanked,
            followups_cancelled=result.followups_cancelled,
            consents_deleted=result.consents_deleted,
            standing_needs_deleted=result.standing_needs_deleted,
            emails_withdrawn=emails_withdrawn,
            emails_scrubbed=emails_scrubbed,
            fingerprints_kept=fingerprints,
        )
        rewrites = audit_redaction.redactions(session, personal, mentioning)
        audit.redact(session, ctx, actor, customer_id, rewrites)
    ctx.database.checkpoint()
    return replace(result, audit_events_redacted=len(rewrites))


def _records(session: Session, customer_id: int) -> list[int]:
    """The customer's id and the ids of the records merged into theirs."""
    return [customer_id, *(row.id for row in merged_records(session, customer_id) if row.id is not None)]


def _redact(reason: str, customer: Customer) -> str:
    """The reason with the customer's name words, phone and email taken out."""
    words = [word for word in customer.name.split() if len(word) > 1]
    pieces = [*words, customer.email, customer.phone, customer.phone_digits]
    for piece in sorted((p for p in pieces if p), key=len, reverse=True):
        reason = re.sub(re.escape(piece), REDACTED, reason, flags=re.IGNORECASE)
    return reason


VISIT_TEXT_BATCH = 500
"""Visits blanked in one write transaction (short, so terminals do not wait on it)."""


def blank_visit_text(ctx: ShopContext, actor: Actor, arrived_before: datetime, *, reason: str) -> int:
    """Blank what was typed about ended visits that arrived before `arrived_before`: the
    description, the visit's preferences, its needs' details and the notes written on it
    (a retention rule; a shift lead only), and the need details earlier audit events
    hold. Batches of short transactions, each with its audit event (the count and
    `reason`); returns how many visits had text blanked."""
    reason = limited(reason, "reason")
    blanked = 0
    after_id = 0
    while True:
        with ctx.database.write() as session:
            require(session, actor, Action.APPLY_RETENTION)
            batch = list(
                session.exec(
                    select(Visit)
                    .where(
                        col(Visit.id) > after_id,
                        col(Visit.arrived_at) < arrived_before,
                        col(Visit.ended_at).is_not(None),
                    )
                    .order_by(col(Visit.id))
                    .limit(VISIT_TEXT_BATCH)
                )
            )
            if not batch:
                break
            after_id = batch[-1].id or after_id
            changed = _blank_visits(session, batch)
            audit.redact(session, ctx, actor, None, _need_details_redacted(session, batch), entity="visit")
            if changed:
                audit.record(
                    session, ctx, actor, "visits.text_blanked", "visit", None, visits=changed, reason=reason
                )
            blanked += changed
    ctx.database.checkpoint()
    return blanked


def _need_details_redacted(session: Session, batch: list[Visit]) -> dict[int, str]:
    """New details for the batch's earlier audit events that hold a need's detail (the
    only visit text audit events keep), with the detail taken out."""
    rewrites: dict[int, str] = {}
    about = select(AuditEvent).where(
        col(AuditEvent.entity) == "visit",
        col(AuditEvent.entity_id).in_([visit.id for visit in batch]),
        col(AuditEvent.action).not_like("audit.%"),
        col(AuditEvent.details).contains('"detail"'),
    )
    for event in session.exec(about):
        details = json.loads(event.details)
        if isinstance(details, dict) and details.get("detail") not in (None, "", REDACTED) and event.id:
            rewrites[event.id] = json.dumps(details | {"detail": REDACTED}, ensure_ascii=False)
    return rewrites


def _blank_visits(session: Session, batch: list[Visit]) -> int:
    """Blank the batch's text in the session; how many visits held any."""
    ids = [visit.id for visit in batch]
    touched: set[int | None] = set()
    for visit in batch:
        if visit.description or visit.preferences:
            visit.description = visit.preferences = ""
            session.add(visit)
            touched.add(visit.id)
    for need in session.exec(
        select(VisitNeed).where(col(VisitNeed.visit_id).in_(ids), VisitNeed.detail != "")
    ):
        need.detail = ""
        session.add(need)
        touched.add(need.visit_id)
    notes = select(CustomerNote).where(col(CustomerNote.visit_id).in_(ids), CustomerNote.body != ERASED_TEXT)
    for note in session.exec(notes):
        note.body = ERASED_TEXT
        session.add(note)
        touched.add(note.visit_id)
    return len(touched)
