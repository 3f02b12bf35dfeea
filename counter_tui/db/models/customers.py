"""Customers on file and what is kept with them: till ids, search terms, notes,
standing needs, contact consent and merges; and the fingerprints kept of erased ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel


class Customer(SQLModel, table=True):
    """Someone the shop knows by name; walk-ins may stay anonymous (no row)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    name_key: str = Field(default="", max_length=80, index=True)
    phone: str = Field(default="", max_length=40)
    phone_digits: str = Field(default="", max_length=40, index=True)
    # The phone in international (E.164) form, e.g. +447700900123, read with the shop's
    # country for numbers typed without +; empty when it cannot be read as a number.
    phone_normalised: str = Field(default="", max_length=40, index=True)
    email: str = Field(default="", max_length=200, index=True)
    preferences: str = Field(default="", max_length=2000)
    created_at: datetime
    erased_at: datetime | None = None
    # Set when a lead merged this record into another (services/merge.py); it is then
    # hidden everywhere, and the merge can be undone until the end of that day.
    merged_into_id: int | None = Field(default=None, foreign_key="customer.id", index=True)


class TillCustomer(SQLModel, table=True):
    """A customer's id in a till (POS) they were imported from, so importing a later
    export of that till finds the same customer even when their phone or email changed
    (services/customer_import.py). Kept after an erasure, so an old export does not bring
    an erased customer back."""

    till: str = Field(max_length=20, primary_key=True)
    till_id: str = Field(max_length=80, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    # A hash of the row as last imported: a row the till has not changed since is left
    # alone, so corrections made in the shop are not undone by importing again.
    row_hash: str = Field(default="", max_length=64)


class ErasedContact(SQLModel, table=True):
    """What is kept of a phone number or email an erased customer had: a keyed fingerprint
    of it with the first word of their name (services/erased_contacts.py), so that an old
    till export does not put them on file again. Nothing else: no customer id, no date."""

    fingerprint: str = Field(primary_key=True, max_length=64)


# Search terms compare in code-point order on both databases: SQLite's default BINARY
# collation already does; on PostgreSQL the column (and so its index) is COLLATE "C",
# because under a language collation such as en_US a range `term >= 'smi' AND term <
# 'smj'` is not the same as "starts with smi" and a plain index cannot serve LIKE 'smi%'.
SEARCH_TERM_TYPE = String(200).with_variant(String(200, collation="C"), "postgresql")


class CustomerSearchTerm(SQLModel, table=True):
    """One word a customer can be found by: a lowercase name word, the email, the phone's
    digits, or those digits reversed (so the last digits typed are a prefix too).

    Kept in the same transaction as the customer row; search asks for term ranges
    (`term >= 'smi' AND term < 'smj'`), which an index serves, instead of LIKE '%smi%'.
    """

    __table_args__ = (Index("ix_customersearchterm_kind_term", "kind", "term", "customer_id"),)

    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    kind: str = Field(max_length=10, primary_key=True)
    term: str = Field(sa_type=SEARCH_TERM_TYPE, primary_key=True)


class CustomerNote(SQLModel, table=True):
    """A dated note by a staff member, about a customer on file and/or one visit."""

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id", index=True)
    author_id: int = Field(foreign_key="staff.id")
    body: str = Field(max_length=2000)
    created_at: datetime


class StandingNeed(SQLModel, table=True):
    """A need remembered on the customer and applied to each new visit."""

    __table_args__ = (UniqueConstraint("customer_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    kind: str = Field(max_length=40)
    detail: str = Field(default="", max_length=200)
    updated_at: datetime


class ContactConsent(SQLModel, table=True):
    """Opt-in per channel, with where and when it was given (or withdrawn)."""

    __table_args__ = (UniqueConstraint("customer_id", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    channel: str = Field(max_length=20)
    granted: bool
    source: str = Field(max_length=200)
    recorded_at: datetime
    recorded_by: int | None = Field(default=None, foreign_key="staff.id")
    by_import: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    """Recorded by an import of a till's export (which a later import may withdraw), not
    by a person: kept, never read from the source's words, which anyone may type."""
    withdrawn_at: datetime | None = None
    """When a yes on this channel was taken back (None: it is a yes, or a no never
    preceded by one: they declined when asked)."""


class CustomerMerge(SQLModel, table=True):
    """A lead's merge of a duplicate record into the one kept, with what it moved (so it
    can be undone until `final_at`, the end of that shop day)."""

    id: int | None = Field(default=None, primary_key=True)
    kept_id: int = Field(foreign_key="customer.id", index=True)
    merged_id: int = Field(foreign_key="customer.id", index=True)
    merged_at: datetime
    merged_by: int = Field(foreign_key="staff.id")
    final_at: datetime
    moved: str = Field(default="{}", sa_type=Text)
    undone_at: datetime | None = None
    undone_by: int | None = Field(default=None, foreign_key="staff.id")
    undo_reason: str = Field(default="", max_length=200)
