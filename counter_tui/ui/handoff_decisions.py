"""Pending hand-offs as the hand-offs screen and the lead review list them, and approving
and denying one, shared by both."""

from __future__ import annotations

from rich.text import Text

from counter_tui.services import handoffs
from counter_tui.services.context import ShopContext
from counter_tui.services.views import HandoffView
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.format import clock_time, duration
from counter_tui.ui.safe_text import one_line
from counter_tui.ui.shop_access import ServiceCaller, done
from counter_tui.ui.widgets.fitted_table import Col

PENDING_COLUMNS = (
    Col("asked", "Asked", 5),
    Col("waiting", "Waiting", 7, min_width=6, short="Wait"),
    Col("who", "Customer", 28, min_width=10),
    Col("from", "From", 14, min_width=6),
    Col("to", "To", 14, min_width=6),
    Col("reason", "Reason", 50, min_width=12, grow=True),
)


def pending_cells(ctx: ShopContext, request: HandoffView) -> list[Text]:
    """One pending request's cells under `PENDING_COLUMNS`."""
    return [
        Text(clock_time(ctx, request.requested_at)),
        Text(duration(request.requested_at, ctx.now()), style="bold"),
        Text(one_line(request.who)),
        Text(one_line(request.from_name)),
        Text(one_line(request.to_name)),
        Text(one_line(request.reason)),
    ]


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

    ask(
        where,
        TextPromptDialog("Deny hand-off", "Why? (the requester sees this)"),
        lambda actor, note: handoffs.deny_handoff(where.ctx, actor, request.id, note),
        then=lambda _: done(where, "Denied."),
    )
