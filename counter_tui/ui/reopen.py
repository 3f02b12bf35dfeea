"""Reopening an ended visit with a reason: the end-of-day list and the customer view
ask the same way."""

from __future__ import annotations

from counter_tui.services import reversals
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.safe_text import one_line
from counter_tui.ui.shop_access import ServiceCaller, done


def reopen_with_reason(where: ServiceCaller, visit_id: int, who: str) -> None:
    """Ask why, then put the visit back on the floor and say how it went; a refusal (ended
    on another day, reopened meanwhile) stays in the dialog with the reason typed."""
    ask(
        where,
        TextPromptDialog(f"Reopen the visit: {one_line(who, 30)}", "Why? (kept in the log)"),
        lambda actor, reason: reversals.reopen_visit(where.ctx, actor, visit_id, reason),
        then=lambda result: done(where, result.message),
    )
