"""An audit history written before the audit chain existed (revision 0006), for the tests
that upgrade it on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from counter_tui.db.engine import Database

EVENTS = 30
BEFORE_THE_CHAIN = "0006"

_staff = sa.table(
    "staff",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("role", sa.String),
    sa.column("pin_hash", sa.String),
    sa.column("active", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
_event = sa.table(
    "auditevent",
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer),
    sa.column("terminal", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("details", sa.String),
)


def write_old_history(database: Database) -> None:
    """A lead and `EVENTS` events as revision 0006 stored them: names with accents and
    markup, a kiosk event without an actor, times with and without microseconds."""
    start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    with database.write() as session:
        connection = session.connection()
        connection.execute(
            sa.insert(_staff).values(
                id=1, name="Dana", role="lead", pin_hash="x", active=True, created_at=start
            )
        )
        rows = [
            {
                "at": start + timedelta(minutes=number, microseconds=number * 7919 if number % 2 else 0),
                "actor_id": None if number % 5 == 0 else 1,
                "terminal": "till-2" if number % 3 else "door",
                "action": "customer.created" if number % 4 == 0 else "visit.claimed",
                "entity": "customer" if number % 4 == 0 else "visit",
                "entity_id": number,
                "details": json.dumps({"name": f"Renée [/] Ødegård {number}"}, ensure_ascii=False),
            }
            for number in range(EVENTS)
        ]
        connection.execute(sa.insert(_event), rows)
