"""Wrong-PIN lockouts that hold under parallel guesses.

Every PIN attempt is counted *before* the PIN is checked, in one short write transaction
that locks the guard row (`SELECT … FOR UPDATE` on PostgreSQL; `BEGIN IMMEDIATE` already
serialises writers on SQLite). So twelve guesses arriving together are counted one after
another: the first `limit` may go on to the (slow, argon2) check, which runs after that
transaction has committed; the rest are refused unchecked. A right PIN then forgets the
count in a second short transaction.

A guard is kept per subject (one staff member's PIN, or a kiosk's unlock) and terminal,
so guessing at one terminal locks only that terminal. The state lives in its own table,
not in the audit log: deleting audit rows does not lift a lockout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from counter_tui.db.dialects import own_dialect
from counter_tui.db.models import PinGuard

KIOSK_UNLOCK = "kiosk-unlock"
"""The subject of a kiosk's unlock prompt (any lead's PIN opens it)."""
TERMINAL_MAX = 80


@dataclass(frozen=True)
class Limits:
    """`attempts` wrong PINs within `window` lock the subject out at that terminal for `window`."""

    attempts: int
    window: timedelta

    @property
    def minutes(self) -> int:
        """How long a lockout lasts, in whole minutes (at least 1)."""
        return max(1, math.ceil(self.window.total_seconds() / 60))


@dataclass(frozen=True)
class Attempt:
    """The outcome of counting one attempt: allowed (maybe the last one), or refused until a moment."""

    locked_until: datetime | None
    last_allowed: bool = False

    @property
    def refused(self) -> bool:
        """Locked out: the PIN must not even be checked."""
        return self.locked_until is not None

    def minutes_left(self, now: datetime) -> int:
        """Whole minutes until the lockout ends (at least 1 while refused)."""
        if self.locked_until is None:
            return 0
        return max(1, math.ceil((self.locked_until - now).total_seconds() / 60))


def staff_subject(staff_id: int) -> str:
    """The subject of a staff member's own PIN."""
    return f"staff:{staff_id}"


def _terminal(terminal: str) -> str:
    return terminal[:TERMINAL_MAX]


def count_attempt(session: Session, now: datetime, subject: str, terminal: str, limits: Limits) -> Attempt:
    """Count one attempt at `terminal` before its PIN is checked, or refuse it (uncounted)
    while locked out. Call inside a write transaction, and check the PIN after it commits."""
    terminal = _terminal(terminal)
    dialect = own_dialect(session)
    session.connection().execute(
        dialect.insert(PinGuard)
        .values(subject=subject, terminal=terminal, attempts=0, window_started_at=now)
        .on_conflict_do_nothing(index_elements=["subject", "terminal"])
    )
    guard = session.exec(
        select(PinGuard)
        .where(PinGuard.subject == subject, PinGuard.terminal == terminal)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if guard.locked_until is not None and guard.locked_until > now:
        return Attempt(locked_until=guard.locked_until)
    if guard.locked_until is not None or guard.window_started_at <= now - limits.window:
        guard.attempts, guard.window_started_at, guard.locked_until = 0, now, None
    guard.attempts += 1
    last_allowed = guard.attempts >= limits.attempts
    if last_allowed:
        guard.locked_until = now + limits.window
    session.add(guard)
    return Attempt(locked_until=None, last_allowed=last_allowed)


def forget(session: Session, subject: str, terminal: str) -> None:
    """A right PIN at `terminal`: its earlier wrong attempts no longer count."""
    session.connection().execute(
        delete(PinGuard).where(
            col(PinGuard.subject) == subject, col(PinGuard.terminal) == _terminal(terminal)
        )
    )


def locked_terminals(session: Session, now: datetime, subject: str) -> list[str]:
    """The terminals where `subject` is locked out now, by name."""
    return list(
        session.exec(
            select(PinGuard.terminal)
            .where(PinGuard.subject == subject, col(PinGuard.locked_until) > now)
            .order_by(PinGuard.terminal)
        )
    )


def all_locked(session: Session, now: datetime) -> dict[str, list[str]]:
    """Every subject locked out somewhere now, with the terminals, by subject."""
    locked: dict[str, list[str]] = {}
    for subject, terminal in session.exec(
        select(PinGuard.subject, PinGuard.terminal)
        .where(col(PinGuard.locked_until) > now)
        .order_by(PinGuard.subject, PinGuard.terminal)
    ):
        locked.setdefault(subject, []).append(terminal)
    return locked


def clear(session: Session, now: datetime, subject: str) -> list[str]:
    """Lift `subject`'s lockouts and forget its wrong attempts at every terminal; returns
    the terminals where it was locked out."""
    was_locked = locked_terminals(session, now, subject)
    session.connection().execute(delete(PinGuard).where(col(PinGuard.subject) == subject))
    return was_locked
