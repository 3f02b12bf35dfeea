"""Approving and denying a hand-off, shared by the hand-offs screen and the lead review."""

from __future__ import annotations

from counter_tui.services import handoffs
from counter_tui.services.views import HandoffView
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.shop_access import ServiceCaller, done


def approve(where: ServiceCaller, request: HandoffView | None) -> None:
    """Approve `request`: the customer moves to the named colleague."""
    if request is None:
        where.app.notify("No pending hand-off highlighted.", markup=False)
        return
    where.call(
        handoffs.approve_handoff, where.ctx, where.actor, request.id, then=lambda _: done(where, "Approved.")
    )


def deny(where: ServiceCaller, request: HandoffView | None) -> None:
    """Deny `request` with a note the requester sees; the owner keeps the customer."""
    if request is None:
        where.app.notify("No pending hand-off highlighted.", markup=False)
        return

    def send(note: str | None) -> None:
        if note is not None:
            where.call(
                handoffs.deny_handoff,
                where.ctx,
                where.actor,
                request.id,
                note,
                then=lambda _: done(where, "Denied."),
            )

    where.app.push_screen(TextPromptDialog("Deny hand-off", "Why? (the requester sees this)"), send)
