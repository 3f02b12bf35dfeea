"""clean the names already on file: NFC, without control or format characters

Names typed before text was cleaned (`counter_tui.text`) may be decomposed ("Renée"
typed with a combining accent, a different name from "Renée") or hold bidi overrides
and zero-width spaces that reorder or hide how they read. The upgrade cleans customers'
and staff members' names the way the app now cleans what is typed, and gives each
customer whose name changed the search terms of the clean name (the old terms can no
longer match anything typed, since queries are cleaned too). A staff name that would
become the same as a colleague's is left as it was.

It holds its own copy of the cleaning (rather than importing the app's, which may
change later).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

NAME_MAX = 80
JOINERS = frozenset("\u200c\u200d")
LINE_BREAKS = ("\r\n", "\r", "\n", "\t", "\u2028", "\u2029", "\x85", "\x0b", "\x0c")

customer = sa.table(
    "customer",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("name_key", sa.String),
    sa.column("merged_into_id", sa.Integer),
)
staff = sa.table("staff", sa.column("id", sa.Integer), sa.column("name", sa.String))
terms = sa.table(
    "customersearchterm",
    sa.column("customer_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("term", sa.String),
)


def clean_name(value: str) -> str:
    """A name as the app cleans it at revision 0011 (single line, NFC, no Cc or Cf but
    the joiners, trimmed), cut to the column."""
    value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    for line_break in LINE_BREAKS:
        value = value.replace(line_break, " ")
    kept = "".join(
        c
        for c in value
        if unicodedata.category(c) != "Cc" and (unicodedata.category(c) != "Cf" or c in JOINERS)
    )
    return unicodedata.normalize("NFC", kept).strip()[:NAME_MAX].strip()


def _clean_customers(connection: sa.Connection) -> None:
    rows = connection.execute(sa.select(customer.c.id, customer.c.name, customer.c.merged_into_id)).all()
    for customer_id, name, merged_into in rows:
        cleaned = clean_name(name)
        if cleaned == name or not cleaned:
            continue
        name_key = cleaned.lower()[:NAME_MAX]
        connection.execute(
            sa.update(customer).where(customer.c.id == customer_id).values(name=cleaned, name_key=name_key)
        )
        # The record itself, and the one it was merged into (which is found by its name too).
        for owner in {customer_id, merged_into} - {None}:
            have = set(
                connection.execute(
                    sa.select(terms.c.term).where(terms.c.customer_id == owner, terms.c.kind == "name")
                ).scalars()
            )
            wanted = {word[:200] for word in name_key.split()} - have
            if wanted:
                connection.execute(
                    sa.insert(terms),
                    [{"customer_id": owner, "kind": "name", "term": word} for word in sorted(wanted)],
                )


def _clean_staff(connection: sa.Connection) -> None:
    rows = connection.execute(sa.select(staff.c.id, staff.c.name)).all()
    taken = {name.lower() for _, name in rows}
    for staff_id, name in rows:
        cleaned = clean_name(name)
        if cleaned == name or not cleaned or cleaned.lower() in taken:
            continue
        taken.add(cleaned.lower())
        connection.execute(sa.update(staff).where(staff.c.id == staff_id).values(name=cleaned))


def upgrade() -> None:
    connection = op.get_bind()
    _clean_customers(connection)
    _clean_staff(connection)


def downgrade() -> None:
    """Nothing to undo: the names are still the same names, only cleaned."""
