"""presence: which staff have a visit open right now ("who's looking")

On PostgreSQL a trigger notifies `counter_tui_changes` when someone starts or stops
looking at a visit (not on every heartbeat), with the payload
{"id": null, "entity": "presence", "entity_id": <visit id>, "action": "presence.changed"}.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "presence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("visit_id", "staff_id"),
    )
    with op.batch_alter_table("presence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_presence_visit_id"), ["visit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_presence_seen_at"), ["seen_at"], unique=False)
    if not _is_postgresql():
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION counter_tui_notify_presence() RETURNS trigger AS $$
        DECLARE
            row_visit integer;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                row_visit := OLD.visit_id;
            ELSE
                row_visit := NEW.visit_id;
            END IF;
            PERFORM pg_notify(
                'counter_tui_changes',
                json_build_object(
                    'id', NULL,
                    'entity', 'presence',
                    'entity_id', row_visit,
                    'action', 'presence.changed'
                )::text
            );
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        """
        CREATE TRIGGER presence_notify_arrive_leave AFTER INSERT OR DELETE ON presence
        FOR EACH ROW EXECUTE FUNCTION counter_tui_notify_presence()
        """
    )
    op.execute(
        """
        CREATE TRIGGER presence_notify_reopen AFTER UPDATE OF opened_at ON presence
        FOR EACH ROW WHEN (OLD.opened_at IS DISTINCT FROM NEW.opened_at)
        EXECUTE FUNCTION counter_tui_notify_presence()
        """
    )


def downgrade() -> None:
    if _is_postgresql():
        op.execute("DROP TRIGGER IF EXISTS presence_notify_reopen ON presence")
        op.execute("DROP TRIGGER IF EXISTS presence_notify_arrive_leave ON presence")
        op.execute("DROP FUNCTION IF EXISTS counter_tui_notify_presence()")
    with op.batch_alter_table("presence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_presence_seen_at"))
        batch_op.drop_index(batch_op.f("ix_presence_visit_id"))
    op.drop_table("presence")
