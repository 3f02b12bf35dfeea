"""Reopening an ended visit with a reason: the end-of-day list and the customer view
ask the same way."""

from __future__ import annotations

from counter_tui.services import reversals
from counter_tui.services.closing_views import ReopenResult
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.safe_text import one_line
from counter_tui.ui.shop_access import ServiceCaller, done


def reopen_with_reason(where: ServiceCaller, visit_id: int, who: str) -> None:
    """Ask why, then put the visit back on the floor and say how it went."""

    def reopen(reason: str | None) -> None:
        if reason is not None:
            where.call(reversals.reopen_visit, where.ctx, where.actor, visit_id, reason, then=reopened)

    def reopened(result: ReopenResult) -> None:
        done(where, result.message)

    where.app.push_screen(
        TextPromptDialog(f"Reopen the visit: {one_line(who, 30)}", "Why? (kept in the log)", limit="reason"),
        reopen,
    )
