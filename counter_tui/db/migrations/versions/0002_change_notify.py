"""notify listeners of every audit event (PostgreSQL only)

Every change writes an audit event, so a trigger on `auditevent` tells every terminal
LISTENing on `counter_tui_changes` what changed, when the change commits. The payload
is JSON: {"id", "entity", "entity_id", "action"}. SQLite terminals watch the file's
change counter instead, so on SQLite this migration does nothing.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _is_postgresql():
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION counter_tui_notify_audit() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify(
                'counter_tui_changes',
                json_build_object(
                    'id', NEW.id,
                    'entity', NEW.entity,
                    'entity_id', NEW.entity_id,
                    'action', NEW.action
                )::text
            );
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        """
        CREATE TRIGGER auditevent_notify AFTER INSERT ON auditevent
        FOR EACH ROW EXECUTE FUNCTION counter_tui_notify_audit()
        """
    )


def downgrade() -> None:
    if not _is_postgresql():
        return
    op.execute("DROP TRIGGER IF EXISTS auditevent_notify ON auditevent")
    op.execute("DROP FUNCTION IF EXISTS counter_tui_notify_audit()")
