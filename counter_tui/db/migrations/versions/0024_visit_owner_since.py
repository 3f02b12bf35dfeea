"""a visit keeps when the customer was first greeted; since when its owner has them is a column of its own

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01

Every change of owner (an approved hand-off, a lead's reassignment, a deactivated
colleague's customers passed on) set `visit.claimed_at` to the time of the change, so the
export showed a customer greeted at 05:11 and handed on at 05:52 as claimed at 05:52, and
the first greeting was gone; reopening a visit whose owner had left cleared it. Now
`claimed_at` is the first greeting, set once, and `owner_since` says since when the owner
has the customer (the floor board's "served N min", "Sam has this customer since …").

The backfill: `owner_since` takes what `claimed_at` held for a visit with an owner (the
time of its latest claim or change of owner, exactly what it means); `claimed_at` goes
back to the visit's first `visit.claimed` audit event (a claim writes one in the same
transaction) where its owner changed (the hand-off log holds the move) or it was reopened
(which may have cleared it), and stays as it is where no event is kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

FIRST_CLAIM = (
    "SELECT min(auditevent.at) FROM auditevent WHERE auditevent.action = 'visit.claimed' "
    "AND auditevent.entity = 'visit' AND auditevent.entity_id = visit.id"
)


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_since", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE visit SET owner_since = claimed_at WHERE owner_id IS NOT NULL")
    op.execute(
        f"UPDATE visit SET claimed_at = coalesce(({FIRST_CLAIM}), claimed_at) "
        "WHERE id IN (SELECT visit_id FROM handoffrequest WHERE status IN ('approved', 'reassigned')) "
        "OR id IN (SELECT entity_id FROM auditevent WHERE action = 'visit.reopened' AND entity = 'visit')"
    )


def downgrade() -> None:
    op.execute("UPDATE visit SET claimed_at = owner_since WHERE owner_since IS NOT NULL")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_column("owner_since")
