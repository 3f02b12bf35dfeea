"""What changed since a screen last looked: every change writes an audit event, so the
newest audit id is a change counter that works the same on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, select

from counter_tui.db.models import AuditEvent, DatabaseGeneration
from counter_tui.services.context import ShopContext


@dataclass(frozen=True)
class Change:
    """One committed change: what kind of thing, which one, and what was done; by whom
    when the feed knows (None when it does not: PostgreSQL's notifications do not say)."""

    event_id: int
    entity: str
    entity_id: int | None
    action: str
    actor_id: int | None = None


def latest_event_id(ctx: ShopContext) -> int:
    """The id of the newest audit event (0 for an empty database)."""
    with ctx.database.read() as session:
        newest = session.exec(select(func.max(AuditEvent.id))).one()
        return int(newest or 0)


def changes_since(ctx: ShopContext, event_id: int, limit: int = 500) -> list[Change]:
    """Changes committed after `event_id`, oldest first."""
    with ctx.database.read() as session:
        rows = session.exec(
            select(AuditEvent).where(col(AuditEvent.id) > event_id).order_by(col(AuditEvent.id)).limit(limit)
        )
        return [Change(row.id or 0, row.entity, row.entity_id, row.action, row.actor_id) for row in rows]


@dataclass(frozen=True)
class LogState:
    """Which copy of the data this is (changed by a restore) and its newest change."""

    generation: str
    newest: int


def log_state(ctx: ShopContext) -> LogState:
    """The database's generation and newest audit id, read together."""
    with ctx.database.read() as session:
        generation = session.exec(select(DatabaseGeneration.generation)).first()
        newest = session.exec(select(func.max(AuditEvent.id))).one()
        return LogState(generation or "", int(newest or 0))
