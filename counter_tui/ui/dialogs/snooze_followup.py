"""Snooze or reschedule a follow-up: the new due time, typed, and the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label, Static

from counter_tui.services.calendar import StoreCalendar
from counter_tui.ui.dialogs.followup_forms import understood_due
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.focus_keys import KeysInOrder


@dataclass(frozen=True)
class SnoozeRequest:
    """The due time as typed ("tomorrow 17:00", "fri", "in 2 working hours"; empty for the
    next open day's close) and why."""

    due_text: str
    reason: str


class SnoozeDialog(FormDialog[SnoozeRequest]):
    """Move a follow-up to a later time, showing the time understood as you type; the
    service reads the time and refuses one already passed or a missing reason."""

    TITLE_TEXT = "Snooze follow-up"

    def __init__(self, calendar: StoreCalendar, now: datetime, about: str = "") -> None:
        super().__init__()
        if about:  # which follow-up, so nobody snoozes another by mistake
            self.TITLE_TEXT = f"Snooze the {about}"
        self._calendar = calendar
        self._now = now

    def fields(self) -> ComposeResult:
        yield Label("Until when? e.g. 'tomorrow 12:00', 'fri', 'in 2 working hours'")
        yield KeysInOrder(placeholder="next open day", id="due", max_length=40)
        yield Static(understood_due("", self._calendar, self._now), id="due-understood")
        yield Label("Why? (e.g. 'part arrives Thursday')")
        yield KeysInOrder(id="reason")

    @on(Input.Changed, "#due")
    def _due_typed(self, event: Input.Changed) -> None:
        self.query_one("#due-understood", Static).update(
            understood_due(event.value, self._calendar, self._now)
        )

    def collect(self) -> SnoozeRequest:
        return SnoozeRequest(self.query_one("#due", Input).value, self.query_one("#reason", Input).value)
