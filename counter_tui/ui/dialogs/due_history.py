"""A follow-up's due history, read-only: first due, due now, and each snooze or
reschedule with its reason and who made it; opened from My follow-ups and the lead's
follow-up oversight."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from counter_tui.services.context import ShopContext
from counter_tui.services.due_history import DueHistory, followup_due_history
from counter_tui.ui.dialogs.form import ReadOnlyDialog
from counter_tui.ui.format import day_and_time
from counter_tui.ui.safe_text import line, one_line, plain
from counter_tui.ui.shop_access import ServiceCaller


def history_lines(ctx: ShopContext, history: DueHistory) -> list[str]:
    """The history as lines of plain text, oldest first."""
    lines = [f"First due: {day_and_time(ctx, history.original_due_at)}"]
    for move in history.moves:
        lines.append(
            f"{day_and_time(ctx, move.moved_at)}  {one_line(move.moved_by, 20)} moved it "
            f"{day_and_time(ctx, move.from_due_at)} → {day_and_time(ctx, move.to_due_at)}: "
            f"{one_line(move.reason, 80)}"
        )
    if not history.moves:
        lines.append("Never moved.")
    lines.append(f"Due now: {day_and_time(ctx, history.due_at)}")
    return lines


class DueHistoryDialog(ReadOnlyDialog):
    """Read-only: Enter or Esc goes back, on the same row."""

    TITLE_TEXT = "Due history"

    def __init__(self, ctx: ShopContext, history: DueHistory) -> None:
        super().__init__()
        self._ctx = ctx
        self._history = history

    def fields(self) -> ComposeResult:
        history = self._history
        yield Static(
            line(f"{history.kind_label} for {one_line(history.customer_name, 40)}: {history.summary}", 76),
            id="due-what",
        )
        for index, text in enumerate(history_lines(self._ctx, history)):
            yield Static(plain(text), id=f"due-line-{index}", classes="due-line")


def show_due_history(where: ServiceCaller, followup_id: int) -> None:
    """Fetch the follow-up's due history and show it."""

    def shown(history: DueHistory) -> None:
        where.app.push_screen(DueHistoryDialog(where.ctx, history))

    where.call(followup_due_history, where.ctx, where.actor, followup_id, then=shown)
