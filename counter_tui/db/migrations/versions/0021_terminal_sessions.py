"""terminal sessions and the database generation

`terminalsession`: one row per running staff app (not per terminal name: every app on a
computer is "counter" unless configured otherwise), who is signed in at it, and its
heartbeat; sign-in state used to be read from the latest sign-in event per terminal
name, which merged the apps sharing a name into one. `databasegeneration`: one row whose
value a restore changes, so running change feeds notice the data was replaced.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-28
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "terminalsession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("terminal", sa.String(length=80), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id"),
    )
    with op.batch_alter_table("terminalsession", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_terminalsession_seen_at"), ["seen_at"], unique=False)
    generation = op.create_table(
        "databasegeneration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(generation, [{"id": 1, "generation": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("databasegeneration")
    with op.batch_alter_table("terminalsession", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_terminalsession_seen_at"))
    op.drop_table("terminalsession")
