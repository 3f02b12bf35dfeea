"""where a consent came from: recorded (by an import or not), no longer read from its words

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-29

An import may withdraw only a "yes" an import gave. That was recognised by the source's
words ("Square export, …"), which a colleague could type at the counter too; the answer is
now kept beside it. Existing rows take it from their words, as they were read until now.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

IMPORT_LABELS = ("Shopify", "Square", "Lightspeed", "CSV")
"""The tills' labels at this revision (`till_import.consent.IMPORT_LABELS` then)."""


def upgrade() -> None:
    with op.batch_alter_table("contactconsent", schema=None) as batch_op:
        batch_op.add_column(sa.Column("by_import", sa.Boolean(), nullable=False, server_default=sa.false()))
    consent = sa.table(
        "contactconsent", sa.column("source", sa.String()), sa.column("by_import", sa.Boolean())
    )
    op.execute(
        consent.update()
        .where(sa.or_(*(consent.c.source.like(f"{label} export, %") for label in IMPORT_LABELS)))
        .values(by_import=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("contactconsent", schema=None) as batch_op:
        batch_op.drop_column("by_import")
