"""Who's looking: which other staff have the same customer open right now.

The customer screen calls `touch` every few seconds while a visit is open and `leave`
when it closes; `lookers` names the colleagues whose heartbeat is recent, so two people
don't walk up to the same customer.

Heartbeats write no audit event. The audit log records changes a person made to the
shop's data (a claim, a need, a hand-off); a heartbeat every few seconds from every
open screen is not one, and logging it would bury those changes under noise and grow
the log without bound. Other terminals still hear about it: on PostgreSQL a trigger
sends a NOTIFY when someone starts or stops looking (not on a plain heartbeat), and on
SQLite every commit bumps the file's change counter, which the feed compares against
the set of lookers it saw last time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from counter_tui.db.dialects import own_dialect
from counter_tui.db.models import Presence, Staff
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.visits import load_visit

LOOKING_WINDOW = timedelta(seconds=15)
"""A heartbeat older than this no longer counts: the terminal closed or lost its screen."""
FORGET_AFTER = timedelta(hours=1)
"""Rows this stale are deleted when someone starts looking, to keep the table small."""


def touch(ctx: ShopContext, actor: Actor, visit_id: int) -> None:
    """Record that the actor has this visit open now (call every few seconds)."""
    now = ctx.now()
    with ctx.database.write() as session:
        staff = require(session, actor, Action.VIEW)
        assert staff.id is not None
        heartbeat = session.connection().execute(
            update(Presence)
            .where(
                col(Presence.visit_id) == visit_id,
                col(Presence.staff_id) == staff.id,
                col(Presence.seen_at) >= now - LOOKING_WINDOW,
            )
            .values(seen_at=now)
        )
        if heartbeat.rowcount == 1:
            return
        load_visit(session, visit_id)
        session.connection().execute(delete(Presence).where(col(Presence.seen_at) < now - FORGET_AFTER))
        _arrive(session, visit_id, staff.id, now)


def _arrive(session: Session, visit_id: int, staff_id: int, now: datetime) -> None:
    """Insert or revive the row, moving `opened_at` so PostgreSQL notifies listeners."""
    dialect = own_dialect(session)
    values = {"visit_id": visit_id, "staff_id": staff_id, "opened_at": now, "seen_at": now}
    statement = dialect.insert(Presence).values(**values)
    session.connection().execute(
        statement.on_conflict_do_update(
            index_elements=["visit_id", "staff_id"],
            set_={"opened_at": now, "seen_at": now},
        )
    )


def leave(ctx: ShopContext, actor: Actor, visit_id: int) -> None:
    """Record that the actor closed this visit's screen."""
    with ctx.database.write() as session:
        staff = require(session, actor, Action.VIEW)
        session.connection().execute(
            delete(Presence).where(col(Presence.visit_id) == visit_id, col(Presence.staff_id) == staff.id)
        )


def lookers(ctx: ShopContext, actor: Actor, visit_id: int) -> list[str]:
    """Names of the other staff with this visit open now, who came first first."""
    with ctx.database.read() as session:
        staff = require(session, actor, Action.VIEW)
        rows = session.exec(
            select(Staff.name)
            .join(Presence, col(Presence.staff_id) == col(Staff.id))
            .where(
                col(Presence.visit_id) == visit_id,
                col(Presence.staff_id) != staff.id,
                col(Presence.seen_at) >= ctx.now() - LOOKING_WINDOW,
            )
            .order_by(col(Presence.opened_at), col(Staff.name))
        )
        return list(rows)


def fresh_lookers(ctx: ShopContext) -> frozenset[tuple[int, int]]:
    """Every (visit id, staff id) pair looking right now; the SQLite feed diffs these."""
    with ctx.database.read() as session:
        rows = session.exec(
            select(Presence.visit_id, Presence.staff_id).where(
                col(Presence.seen_at) >= ctx.now() - LOOKING_WINDOW
            )
        )
        return frozenset((visit_id, staff_id) for visit_id, staff_id in rows)
