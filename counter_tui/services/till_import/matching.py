"""Finding the customer an export row is about, and bringing their record up to date,
inside the caller's write transaction.

A row is matched by the till's own customer id first (kept in `tillcustomer`), then by
the phone in international form, then by email; a customer already linked to another id
of the same till is someone else (a family sharing a phone) and is not matched by phone
or email. A row whose fingerprint is the one last imported for that till id is left
alone (only its opt-outs are looked at again, as a later export time may let them
count), so corrections made in the shop survive importing the same file again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, exists
from sqlmodel import Session, col, select

from counter_tui.db.models import ContactConsent, Customer, TillCustomer
from counter_tui.limits import lowered
from counter_tui.services.contact import digits_of
from counter_tui.services.context import ShopContext
from counter_tui.services.customer_search import write_search_terms
from counter_tui.services.customers import insert_customer
from counter_tui.services.till_import.consent import Held, new_answer
from counter_tui.services.till_import.records import Candidate

ERASED = (
    "This customer was erased from the shop at their request, so they are not imported "
    "again. Delete them in the till as well."
)


class Result(StrEnum):
    """What importing one row did."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ImportStamp:
    """Who imports, from which till, and the source and time given to imported consents."""

    till: str
    staff_id: int | None
    source: str
    exported_at: datetime


def _kept(session: Session, customer: Customer) -> Customer:
    """The record a merged customer now lives on."""
    while customer.merged_into_id is not None:
        kept = session.get(Customer, customer.merged_into_id)
        if kept is None:
            break
        customer = kept
    return customer


def _not_linked_elsewhere(stamp: ImportStamp, till_id: str) -> ColumnElement[bool]:
    """Customers not linked to a different id of this till."""
    other = exists().where(
        and_(
            col(TillCustomer.customer_id) == col(Customer.id),
            col(TillCustomer.till) == stamp.till,
            col(TillCustomer.till_id) != till_id,
        )
    )
    return ~other


def find(session: Session, stamp: ImportStamp, row: Candidate) -> tuple[Customer | None, TillCustomer | None]:
    """The customer the row is about (None for someone new) and the row's till link."""
    link = session.get(TillCustomer, (stamp.till, row.till_id)) if row.till_id else None
    if link is not None:
        customer = session.get(Customer, link.customer_id)
        if customer is not None:
            return _kept(session, customer), link
    for column, value in (
        (Customer.phone_normalised, row.details.phone_normalised),
        (Customer.email, row.details.email),
    ):
        if not value:
            continue
        found = session.exec(
            select(Customer)
            .where(
                col(column) == value,
                col(Customer.erased_at).is_(None),
                col(Customer.merged_into_id).is_(None),
                _not_linked_elsewhere(stamp, row.till_id),
            )
            .order_by(col(Customer.id))
            .limit(1)
        ).first()
        if found is not None:
            return found, link
    return None, link


def apply(session: Session, ctx: ShopContext, stamp: ImportStamp, row: Candidate) -> Result | str:
    """Import one row: what it did, or the reason it cannot be imported."""
    customer, link = find(session, stamp, row)
    if customer is not None and customer.erased_at is not None:
        return ERASED
    if customer is None:
        customer = insert_customer(session, ctx, row.details)
        changed = True
        result = Result.NEW
    elif link is not None and link.row_hash == row.fingerprint:
        changed = False
        result = Result.UPDATED
    else:
        changed = _update_contact(session, customer, row)
        result = Result.UPDATED
    assert customer.id is not None
    changed |= _update_consents(session, stamp, customer.id, row)
    if row.till_id:
        if link is None:
            link = TillCustomer(till=stamp.till, till_id=row.till_id, customer_id=customer.id)
            changed = True
        elif link.customer_id != customer.id:
            link.customer_id = customer.id
        link.row_hash = row.fingerprint
        session.add(link)
    return result if changed else Result.UNCHANGED


def _update_contact(session: Session, customer: Customer, row: Candidate) -> bool:
    """Take the till's name, phone and email where it has one that differs."""
    details = row.details
    changed = False
    if details.name and details.name != customer.name:
        customer.name, customer.name_key = details.name, lowered(details.name, "name")
        changed = True
    if details.phone and details.phone != customer.phone:
        customer.phone, customer.phone_digits = details.phone, digits_of(details.phone)
        customer.phone_normalised = details.phone_normalised
        changed = True
    if details.email and details.email != customer.email:
        customer.email = details.email
        changed = True
    if changed:
        assert customer.id is not None
        session.add(customer)
        write_search_terms(session, customer.id, customer.name_key, customer.phone_digits, customer.email)
    return changed


def _update_consents(session: Session, stamp: ImportStamp, customer_id: int, row: Candidate) -> bool:
    """Record the row's opt-ins and opt-outs as the consent rules allow."""
    changed = False
    for channel, answer in row.consents.items():
        held = session.exec(
            select(ContactConsent).where(
                ContactConsent.customer_id == customer_id, ContactConsent.channel == channel
            )
        ).first()
        granted = new_answer(
            answer, Held(held.granted, held.recorded_at) if held is not None else None, stamp.exported_at
        )
        if granted is None:
            continue
        consent = held or ContactConsent(
            customer_id=customer_id,
            channel=channel,
            granted=granted,
            source=stamp.source,
            recorded_at=stamp.exported_at,
        )
        consent.granted, consent.source = granted, stamp.source
        consent.recorded_at, consent.recorded_by = stamp.exported_at, stamp.staff_id
        session.add(consent)
        changed = True
    return changed
