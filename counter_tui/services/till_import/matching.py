"""Finding the customers a batch of export rows is about, and bringing their records up
to date, inside the caller's write transaction.

Who a row is (the same rules with and without a till id column):

- A row with a till customer id already linked (`tillcustomer`) is that customer (or the
  record they were merged into).
- Otherwise a row is a customer on file only when it is clearly the same person: the
  same phone (international form) or the same email, AND a compatible name
  (`till_import.names`: "Ann" and "Ann Lee", not "Ana Kowalska" and "Piotr Kowalski";
  "[/]" only with itself). A customer linked to another id of the same till is someone
  else for a row with a till id: the row is a new customer, reported for review as a
  possible duplicate of them when the name is compatible (a person entered twice in the
  till), or as a different person on a shared phone or email when it is not (below). A
  row without a till id (a plain CSV, the shop's own export imported back, an empty id
  cell) says nothing about which till record it is, so a customer linked to one is
  matched as any other.
- A row sharing a phone or email with customers on file whose names are not compatible
  is a different person (a family sharing a phone, a shop's own number): they are put
  on file as a new customer, and the row is reported for review as a possible duplicate
  so a person can merge them if they are one. "On file" includes the customers earlier
  rows of the same file put there or linked to a till id: rows are matched against each
  other as against the shop, in one batch or several.
- A customer erased in the shop is not brought back: a row linked to their till id is
  rejected (`ERASED`), and so is a row that would be a new customer whose phone or email,
  with the first word of its name, is one an erased customer had (`ERASED_CONTACT`;
  `erased_contacts` keeps only a keyed fingerprint of those).

What an import may change on a customer already on file: it never renames them or
replaces their phone or email. It fills a field the shop has empty; a different
non-empty value (a name, phone or email) is reported for review, not written. Consents
follow `till_import.consent`: an import's "no" never withdraws a "yes" given at the
counter. Reports go to the import's review file (`customer_import`), one line a row.

A row whose fingerprint is the one last imported for that till id changes nothing of the
customer's name, phone and email and reports nothing about them (only its opt-outs are
looked at again, as a later export time may let them count), so re-importing the same
file reports no conflict twice for a till id.

The batch's links, candidate customers and consents are read with a few queries up
front, and new customers, their links, consents and search terms written together at the
end (`Batch.finish`): a row costs no query of its own, so 100,000 rows take minutes,
not hours. Rows later in the batch see the customers earlier rows created.

The till's note on a customer (Shopify's `Note`, Square's `Memo`) becomes a note by the
importing lead on a new customer; it is not added again to a customer already on file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from counter_tui.db.models import ContactConsent, Customer, CustomerNote, TillCustomer
from counter_tui.limits import lowered
from counter_tui.services.contact import digits_of
from counter_tui.services.context import ShopContext
from counter_tui.services.customer_search import SEARCH_TERMS, search_terms, write_search_terms
from counter_tui.services.customers import customer_row, withdrawn_at
from counter_tui.services.erased_contacts import Contact, ErasedContacts
from counter_tui.services.till_import.consent import Held, Kept, new_answer
from counter_tui.services.till_import.names import name_words, same_person
from counter_tui.services.till_import.records import Candidate

ERASED = (
    "This customer was erased from the shop (at their request, or by the shop's retention "
    "rules), so an export does not bring them back. Delete them in the till as well."
)
ERASED_CONTACT = (
    "A customer with this phone number or email and this first name was erased from the "
    "shop (at their request, or by the shop's retention rules), so an export does not "
    "bring them back. Delete them in the till as well. If this is someone else, or they "
    "asked to be on file again, add them at the counter."
)


@dataclass(frozen=True)
class Review:
    """A row imported with something a person should look at: the customer on file it is
    about (a possible duplicate, or the one whose details it did not change), and why."""

    row: int
    customer: Customer
    reason: str


class Result(StrEnum):
    """What importing one row did."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Change:
    """What one row did to a customer, for its audit event: put them on file (`NEW`), or
    changed their record (`UPDATED`): the `fields` it filled ("name", "phone", "email",
    and "till link" for a till id newly linked to them) and the consents it recorded
    (channel: granted)."""

    row: int
    customer: Customer
    result: Result
    fields: tuple[str, ...]
    consents: dict[str, bool]


@dataclass(frozen=True)
class ImportStamp:
    """Who imports, from which till, and the source and time given to imported consents."""

    till: str
    staff_id: int | None
    source: str
    exported_at: datetime


