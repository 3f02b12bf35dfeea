"""day close: each closing of the day as a row, and the visits it ended point at it

A lead can undo a day close as one action the same day; it reopens exactly the visits
that close ended (`visit.day_close_id`), if they are still reopenable. Existing visits
ended at close before this revision have no day close row and cannot be undone as one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dayclose",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("visits_ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("auto", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.Column("undo_reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["closed_by"], ["staff.id"]),
        sa.ForeignKeyConstraint(["undone_by"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dayclose", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dayclose_closed_at"), ["closed_at"], unique=False)
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("day_close_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_visit_day_close_id"), ["day_close_id"], unique=False)
        batch_op.create_foreign_key("fk_visit_day_close_id_dayclose", "dayclose", ["day_close_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_constraint("fk_visit_day_close_id_dayclose", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_visit_day_close_id"))
        batch_op.drop_column("day_close_id")
    with op.batch_alter_table("dayclose", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dayclose_closed_at"))
    op.drop_table("dayclose")
