"""hand-off requests remember the day close that cancelled them

Undoing a day close brings back exactly the pending hand-off requests that close
cancelled (`handoffrequest.day_close_id`), unless they have become moot meanwhile.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffrequest", schema=None) as batch_op:
        batch_op.add_column(sa.Column("day_close_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_handoffrequest_day_close_id"), ["day_close_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_handoffrequest_day_close_id_dayclose", "dayclose", ["day_close_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("handoffrequest", schema=None) as batch_op:
        batch_op.drop_constraint("fk_handoffrequest_day_close_id_dayclose", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_handoffrequest_day_close_id"))
        batch_op.drop_column("day_close_id")
