"""one customer, one record: normalised phones, walk-in details that follow, merges

- customer.phone_normalised: the phone in international (E.164) form beside what was
  typed, so `07700 900123` and `+44 7700 900123` compare equal; backfilled for the
  customers on file, reading numbers typed without + as numbers of the shop's country
  (handed over by `counter_tui.db.migrate.upgrade` as the `phone_region` attribute).
- customer.merged_into_id and the customermerge table: a lead's merge of a duplicate
  record, with what it moved, so it can be undone until the end of that shop day.
- visit.preferences and visitneed.remember: what an anonymous walk-in said they prefer
  and which needs to remember, until they are put on file or linked.

The backfill holds its own copy of the normalisation (rather than importing the app's
services, which will change later); `counter_tui.services.contact.normalise_phone` must
give the same form.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BACKFILL_CHUNK = 5_000


def _normalised(phone: str, region: str | None) -> str:
    """The number in E.164 form, or "" when it cannot be read (as the app did at 0006)."""
    import phonenumbers

    text = phone.strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _backfill_phones(connection: sa.Connection, region: str | None) -> None:
    customer = sa.table(
        "customer",
        sa.column("id", sa.Integer),
        sa.column("phone", sa.String),
        sa.column("phone_normalised", sa.String),
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(customer.c.id, customer.c.phone)
            .where(customer.c.id > last_id, customer.c.phone != "")
            .order_by(customer.c.id)
            .limit(BACKFILL_CHUNK)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        updates = [
            {"row_id": row.id, "normalised": normalised}
            for row in rows
            if (normalised := _normalised(row.phone or "", region))
        ]
        if updates:
            connection.execute(
                sa.update(customer)
                .where(customer.c.id == sa.bindparam("row_id"))
                .values(phone_normalised=sa.bindparam("normalised")),
                updates,
            )


def upgrade() -> None:
    # Plain ADD COLUMNs (no batch copy): SQLite cannot drop and recreate these tables while
    # rows of other tables refer to them, and the defaults stay as they are harmless.
    op.add_column(
        "customer", sa.Column("phone_normalised", sa.String(length=40), nullable=False, server_default="")
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in one statement, but no constraint later.
        op.execute("ALTER TABLE customer ADD COLUMN merged_into_id INTEGER REFERENCES customer (id)")
    else:
        op.add_column("customer", sa.Column("merged_into_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_customer_merged_into_id", "customer", "customer", ["merged_into_id"], ["id"]
        )
    op.create_index(op.f("ix_customer_merged_into_id"), "customer", ["merged_into_id"], unique=False)
    op.add_column(
        "visit", sa.Column("preferences", sa.String(length=2000), nullable=False, server_default="")
    )
    op.add_column("visitneed", sa.Column("remember", sa.Boolean(), nullable=False, server_default=sa.false()))

    op.create_table(
        "customermerge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merged_by", sa.Integer(), nullable=False),
        sa.Column("final_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moved", sa.Text(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.Column("undo_reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["kept_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["merged_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["merged_by"], ["staff.id"]),
        sa.ForeignKeyConstraint(["undone_by"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customermerge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customermerge_kept_id"), ["kept_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_customermerge_merged_id"), ["merged_id"], unique=False)

    _backfill_phones(op.get_bind(), context.config.attributes.get("phone_region"))
    # The index is built after the backfill: one sort instead of an update of it per row.
    op.create_index(op.f("ix_customer_phone_normalised"), "customer", ["phone_normalised"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("customermerge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customermerge_merged_id"))
        batch_op.drop_index(batch_op.f("ix_customermerge_kept_id"))
    op.drop_table("customermerge")
    with op.batch_alter_table("visitneed", schema=None) as batch_op:
        batch_op.drop_column("remember")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_column("preferences")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_phone_normalised"))
        batch_op.drop_index(batch_op.f("ix_customer_merged_into_id"))
        if op.get_bind().dialect.name != "sqlite":  # SQLite's batch copy drops it with the column
            batch_op.drop_constraint("fk_customer_merged_into_id", type_="foreignkey")
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("phone_normalised")
