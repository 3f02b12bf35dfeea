"""customer search terms: a word index for "find customer as you type"

One row per way a customer can be found: each lowercase word of the name ("name"), the
email ("email"), the phone's digits ("phone") and those digits reversed ("phone_rev"),
so that every kind of search is a prefix, served by an index range on (kind, term)
instead of a LIKE with a leading wildcard that reads every customer.

On PostgreSQL the term column is COLLATE "C": ranges then compare in code-point order,
the same as SQLite's BINARY, and the index serves them under any database collation.

The upgrade backfills terms for the customers already on file. It holds its own copy of
how terms are made (rather than importing the app's services, which will change later);
`counter_tui.services.customers.search_terms` must make the same terms.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BACKFILL_CHUNK = 5_000


def _terms(name_key: str, phone_digits: str, email: str) -> set[tuple[str, str]]:
    """The (kind, term) pairs of one customer, as the app made them at revision 0005."""
    terms = {("name", word[:200]) for word in name_key.split()}
    if email:
        terms.add(("email", email.lower()[:200]))
    if phone_digits:
        terms.add(("phone", phone_digits[:200]))
        terms.add(("phone_rev", phone_digits[::-1][:200]))
    return terms


def _customer_terms(connection: sa.Connection) -> Iterator[list[dict[str, object]]]:
    """Term rows for every customer on file, in lists of about BACKFILL_CHUNK customers."""
    customer = sa.table(
        "customer",
        sa.column("id", sa.Integer),
        sa.column("name_key", sa.String),
        sa.column("phone_digits", sa.String),
        sa.column("email", sa.String),
        sa.column("erased_at", sa.DateTime),
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(customer.c.id, customer.c.name_key, customer.c.phone_digits, customer.c.email)
            .where(customer.c.id > last_id, customer.c.erased_at.is_(None))
            .order_by(customer.c.id)
            .limit(BACKFILL_CHUNK)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        yield [
            {"customer_id": row.id, "kind": kind, "term": term}
            for row in rows
            for kind, term in sorted(_terms(row.name_key or "", row.phone_digits or "", row.email or ""))
        ]


def upgrade() -> None:
    term_type = sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql")
    search_term = op.create_table(
        "customersearchterm",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("term", term_type, nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("customer_id", "kind", "term"),
    )
    assert search_term is not None
    connection = op.get_bind()
    for batch in _customer_terms(connection):
        if batch:
            connection.execute(sa.insert(search_term), batch)
    # The index is built after the backfill: one sort instead of 100,000s of inserts into it.
    with op.batch_alter_table("customersearchterm", schema=None) as batch_op:
        batch_op.create_index(
            "ix_customersearchterm_kind_term", ["kind", "term", "customer_id"], unique=False
        )
    if connection.dialect.name == "postgresql":
        # Statistics now rather than at the next autovacuum, so the first searches after
        # the upgrade are planned knowing how many terms a prefix matches.
        op.execute("ANALYZE customersearchterm")


def downgrade() -> None:
    with op.batch_alter_table("customersearchterm", schema=None) as batch_op:
        batch_op.drop_index("ix_customersearchterm_kind_term")
    op.drop_table("customersearchterm")
