"""indexes for the scorecard: follow-ups by the time first owed, and first claims

The scorecard measures a follow-up against the due time first owed (the original one
when it was snoozed): `coalesce(original_due_at, due_at)`. An index on that expression,
by kind, lets it read the follow-ups owed in a period without reading every follow-up
of earlier years. It finds each visit's first claim in the audit log through a small
partial index of the `visit.claimed` events, by visit and time.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_followup_kind_owed", "followup", ["kind", sa.text("coalesce(original_due_at, due_at)")]
    )
    claims = sa.text("action = 'visit.claimed'")
    op.create_index(
        "ix_auditevent_claims",
        "auditevent",
        ["entity_id", "at", "actor_id"],
        sqlite_where=claims,
        postgresql_where=claims,
    )


def downgrade() -> None:
    op.drop_index("ix_auditevent_claims", table_name="auditevent")
    op.drop_index("ix_followup_kind_owed", table_name="followup")
