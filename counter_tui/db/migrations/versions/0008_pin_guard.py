"""pin guard: wrong-PIN lockouts as state of their own, per terminal

Replaces the lockout that was counted from audit rows (which parallel guesses could slip
past, and which deleting audit rows lifted). Lockouts in progress when upgrading are
not carried over; they last minutes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pinguard",
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("terminal", sa.String(length=80), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("subject", "terminal"),
    )


def downgrade() -> None:
    op.drop_table("pinguard")
