"""The audit trail: one event per change, chained, and the chain's head."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel


class AuditEvent(SQLModel, table=True):
    """One change, written in the same transaction as the change itself.

    Each event is a link of the shop's audit chain: `chain_hash` covers the event (its
    details through `details_hash`) and `prev_hash`, the previous event's `chain_hash`.
    `redacted` marks details an erasure rewrote; the chain keeps their original hash and
    the erasure's `audit.redacted` event vouches for the new text.
    """

    __table_args__ = (Index("ix_auditevent_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    terminal: str = Field(default="", max_length=80)
    action: str = Field(max_length=60, index=True)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    details: str = Field(default="{}", max_length=4000)
    details_hash: str = Field(default="", max_length=64)
    prev_hash: str = Field(default="", max_length=64)
    chain_hash: str = Field(default="", max_length=64)
    redacted: bool = Field(default=False)


class AuditChainHead(SQLModel, table=True):
    """The end of the audit chain: the newest event's hash and how many events the chain
    holds. Appending locks this one row, so concurrent writers queue for the chain."""

    id: int = Field(default=1, primary_key=True)
    last_hash: str = Field(max_length=64)
    events: int = Field(default=0)


# Each visit's first claim, for the scorecard (migration 0017). The migration makes it a
# partial index on PostgreSQL too; a `postgresql_where` here would load SQLAlchemy's
# PostgreSQL dialect on every start, SQLite shops included (test_schema_version).
Index(
    "ix_auditevent_claims",
    AuditEvent.__table__.c.entity_id,  # type: ignore[attr-defined]
    AuditEvent.__table__.c.at,  # type: ignore[attr-defined]
    AuditEvent.__table__.c.actor_id,  # type: ignore[attr-defined]
    sqlite_where=text("action = 'visit.claimed'"),
)
