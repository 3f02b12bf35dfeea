"""Signing out: nobody leaves the counter still owning customers in the shop."""

from __future__ import annotations

from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext, load_staff_actor
from counter_tui.services.visits import check_can_sign_out


def sign_out(ctx: ShopContext, actor: Actor) -> None:
    """Sign out, or refuse with the customers to hand off or end first."""
    check_can_sign_out(ctx, actor)
    with ctx.database.write() as session:
        load_staff_actor(session, actor)
        audit.record(session, ctx, actor, "staff.signed_out", "staff", actor.staff_id)
