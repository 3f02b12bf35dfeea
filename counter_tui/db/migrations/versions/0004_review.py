"""lead review: feedback with topic tags, topic status, kudos; indexes for the scorecard

Topic tags live in their own table (one row per feedback and topic) rather than a
JSON or array column, so the topic board is a plain GROUP BY on SQLite and PostgreSQL.
The two new indexes let the scorecard and the end-of-day report scan one day or week
of visits and follow-ups instead of the whole history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=2000), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["recorded_by"], ["staff.id"]),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "feedbacktag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["feedback_id"], ["feedback.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("feedback_id", "topic"),
    )
    with op.batch_alter_table("feedbacktag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedbacktag_feedback_id"), ["feedback_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedbacktag_topic"), ["topic"], unique=False)

    op.create_table(
        "feedbacktopicstatus",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("action_taken", sa.String(length=2000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["updated_by"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("topic"),
    )

    op.create_table(
        "kudos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_staff_id", sa.Integer(), nullable=False),
        sa.Column("from_staff_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["from_staff_id"], ["staff.id"]),
        sa.ForeignKeyConstraint(["to_staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kudos_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_kudos_to_staff_id"), ["to_staff_id"], unique=False)

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_arrived_at", ["arrived_at"], unique=False)
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.create_index("ix_followup_kind_due", ["kind", "due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.drop_index("ix_followup_kind_due")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_arrived_at")
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kudos_to_staff_id"))
        batch_op.drop_index(batch_op.f("ix_kudos_created_at"))
    op.drop_table("kudos")
    op.drop_table("feedbacktopicstatus")
    with op.batch_alter_table("feedbacktag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedbacktag_topic"))
        batch_op.drop_index(batch_op.f("ix_feedbacktag_feedback_id"))
    op.drop_table("feedbacktag")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_customer_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_created_at"))
    op.drop_table("feedback")
