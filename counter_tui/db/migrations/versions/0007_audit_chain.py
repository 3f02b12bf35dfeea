"""audit chain: each audit event hashed with the one before it; the chain head

Adds to `auditevent` the hash of its details, the previous event's hash, its own chain
hash and a `redacted` mark; a one-row `auditchainhead` table (the newest hash and the
number of events, the row writers lock to append); and an index on (entity, entity_id)
for the audit viewer's customer filter and for erasure finding a customer's events.

The upgrade chains the events already there, oldest first, so an upgraded shop verifies.
It holds its own copy of how hashes are made (rather than importing the app's services,
which will change later); `counter_tui.services.audit_chain` must make the same hashes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
BACKFILL_CHUNK = 5_000


def _details_digest(details: str) -> str:
    return hashlib.sha256(details.encode("utf-8")).hexdigest()


def _event_digest(prev_hash: str, row: sa.Row[tuple[object, ...]], details_hash: str) -> str:
    """The chain hash as the app made it at revision 0006 (chain version 1)."""
    at: datetime = row.at
    aware = at if at.utcoffset() is not None else at.replace(tzinfo=UTC)
    when = aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    fields = [1, prev_hash, when, row.actor_id, row.terminal, row.action, row.entity, row.entity_id]
    canonical = json.dumps([*fields, details_hash], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _backfill(connection: sa.Connection) -> tuple[str, int]:
    """Chain every existing event in id order; the newest hash and how many there are."""
    event = sa.table(
        "auditevent",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor_id", sa.Integer),
        sa.column("terminal", sa.String),
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.Integer),
        sa.column("details", sa.String),
        sa.column("details_hash", sa.String),
        sa.column("prev_hash", sa.String),
        sa.column("chain_hash", sa.String),
    )
    update = (
        sa.update(event)
        .where(event.c.id == sa.bindparam("event_id"))
        .values(
            details_hash=sa.bindparam("new_details_hash"),
            prev_hash=sa.bindparam("new_prev_hash"),
            chain_hash=sa.bindparam("new_chain_hash"),
        )
    )
    last_hash, count, last_id = GENESIS, 0, 0
    while True:
        rows = connection.execute(
            sa.select(event).where(event.c.id > last_id).order_by(event.c.id).limit(BACKFILL_CHUNK)
        ).all()
        if not rows:
            return last_hash, count
        changes = []
        for row in rows:
            details_hash = _details_digest(row.details)
            chain_hash = _event_digest(last_hash, row, details_hash)
            changes.append(
                {
                    "event_id": row.id,
                    "new_details_hash": details_hash,
                    "new_prev_hash": last_hash,
                    "new_chain_hash": chain_hash,
                }
            )
            last_hash = chain_hash
        connection.execute(update, changes)
        count += len(rows)
        last_id = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        for name in ("details_hash", "prev_hash", "chain_hash"):
            batch_op.add_column(sa.Column(name, sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("redacted", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index("ix_auditevent_entity", ["entity", "entity_id"], unique=False)
    head = op.create_table(
        "auditchainhead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    assert head is not None
    last_hash, count = _backfill(op.get_bind())
    op.get_bind().execute(sa.insert(head).values(id=1, last_hash=last_hash, events=count))


def downgrade() -> None:
    op.drop_table("auditchainhead")
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.drop_index("ix_auditevent_entity")
        for name in ("redacted", "chain_hash", "prev_hash", "details_hash"):
            batch_op.drop_column(name)
