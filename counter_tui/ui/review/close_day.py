"""Closing the day, confirmed: how many visits it ends and whose, and why when early."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Label, Static

from counter_tui.errors import InvalidInput
from counter_tui.services.closing_views import ClosePreview, handoffs_said
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.format import clock_time
from counter_tui.ui.safe_text import clean, compose, one_line
from counter_tui.ui.tones import URGENT, tone

SMALLEST_ROOM = 4
"""Lines the lists of visits and hand-offs take on a 24-row terminal, where the title and
the reason field must fit beside them (with their headings and "… and n more")."""
MOST_ROOM = 16
"""The most lines they take, however tall the terminal."""


def list_room(height: int) -> int:
    """Lines for the lists on a terminal `height` rows tall: one more for each row past 24."""
    return max(SMALLEST_ROOM, min(MOST_ROOM, SMALLEST_ROOM + height - 24))


def handoffs_listed(handoffs: int, room: int) -> int:
    """How many hand-off requests the dialog names: a quarter of the room, at least one."""
    return min(handoffs, max(1, room // 4))


def visits_listed(visits: int, handoffs: int, room: int) -> int:
    """How many of the visits the dialog names: the hand-off lines take the room of some,
    so the whole list (visits, hand-offs, their "… and n more") stays within `room` lines."""
    named = handoffs_listed(handoffs, room)
    handoff_lines = (1 + named + (handoffs > named)) if handoffs else 0
    left = room - handoff_lines
    return visits if visits <= left else max(0, left - 1)


class CloseDayDialog(FormDialog[str]):
    """Ask before ending every open visit as left at close; returns the reason (empty
    after closing time, when none is needed), or None when cancelled. The close is
    checked against `preview` (what the dialog shows); `show_preview` shows a newer one."""

    ENTER_DOES = ("closes the day", "Close day")

    TITLE_TEXT = "Close the day now?"

    def __init__(self, ctx: ShopContext, preview: ClosePreview) -> None:
        super().__init__()
        self.ctx = ctx
        self.preview = preview
        self.closes = clock_time(ctx, preview.closes_at)

    def fields(self) -> ComposeResult:
        yield Static(self._summary(), id="close-summary")
        yield Label(self._asked(), id="close-asked")
        yield KeysInOrder(id="answer")

    def show_preview(self, preview: ClosePreview) -> None:
        """Show what closing the day would do now (after a refusal said what changed), the
        reason typed so far kept; the next Enter closes this."""
        self.preview = preview
        self.closes = clock_time(self.ctx, preview.closes_at)
        self.query_one("#close-summary", Static).update(self._summary())
        self.query_one("#close-asked", Label).update(self._asked())

    def _asked(self) -> Text:
        if self.preview.early:
            return compose("Why close before $closes? (kept in the log)", closes=self.closes)
        return compose("Reason for the log (optional)")

    def _summary(self) -> Text:
        preview = self.preview
        text = Text()
        if preview.early:
            text.append(clean(f"{preview.hours_said}\n"), style=tone(URGENT))
        if preview.visits:
            text.append(clean(f"This ends {preview.summary()}"), style="bold")
            text.append(" as 'left at close', flagged for review:\n")
            room = list_room(self.app.size.height)
            listed = visits_listed(len(preview.visits), len(preview.handoffs), room)
            for visit in preview.visits[:listed]:
                text.append(f"  • {one_line(visit.who, 30)} ({one_line(visit.owner_name or 'nobody', 14)})\n")
            if len(preview.visits) > listed:
                text.append(clean(f"  … and {len(preview.visits) - listed} more\n"), style="dim")
            if preview.handoffs:
                text.append(clean(f"It cancels {handoffs_said(len(preview.handoffs))}:\n"), style="bold")
                named = handoffs_listed(len(preview.handoffs), room)
                for handoff in preview.handoffs[:named]:
                    names = f"{one_line(handoff.from_name, 14)} → {one_line(handoff.to_name, 14)}"
                    text.append(f"  • {one_line(handoff.who, 30)}: {names}\n")
                if len(preview.handoffs) > named:
                    text.append(clean(f"  … and {len(preview.handoffs) - named} more\n"), style="dim")
            text.append("A shift lead can undo it today (u on this tab).", style="dim")
        else:
            text.append("Nobody is in the shop; this only records that the day is closed.")
        return text

    def collect(self) -> str:
        reason = self.query_one("#answer", Input).value.strip()
        if self.preview.early and not reason:
            raise InvalidInput(f"Say why the day closes before {self.closes}, or Esc to keep it open.")
        return reason
