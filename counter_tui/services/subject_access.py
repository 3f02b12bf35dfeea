"""Everything the shop holds about one customer, as one JSON document: the twin of
erasure (a customer may ask to see it, as they may ask to have it erased).

It gathers what `erasure` would blank or delete, and more: the customer's record and
the records merged into it, consents (with where and when), the till customers an import
linked them to, standing needs and preferences, visits with their needs, notes,
follow-ups, feedback, and the audit events about them (their record, visits, follow-ups,
hand-offs and feedback, found as the erasure finds them). An id no customer ever had,
and a customer erased, are refused each with its own sentence. A shift lead's job; the
file is private (0600), goes in the shop's exports folder unless told otherwise, and
writing it is audited with the counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, or_, select

from counter_tui.db.models import (
    AuditEvent,
    ContactConsent,
    Customer,
    CustomerNote,
    Feedback,
    FeedbackTag,
    FollowUp,
    Staff,
    StandingNeed,
    TillCustomer,
    Visit,
    VisitNeed,
)
from counter_tui.errors import Conflict, InvalidInput, NotFound
from counter_tui.files import new_private_file
from counter_tui.folders import EXPORTS, shop_folder
from counter_tui.services import audit
from counter_tui.services.audit_redaction import about_customers
from counter_tui.services.contact import clean_email, digits_of, normalise_phone, shop_region
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import load_customer, merged_records
from counter_tui.services.permissions import Action, require

EXPORTED = "customer.subject_access"
SECTIONS = (
    "consents",
    "till_links",
    "standing_needs",
    "visits",
    "notes",
    "follow_ups",
    "feedback",
    "audit_events",
)


@dataclass(frozen=True)
class SubjectAccessFile:
    """Where the document was written, and how many items each section holds."""

    path: Path
    counts: dict[str, int]


def find_customer(ctx: ShopContext, actor: Actor, *, phone: str = "", email: str = "") -> int:
    """The one customer on file with this phone number (however typed) or email; a
    shift lead only. Refuses none, or several (naming their ids to choose from)."""
    with ctx.database.read() as session:
        require(session, actor, Action.SUBJECT_ACCESS)
        on_file = select(Customer.id).where(
            col(Customer.erased_at).is_(None), col(Customer.merged_into_id).is_(None)
        )
        if email.strip():
            wanted = f"email {email.strip()}"
            query = on_file.where(col(Customer.email) == clean_email(email))
        elif digits_of(phone):
            wanted = f"phone {phone.strip()}"
            international = normalise_phone(phone, shop_region(ctx.rules.shop))
            query = on_file.where(
                or_(
                    col(Customer.phone_digits) == digits_of(phone),
                    col(Customer.phone_normalised) == international,
                )
                if international
                else col(Customer.phone_digits) == digits_of(phone)
            )
        else:
            raise InvalidInput("Give the customer's id, phone number or email.")
        found = sorted(customer_id for customer_id in session.exec(query) if customer_id is not None)
    if not found:
        raise NotFound(f"No customer on file has the {wanted}.")
    if len(found) > 1:
        ids = ", ".join(str(customer_id) for customer_id in found)
        raise Conflict(f"Several customers have the {wanted} (ids {ids}). Give the id of the one who asked.")
    return found[0]


def write_subject_access(
    ctx: ShopContext, actor: Actor, customer_id: int, destination: Path | None = None
) -> SubjectAccessFile:
    """Write everything held about the customer to `destination` (default: a dated file
    in the shop's exports folder; never over an existing file, nor in a folder that does
    not exist) and audit it."""
    with ctx.database.read() as session:
        require(session, actor, Action.SUBJECT_ACCESS)
        document = _gather(session, ctx, customer_id)
    path = destination.expanduser() if destination is not None else _default_path(ctx, customer_id)
    with new_private_file(path) as new, new.partial.open("w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
    counts = {section: len(document[section]) for section in SECTIONS}
    with ctx.database.write() as session:
        require(session, actor, Action.SUBJECT_ACCESS)
        audit.record(session, ctx, actor, EXPORTED, "customer", customer_id, file=str(path), **counts)
    return SubjectAccessFile(path=path.resolve(), counts=counts)


def _default_path(ctx: ShopContext, customer_id: int) -> Path:
    stamp = ctx.calendar.local(ctx.now()).format("YYYY-MM-DD-HHmmss")
    return shop_folder(ctx.database.url, EXPORTS) / f"customer-{customer_id}-subject-access-{stamp}.json"


def _gather(session: Session, ctx: ShopContext, customer_id: int) -> dict[str, Any]:
    """The document: every section, oldest first within each."""
    customer = _held(session, ctx, customer_id)
    merged = merged_records(session, customer_id)
    ids = [customer_id, *(row.id for row in merged if row.id is not None)]
    staff = {person.id: person.name for person in session.exec(select(Staff))}
    visits = list(session.exec(select(Visit).where(col(Visit.customer_id).in_(ids)).order_by(col(Visit.id))))
    visit_ids = [visit.id for visit in visits]

    def when(moment: datetime | None) -> str | None:
        return ctx.calendar.local(moment).isoformat() if moment is not None else None

    def who(staff_id: int | None) -> str | None:
        return staff.get(staff_id) if staff_id is not None else None

    needs: dict[int, list[dict[str, Any]]] = {}
    for need in session.exec(select(VisitNeed).where(col(VisitNeed.visit_id).in_(visit_ids))):
        needs.setdefault(need.visit_id, []).append(
            {
                "kind": need.kind,
                "detail": need.detail,
                "set_at": when(need.set_at),
                "cleared_at": when(need.cleared_at),
            }
        )
    feedback = list(
        session.exec(
            select(Feedback)
            .where(or_(col(Feedback.customer_id).in_(ids), col(Feedback.visit_id).in_(visit_ids)))
            .order_by(col(Feedback.id))
        )
    )
    topics: dict[int, list[str]] = {}
    for tag in session.exec(
        select(FeedbackTag).where(col(FeedbackTag.feedback_id).in_([f.id for f in feedback]))
    ):
        topics.setdefault(tag.feedback_id, []).append(tag.topic)

    def record(row: Customer) -> dict[str, Any]:
        return {
            "id": row.id,
            "name": row.name,
            "phone": row.phone,
            "phone_international": row.phone_normalised,
            "email": row.email,
            "preferences": row.preferences,
            "on_file_since": when(row.created_at),
        }

    return {
        "about": "Everything this shop holds about one customer (a subject access request).",
        "shop": ctx.rules.shop.name,
        "generated_at": when(ctx.now()),
        "customer": record(customer),
        "merged_records": [record(row) | {"merged_into": row.merged_into_id} for row in merged],
        "consents": [
            {
                "channel": consent.channel,
                "granted": consent.granted,
                "source": consent.source,
                "recorded_at": when(consent.recorded_at),
                "recorded_by": who(consent.recorded_by),
                "withdrawn_at": when(consent.withdrawn_at),
            }
            for consent in session.exec(
                select(ContactConsent)
                .where(col(ContactConsent.customer_id).in_(ids))
                .order_by(col(ContactConsent.id))
            )
        ],
        "till_links": [
            {"till": link.till, "till_id": link.till_id, "customer_id": link.customer_id}
            for link in session.exec(
                select(TillCustomer)
                .where(col(TillCustomer.customer_id).in_(ids))
                .order_by(col(TillCustomer.customer_id), col(TillCustomer.till), col(TillCustomer.till_id))
            )
        ],
        "standing_needs": [
            {"kind": need.kind, "detail": need.detail, "updated_at": when(need.updated_at)}
            for need in session.exec(
                select(StandingNeed)
                .where(col(StandingNeed.customer_id).in_(ids))
                .order_by(col(StandingNeed.id))
            )
        ],
        "visits": [
            {
                "id": visit.id,
                "arrived_at": when(visit.arrived_at),
                "description": visit.description,
                "preferences": visit.preferences,
                "source": visit.source,
                "served_by": who(visit.owner_id),
                "outcome": visit.outcome,
                "ended_at": when(visit.ended_at),
                "needs": needs.get(visit.id or 0, []),
            }
            for visit in visits
        ],
        "notes": [
            {
                "id": note.id,
                "visit_id": note.visit_id,
                "written_at": when(note.created_at),
                "by": who(note.author_id),
                "text": note.body,
            }
            for note in session.exec(
                select(CustomerNote)
                .where(or_(col(CustomerNote.customer_id).in_(ids), col(CustomerNote.visit_id).in_(visit_ids)))
                .order_by(col(CustomerNote.id))
            )
        ],
        "follow_ups": [
            {
                "id": owed.id,
                "kind": owed.kind,
                "channel": owed.channel,
                "summary": owed.summary,
                "personal_line": owed.personal_line,
                "owner": who(owed.owner_id),
                "due_at": when(owed.due_at),
                "status": owed.status,
                "done_at": when(owed.done_at),
                "outcome_note": owed.outcome_note,
                "cancel_reason": owed.cancel_reason,
            }
            for owed in session.exec(
                select(FollowUp).where(col(FollowUp.customer_id).in_(ids)).order_by(col(FollowUp.id))
            )
        ],
        "feedback": [
            {
                "id": said.id,
                "visit_id": said.visit_id,
                "text": said.body,
                "rating": said.rating,
                "topics": sorted(topics.get(said.id or 0, [])),
                "recorded_at": when(said.created_at),
                "recorded_by": who(said.recorded_by),
            }
            for said in feedback
        ],
        "audit_events": [
            {
                "id": event.id,
                "at": when(event.at),
                "action": event.action,
                "entity": event.entity,
                "entity_id": event.entity_id,
                "by": who(event.actor_id),
                "terminal": event.terminal,
                "details": _parsed(event.details),
            }
            for event in session.exec(
                select(AuditEvent).where(about_customers(ids)).order_by(col(AuditEvent.id))
            )
        ],
    }


def _held(session: Session, ctx: ShopContext, customer_id: int) -> Customer:
    """The customer on file, or a NotFound that says whether the shop never had anyone
    with this id or erased them (or merged them into another record)."""
    found = session.get(Customer, customer_id)
    if found is None:
        raise NotFound(
            f"No customer has ever had the id {customer_id} here. Check the id, or find them by "
            "--phone or --email."
        )
    if found.erased_at is not None:
        day = ctx.calendar.local(found.erased_at).format("YYYY-MM-DD")
        raise NotFound(
            f"Customer {customer_id}'s personal data was erased on {day}: the shop no longer holds "
            "their name, contact details or anything said about them, so there is nothing to give "
            "them (it keeps their visits without a name, and their till ids and a fingerprint of "
            "their phone and email so that an old export does not bring them back)."
        )
    return load_customer(session, customer_id)


def _parsed(details: str) -> Any:
    try:
        return json.loads(details)
    except ValueError:
        return details
