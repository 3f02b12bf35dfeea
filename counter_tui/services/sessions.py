"""Signing out, and closing the staff app: nobody leaves the counter still owning
customers in the shop, and a shared terminal closes only with a shift lead's PIN.

Sign-ins are recorded as audit events, one terminal at a time: `staff.signed_in` when a
PIN opens the app, `staff.signed_out` or `terminal.closed` when it is left. So the
latest of these per terminal says who is signed in where (`signed_in_terminals`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select

from counter_tui.db.models import AuditEvent, Staff
from counter_tui.services import audit, staff
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.visit_views import check_can_sign_out

SIGNED_IN = "staff.signed_in"
SIGNED_OUT = "staff.signed_out"
TERMINAL_CLOSED = "terminal.closed"


@dataclass(frozen=True)
class SignedIn:
    """Someone signed in at a terminal, and since when (UTC)."""

    terminal: str
    name: str
    since: datetime

    def describe(self, ctx: ShopContext) -> str:
        """e.g. "Sam at till-1 since 10:42"."""
        return f"{self.name} at {self.terminal} since {ctx.calendar.local(self.since).format('HH:mm D MMM')}"


def sign_out(ctx: ShopContext, actor: Actor) -> None:
    """Sign out, or refuse with the customers to hand off or end first."""
    check_can_sign_out(ctx, actor)
    with ctx.database.write() as session:
        require(session, actor, Action.SIGN_OUT)
        audit.record(session, ctx, actor, SIGNED_OUT, "staff", actor.staff_id)


def close_terminal(ctx: ShopContext, lead_id: int, pin: str) -> Actor:
    """Allow the staff app on this terminal to close, with a shift lead's PIN (wrong PINs
    count towards that lead's lockout here); audited as `terminal.closed`."""
    return staff.sign_in(ctx, lead_id, pin, allowing=Action.CLOSE_STAFF_APP, success_action=TERMINAL_CLOSED)


def signed_in_terminals(ctx: ShopContext) -> list[SignedIn]:
    """The terminals whose latest sign-in was not followed by a sign-out or a close (a
    locked screen still counts: its owner comes back to it), by terminal name."""
    moves = (SIGNED_IN, SIGNED_OUT, TERMINAL_CLOSED)
    with ctx.database.read() as session:
        latest = (
            select(func.max(AuditEvent.id))
            .where(col(AuditEvent.action).in_(moves))
            .group_by(col(AuditEvent.terminal))
        )
        rows = session.exec(
            select(AuditEvent.terminal, Staff.name, AuditEvent.at)
            .join(Staff, col(Staff.id) == col(AuditEvent.actor_id))
            .where(col(AuditEvent.id).in_(latest), col(AuditEvent.action) == SIGNED_IN)
            .order_by(col(AuditEvent.terminal))
        )
        return [SignedIn(terminal, name, at) for terminal, name, at in rows]
