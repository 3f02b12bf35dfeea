"""Signing out, and closing the staff app: nobody leaves the counter still owning
customers in the shop, and a shared terminal closes only with a shift lead's PIN.

Sign-ins are recorded as audit events: `staff.signed_in` when a PIN opens the app,
`staff.signed_out` or `terminal.closed` when it is left, `terminal.stopped` when the
system stopped the app (at shutdown, or its window closed) or it ended on an error. Who
is signed in now is kept per running app (`terminal_sessions`): several apps may share a
terminal name, and each is its own terminal (`signed_in_terminals`). A running app beats
(`heartbeat`) so that one that crashed stops counting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from counter_tui.services import audit, staff, terminal_sessions
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.visit_views import check_can_sign_out

SIGNED_IN = terminal_sessions.SIGNED_IN
SIGNED_OUT = "staff.signed_out"
TERMINAL_CLOSED = terminal_sessions.TERMINAL_CLOSED
TERMINAL_STOPPED = "terminal.stopped"
HEARTBEAT_SECONDS = terminal_sessions.HEARTBEAT_SECONDS


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
        terminal_sessions.take_off(session, ctx)


def close_terminal(ctx: ShopContext, lead_id: int, pin: str) -> Actor:
    """Allow the staff app on this terminal to close, with a shift lead's PIN (wrong PINs
    count towards that lead's lockout here); audited as `terminal.closed`."""
    return staff.sign_in(ctx, lead_id, pin, allowing=Action.CLOSE_STAFF_APP, success_action=TERMINAL_CLOSED)


def heartbeat(ctx: ShopContext, staff_id: int | None) -> None:
    """This app is still running, with `staff_id` signed in at it (its screen may be locked
    on them) or nobody; every `HEARTBEAT_SECONDS`. The PIN checked the person when they
    signed in; a beat only keeps (or, after a restore, puts back) what this app knows."""
    with ctx.database.write() as session:
        terminal_sessions.beat(session, ctx, staff_id)


def signed_in_terminals(ctx: ShopContext) -> list[SignedIn]:
    """Everyone signed in at a running app now (a locked screen still counts: its owner
    comes back to it), by terminal name; two apps with one name are two entries."""
    with ctx.database.read() as session:
        rows = terminal_sessions.signed_in_rows(session, ctx.now())
        return [SignedIn(terminal, name, since or ctx.now()) for terminal, name, since, _staff_id in rows]


class StoppedBy(StrEnum):
    """What ended a staff app that no lead closed, as the audit log says it."""

    ENDED = "ended"
    """It ended by itself (an error, or the terminal's input closed)."""
    SIGTERM = "SIGTERM"
    """The computer asked it to stop (a shutdown, a service manager)."""
    SIGHUP = "SIGHUP"
    """Its window or connection closed."""


def app_stopped(ctx: ShopContext, how: StoppedBy) -> None:
    """This app ends without a lead having closed it (`how`: what stopped it): it leaves
    the list of running apps at once, rather than counting as a terminal in use until its
    beats are missed, audited with who was signed in at it. Nothing when a lead closed it
    (its row went then)."""
    with ctx.database.write() as session:
        gone = terminal_sessions.forget_this_app(session, ctx)
        if gone:
            audit.record(
                session, ctx, None, TERMINAL_STOPPED, "terminal", None, how=how.value, signed_in=gone[0]
            )
