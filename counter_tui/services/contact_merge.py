"""Correcting a customer's name, phone or email from a form opened before a colleague's
correction (found by the tester: Sam's form, opened before Dana corrected the phone, put
the old phone back). The correction is merged field by field with what the form started
from (`opened`): a field the person did not change keeps what the record holds now; a
field they changed is written when the record still holds what they started from; the
same field changed to a different value at both is refused with ContactChanged, naming
the field, who changed it and to what. Its `now` is what the form started from with those
fields as the record holds them, so Enter again saves over them on purpose, the other
fields still merged.
"""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from counter_tui.db.models import AuditEvent, Customer
from counter_tui.services.changed_meanwhile import ChangedMeanwhile
from counter_tui.services.contact import ContactDetails
from counter_tui.services.context import ShopContext
from counter_tui.services.queries import staff_names

FIELDS = ("name", "phone", "email")
CONTACT_CHANGES = ("customer.updated", "customer.merged")
"""Audit actions that change a customer's name, phone or email."""
Contact = tuple[str, str, str]


class ContactChanged(ChangedMeanwhile):
    """A colleague changed the same field as this form to another value; `field` (the
    first such) is where the form shows the sentence, `now` what to compare with next."""

    def __init__(self, message: str, now: Contact, field: str) -> None:
        super().__init__(message, now)
        self.field = field


def merged_contact(
    session: Session,
    ctx: ShopContext,
    customer: Customer,
    opened: Contact | None,
    typed: Contact,
    details: ContactDetails,
) -> ContactDetails:
    """What to store: `details` (`typed`, cleaned) where the person changed a field, what
    the record holds now where they did not (a field is unchanged when, as typed or as
    cleaned, it is what the form started from). Without `opened` (the command line,
    imports) that is `details` as it is. Refused with ContactChanged on a clash."""
    if opened is None:
        return details
    stored = (customer.name, customer.phone, customer.email)
    cleaned = (details.name, details.phone, details.email)
    changed = [cleaned[i] != opened[i] and typed[i].strip() != opened[i] for i in range(3)]
    clashes = [i for i in range(3) if changed[i] and stored[i] not in (opened[i], cleaned[i])]
    if clashes:
        now = tuple(stored[i] if i in clashes else opened[i] for i in range(3))
        raise ContactChanged(
            _clash_sentence(session, ctx, customer.id or 0, clashes, stored),
            (now[0], now[1], now[2]),
            FIELDS[clashes[0]],
        )
    return ContactDetails(
        name=details.name if changed[0] else customer.name,
        phone=details.phone if changed[1] else customer.phone,
        phone_normalised=details.phone_normalised if changed[1] else customer.phone_normalised,
        email=details.email if changed[2] else customer.email,
    )


def _clash_sentence(
    session: Session,
    ctx: ShopContext,
    customer_id: int,
    clashes: list[int],
    stored: Contact,
) -> str:
    """The refusal, one clause a clashing field: Dana changed the phone to 07700 111222 at
    11:00 (or removed it) while this was open; what you typed is kept…"""
    events = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.entity == "customer",
            AuditEvent.entity_id == customer_id,
            col(AuditEvent.action).in_(CONTACT_CHANGES),
        )
        .order_by(col(AuditEvent.id).desc())
        .limit(50)
    ).all()
    names = staff_names(session)
    said = []
    for i in clashes:
        last = next((e for e in events if FIELDS[i] in _fields_of(e)), None)
        who = names.get(last.actor_id or 0, "Someone") if last is not None else "Someone"
        when = f" at {ctx.calendar.local(last.at).format('HH:mm')}" if last is not None else ""
        what = f"changed the {FIELDS[i]} to {stored[i]}" if stored[i] else f"removed the {FIELDS[i]}"
        said.append(f"{who} {what}{when}")
    return (
        f"{' and '.join(said)} while this was open. What you typed is kept: Enter saves yours "
        "over theirs, Esc keeps theirs."
    )


def _fields_of(event: AuditEvent) -> tuple[str, ...]:
    """The fields an audit event says it changed (all three when it does not say: a merge)."""
    try:
        changed = json.loads(event.details or "{}").get("changed")
    except (ValueError, AttributeError):
        changed = None
    return tuple(changed) if isinstance(changed, list) else FIELDS
