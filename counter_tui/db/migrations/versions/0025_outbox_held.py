"""outbox: since when the shop's mail setup has held an email back

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30

A mail server that could not be reached counted as one of an email's six tries, so an
outage of about 15 minutes failed the oldest emails for good. Such a failure is the
shop's, not the email's: the emails are now held back together, and `held_since` says
since when (NULL: nothing holds it back). Existing rows hold nothing back.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.drop_column("held_since")
