"""till customer: a customer's id in the till (POS) they were imported from

Importing a till's customer export links each row to a customer by the till's own id,
so the same file imported twice changes nothing and a later export updates the same
customers. Starts empty.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tillcustomer",
        sa.Column("till", sa.String(length=20), nullable=False),
        sa.Column("till_id", sa.String(length=80), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("till", "till_id"),
    )
    with op.batch_alter_table("tillcustomer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tillcustomer_customer_id"), ["customer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tillcustomer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tillcustomer_customer_id"))
    op.drop_table("tillcustomer")
