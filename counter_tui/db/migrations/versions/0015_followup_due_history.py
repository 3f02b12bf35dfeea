"""followup due history: the original due time kept, and each snooze or reschedule

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("original_due_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "followupdue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("followup_id", sa.Integer(), nullable=False),
        sa.Column("from_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("to_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moved_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["followup_id"], ["followup.id"]),
        sa.ForeignKeyConstraint(["moved_by"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_followupdue_followup_id", "followupdue", ["followup_id"])


def downgrade() -> None:
    op.drop_index("ix_followupdue_followup_id", table_name="followupdue")
    op.drop_table("followupdue")
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.drop_column("original_due_at")
