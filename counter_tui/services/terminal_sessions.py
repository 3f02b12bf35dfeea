"""Who is signed in at which running staff app: one `TerminalSession` row per app (its
`ShopContext.session_id`, new each start), so two apps sharing a terminal name ("counter"
on one computer) are two terminals, each with its own person.

A sign-in puts its person on the app's row, a sign-out takes them off, closing the app
(with a lead's PIN) removes the row, all in the transaction of their audit event. A
running app beats every `HEARTBEAT_SECONDS` (`sessions.heartbeat`), locked or not; a row
not seen for `SIGNED_IN_WINDOW` belongs to an app that crashed, was killed or lost its
database, and no longer counts as anyone signed in (it is back at its next beat). The
audit events stay the history; this table is the present.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from counter_tui.db.dialects import own_dialect
from counter_tui.db.models import Staff, TerminalSession
from counter_tui.services.context import ShopContext

HEARTBEAT_SECONDS = 30
"""How often a running staff app says it is still there."""
SIGNED_IN_WINDOW = timedelta(seconds=4 * HEARTBEAT_SECONDS)
"""An app not heard from for this long (four missed beats) no longer counts."""
FORGET_AFTER = timedelta(days=1)
"""Rows this stale are deleted at the next sign-in, to keep the table small."""

SIGNED_IN = "staff.signed_in"
TERMINAL_CLOSED = "terminal.closed"


def follow_sign_in(session: Session, ctx: ShopContext, action: str, staff_id: int) -> None:
    """Inside the transaction of a right PIN's audit event `action`: a sign-in puts
    `staff_id` on this app's row; closing the app removes the row."""
    if action == SIGNED_IN:
        now = ctx.now()
        session.connection().execute(
            delete(TerminalSession).where(col(TerminalSession.seen_at) < now - FORGET_AFTER)
        )
        _put(session, ctx, staff_id, now)
    elif action == TERMINAL_CLOSED:
        forget_this_app(session, ctx)


def take_off(session: Session, ctx: ShopContext) -> None:
    """Nobody is signed in at this app any more (it stays open)."""
    session.connection().execute(
        update(TerminalSession)
        .where(col(TerminalSession.session_id) == ctx.session_id)
        .values(staff_id=None, signed_in_at=None, seen_at=ctx.now())
    )


def forget_this_app(session: Session, ctx: ShopContext) -> tuple[int | None, ...]:
    """This app closes: its row goes. Who was on it (nothing when it had no row)."""
    gone = session.connection().execute(
        delete(TerminalSession)
        .where(col(TerminalSession.session_id) == ctx.session_id)
        .returning(col(TerminalSession.staff_id))
    )
    return tuple(gone.scalars())


def beat(session: Session, ctx: ShopContext, staff_id: int | None) -> None:
    """This app is still running, with `staff_id` signed in (or its screen locked on them),
    or nobody: keep its row fresh, or put it back as it is (after a restore or a purge)."""
    now = ctx.now()
    if staff_id is None:
        take_off(session, ctx)
        return
    fresh = session.connection().execute(
        update(TerminalSession)
        .where(col(TerminalSession.session_id) == ctx.session_id, col(TerminalSession.staff_id) == staff_id)
        .values(seen_at=now, terminal=ctx.terminal)
    )
    if fresh.rowcount != 1:
        _put(session, ctx, staff_id, now)


def _put(session: Session, ctx: ShopContext, staff_id: int, now: datetime) -> None:
    values = {
        "session_id": ctx.session_id,
        "terminal": ctx.terminal,
        "staff_id": staff_id,
        "signed_in_at": now,
        "seen_at": now,
    }
    statement = own_dialect(session).insert(TerminalSession).values(**values)
    session.connection().execute(
        statement.on_conflict_do_update(
            index_elements=["session_id"],
            set_={key: value for key, value in values.items() if key != "session_id"},
        )
    )


def signed_in_rows(session: Session, now: datetime) -> list[tuple[str, str, datetime | None, int | None]]:
    """(terminal, name, signed in at, staff id) of every app someone is signed in at now,
    by terminal name and then who signed in first."""
    rows = session.exec(
        select(TerminalSession.terminal, Staff.name, TerminalSession.signed_in_at, Staff.id)
        .join(Staff, col(Staff.id) == col(TerminalSession.staff_id))
        .where(
            col(TerminalSession.staff_id).is_not(None),
            col(TerminalSession.seen_at) >= now - SIGNED_IN_WINDOW,
        )
        .order_by(col(TerminalSession.terminal), col(TerminalSession.signed_in_at), col(Staff.name))
    )
    return list(rows)


def signed_in_staff(session: Session, now: datetime) -> list[tuple[int, datetime]]:
    """(staff id, signed in at) of everyone signed in at a running app now."""
    return [
        (staff_id, at or now)
        for _terminal, _name, at, staff_id in signed_in_rows(session, now)
        if staff_id is not None
    ]