class Batch:
    """One batch of rows matched and applied in one session (see the module docstring)."""

    def __init__(self, session: Session, ctx: ShopContext, stamp: ImportStamp, rows: list[Candidate]) -> None:
        self.session, self.ctx, self.stamp = session, ctx, stamp
        till_ids = {row.till_id for row in rows if row.till_id}
        self.links: dict[str, TillCustomer] = {
            link.till_id: link
            for link in self._in(
                select(TillCustomer).where(TillCustomer.till == stamp.till), TillCustomer.till_id, till_ids
            )
        }
        linked_ids = {link.customer_id for link in self.links.values()}
        self.by_id: dict[int, Customer] = {
            c.id or 0: c for c in self._in(select(Customer), Customer.id, linked_ids)
        }
        self.by_phone: dict[str, list[Customer]] = defaultdict(list)
        self.by_email: dict[str, list[Customer]] = defaultdict(list)
        on_file = select(Customer).where(
            col(Customer.erased_at).is_(None), col(Customer.merged_into_id).is_(None)
        )
        for name, index, wanted in (
            ("phone_normalised", self.by_phone, {r.details.phone_normalised for r in rows}),
            ("email", self.by_email, {r.details.email for r in rows}),
        ):
            for customer in self._in(
                on_file.order_by(col(Customer.id)), getattr(Customer, name), wanted - {""}
            ):
                index[getattr(customer, name)].append(customer)
                self.by_id.setdefault(customer.id or 0, customer)
        self.erased = ErasedContacts(
            session,
            {r.number: Contact(r.details.name, r.details.phone_normalised, r.details.email) for r in rows},
        )
        self.till_ids_of: dict[int, set[str]] = defaultdict(set)
        self.consents: dict[tuple[int, str], ContactConsent] = {}
        self._know(list(self.by_id.values()))
        self.new: list[Customer] = []
        self.changed: dict[int, Customer] = {}
        self.pending: list[tuple[TillCustomer | ContactConsent | CustomerNote, Customer]] = []
        self.reviews: list[Review] = []
        self.changes: list[Change] = []

    def _know(self, customers: list[Customer]) -> None:
        """Read the till links and consents of these customers on file."""
        by_id = {customer.id: customer for customer in customers}
        links = select(TillCustomer).where(TillCustomer.till == self.stamp.till)
        for link in self._in(links, TillCustomer.customer_id, by_id):
            self.till_ids_of[id(by_id[link.customer_id])].add(link.till_id)
        for consent in self._in(select(ContactConsent), ContactConsent.customer_id, by_id):
            self.consents[(id(by_id[consent.customer_id]), consent.channel)] = consent

    def _in(self, query: Any, column: Any, values: Iterable[Any]) -> list[Any]:
        """The rows of `query` whose `column` is one of `values` (none for no values),
        locked until the batch commits (PostgreSQL; SQLite writers already queue), so a
        terminal saving one of these customers meanwhile waits instead of being undone."""
        wanted = sorted(values)
        if not wanted:
            return []
        return list(self.session.exec(query.where(col(column).in_(wanted)).with_for_update()))

    def _customer_of(self, row: Candidate) -> tuple[Customer | None, TillCustomer | None, list[Customer]]:
        """The customer a row is (or None), its till link, and the customers on file
        sharing its phone or email who are not the same person."""
        link = self.links.get(row.till_id) if row.till_id else None
        if link is not None:
            customer = self.by_id.get(link.customer_id) if link.customer_id else None
            pending = next((c for item, c in self.pending if item is link), None)
            customer = customer or pending
            while customer is not None and customer.merged_into_id is not None:
                customer = self.session.get(Customer, customer.merged_into_id)
                if customer is not None and customer.id not in self.by_id:
                    self.by_id[customer.id or 0] = customer
                    self._know([customer])
            if customer is not None:
                return customer, link, []
        others: list[Customer] = []
        for index, value in (
            (self.by_phone, row.details.phone_normalised),
            (self.by_email, row.details.email),
        ):
            for customer in index.get(value, []) if value else []:
                another_record = bool(row.till_id and self.till_ids_of[id(customer)] - {row.till_id})
                if not another_record and same_person(row.details.name, customer.name):
                    return customer, link, []
                # Someone else on this phone or email (a different name, or another till
                # record: maybe the same person entered twice in the till), whether on
                # file before or put there by an earlier row of this file: to review.
                if customer not in others:
                    others.append(customer)
        return None, link, others

    def apply(self, row: Candidate) -> Result | str:
        """Import one row: what it did (kept in `changes` unless nothing), or the reason it
        cannot be imported."""
        customer, link, others = self._customer_of(row)
        if customer is not None and customer.erased_at is not None:
            return ERASED
        if customer is None and self.erased.match(row.number):
            return ERASED_CONTACT
        for other in others:
            shared = "phone number" if other.phone_normalised == row.details.phone_normalised else "email"
            self.reviews.append(
                Review(
                    row.number,
                    other,
                    f"Possible duplicate: {other.name} is on file with the same {shared}. "
                    f"{row.details.name} was put on file as a new customer; merge them if they "
                    "are one person.",
                )
            )
        fields: list[str] = []
        if customer is None:
            customer = customer_row(row.details, self.ctx.now())
            self.new.append(customer)
            for index, value in ((self.by_phone, customer.phone_normalised), (self.by_email, customer.email)):
                if value:
                    index[value].append(customer)
            result = Result.NEW
            if row.note and self.stamp.staff_id is not None:
                note = CustomerNote(
                    customer_id=0, author_id=self.stamp.staff_id, body=row.note, created_at=self.ctx.now()
                )
                self.pending.append((note, customer))
        elif link is not None and link.row_hash == row.fingerprint:
            result = Result.UPDATED
        else:
            fields, result = self._update_contact(customer, row), Result.UPDATED
        consents = self._update_consents(customer, row)
        if row.till_id:
            if link is None:
                link = TillCustomer(till=self.stamp.till, till_id=row.till_id, customer_id=customer.id or 0)
                self.links[row.till_id] = link
                self.pending.append((link, customer))
                self.till_ids_of[id(customer)].add(row.till_id)
                fields.append("till link")
            elif customer.id is not None and link.customer_id != customer.id:
                link.customer_id = customer.id
            link.row_hash = row.fingerprint
        if result is Result.UPDATED and not (fields or consents):
            return Result.UNCHANGED
        self.changes.append(Change(row.number, customer, result, tuple(fields), consents))
        return result

    def _update_contact(self, customer: Customer, row: Candidate) -> list[str]:
        """Fill the customer's empty name, phone and email from the row (the fields
        filled); report a value that differs from one the shop has (see the module
        docstring)."""
        details = row.details
        filled: list[str] = []
        differs = [
            f"{label} {theirs}"
            for label, theirs, ours, same in (
                ("name", details.name, customer.name, name_words(details.name) == name_words(customer.name)),
                ("phone", details.phone_normalised, customer.phone_normalised, False),
                ("email", details.email, customer.email, False),
            )
            if theirs and ours and not same and theirs != ours
        ]
        if differs:
            self.reviews.append(
                Review(
                    row.number,
                    customer,
                    f"Not changed: the file has {', '.join(differs)} for {customer.name}. "
                    "Correct their record at the counter if the file is right.",
                )
            )
        if details.name and not customer.name:
            customer.name, customer.name_key = details.name, lowered(details.name, "name")
            filled.append("name")
        if details.phone and not customer.phone:
            customer.phone, customer.phone_digits = details.phone, digits_of(details.phone)
            customer.phone_normalised = details.phone_normalised
            filled.append("phone")
        if details.email and not customer.email:
            customer.email = details.email
            filled.append("email")
        if filled and customer.id is not None:
            self.changed[customer.id] = customer
        return filled

    def _update_consents(self, customer: Customer, row: Candidate) -> dict[str, bool]:
        """Record the row's opt-ins and opt-outs as the consent rules allow; those
        recorded (channel: granted)."""
        recorded: dict[str, bool] = {}
        for channel, answer in row.consents.items():
            held = self.consents.get((id(customer), channel))
            granted = new_answer(
                answer,
                Held(held.granted, held.recorded_at, held.by_import) if held is not None else None,
                self.stamp.exported_at,
            )
            if granted is Kept.OVERRULED and held is not None:
                self.reviews.append(
                    Review(
                        row.number,
                        customer,
                        f"Not withdrawn: the file says no to {channel} for {customer.name}, who "
                        f"agreed to it in the shop ({held.source}). Ask them, and withdraw it at "
                        "the counter if they want.",
                    )
                )
            if isinstance(granted, Kept):
                continue
            if held is None:
                held = ContactConsent(
                    customer_id=customer.id or 0,
                    channel=channel,
                    granted=granted,
                    source=self.stamp.source,
                    recorded_at=self.stamp.exported_at,
                    by_import=True,
                )
                self.consents[(id(customer), channel)] = held
                self.pending.append((held, customer))
            held.withdrawn_at = withdrawn_at(held, granted, self.stamp.exported_at)
            held.granted, held.source, held.by_import = granted, self.stamp.source, True
            held.recorded_at, held.recorded_by = self.stamp.exported_at, self.stamp.staff_id
            recorded[channel] = granted
        return recorded

    def finish(self) -> None:
        """Write the new customers, then the links, consents and search terms that need
        their ids; and the search terms of customers whose details changed."""
        self.session.add_all(self.new)
        self.session.flush()
        for item, customer in self.pending:
            assert customer.id is not None
            item.customer_id = customer.id
            self.session.add(item)
        terms = [
            {"customer_id": customer.id, "kind": kind, "term": term}
            for customer in self.new
            for kind, term in sorted(search_terms(customer.name_key, customer.phone_digits, customer.email))
        ]
        self.session.flush()
        if terms:
            self.session.connection().execute(insert(SEARCH_TERMS), terms)
        for customer_id, customer in self.changed.items():
            write_search_terms(
                self.session, customer_id, customer.name_key, customer.phone_digits, customer.email
            )
