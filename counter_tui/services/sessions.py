"""Signing out, and closing the staff app: nobody leaves the counter still owning
customers in the shop, and a shared terminal closes only with a shift lead's PIN."""

from __future__ import annotations

from counter_tui.services import audit, staff
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.visits import check_can_sign_out


def sign_out(ctx: ShopContext, actor: Actor) -> None:
    """Sign out, or refuse with the customers to hand off or end first."""
    check_can_sign_out(ctx, actor)
    with ctx.database.write() as session:
        require(session, actor, Action.SIGN_OUT)
        audit.record(session, ctx, actor, "staff.signed_out", "staff", actor.staff_id)


def close_terminal(ctx: ShopContext, lead_id: int, pin: str) -> Actor:
    """Allow the staff app on this terminal to close, with a shift lead's PIN (wrong PINs
    count towards that lead's lockout here); audited as `terminal.closed`."""
    return staff.sign_in(ctx, lead_id, pin, allowing=Action.CLOSE_STAFF_APP, success_action="terminal.closed")
