"""an erased customer's phone and email are recognised by a keyed fingerprint, not kept

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01

An old plain-CSV export (no till ids) brought an erased customer back: once erased,
nothing was left to recognise their row by. An erasure now keeps a keyed fingerprint of
each phone and email they had with the first word of their name (`erasedcontact`, nothing
else), keyed with a random secret the shop makes when first needed (`shopkey`). Customers
erased before this revision left nothing to fingerprint: only their till ids recognise them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasedcontact",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint"),
    )
    op.create_table(
        "shopkey",
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("purpose"),
    )


def downgrade() -> None:
    op.drop_table("shopkey")
    op.drop_table("erasedcontact")
