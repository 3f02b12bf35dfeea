"""status updates every N days, and the wait the kiosk quoted to a visit

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("every_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quoted_wait_minutes", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_column("quoted_wait_minutes")
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.drop_column("every_days")
