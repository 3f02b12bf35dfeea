"""Writes that must take turns: each kind waits for any other of its kind in progress to
commit, then reads what that one wrote (PostgreSQL advisory locks, released at COMMIT or
ROLLBACK). SQLite needs nothing: its `BEGIN IMMEDIATE` lets one writer in at a time."""

from __future__ import annotations

from enum import IntEnum

from sqlalchemy import text
from sqlmodel import Session


class Turn(IntEnum):
    """The kinds of write that take turns, as their advisory lock keys."""

    DAY_CLOSE = 0x0C105ED
    """Two closes check and write one after the other."""
    AUDIT_HEAD_RESTORE = 0x0C007E6
    """Two writers finding the audit chain's head row gone put it back once."""
    KIOSK_CHECK_IN = 0x0C4EC41
    """Two kiosks checking customers in at once quote two places in the queue."""


def one_at_a_time(session: Session, turn: Turn) -> None:
    """Wait until no other transaction of kind `turn` is in progress (PostgreSQL)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(turn)})
