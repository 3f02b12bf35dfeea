"""Which shop days of visits to download (a lead, in a browser): from and to, both
included, this week (Monday to today) unless changed; a day that is not a date, or a
period that ends before it starts, is refused beside its field."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.errors import InvalidInput
from counter_tui.services.exports import Period
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.focus_keys import KeysInOrder

DAY_WORDS = {"today": 0, "yesterday": -1}


class ExportPeriodDialog(FormDialog[Period]):
    """Two days, YYYY-MM-DD (or today, yesterday); Enter downloads the visits between."""

    ENTER_DOES = ("downloads", "Download")

    TITLE_TEXT = "Download visits"
    #: The export service names the whole period when it ends before it starts.
    FIELD_IDS: ClassVar[dict[str, str]] = {"first": "export-from", "last": "export-to", "period": "export-to"}

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def fields(self) -> ComposeResult:
        monday = self.today - timedelta(days=self.today.weekday())
        yield Label("From (YYYY-MM-DD, today, yesterday)")
        yield KeysInOrder(monday.isoformat(), max_length=10, id="export-from")
        yield Label("To (both days included)")
        yield KeysInOrder(self.today.isoformat(), max_length=10, id="export-to")

    def on_mount(self) -> None:
        """Start in the first day."""
        self.query_one("#export-from", Input).focus()

    def collect(self) -> Period:
        """The two days as typed; a day that is not a date is refused beside it."""
        return Period(self._day("export-from", "first"), self._day("export-to", "last"))

    def _day(self, widget_id: str, field: str) -> date:
        typed = self.query_one(f"#{widget_id}", Input).value.strip().lower()
        if typed in DAY_WORDS:
            return self.today + timedelta(days=DAY_WORDS[typed])
        try:
            return date.fromisoformat(typed)
        except ValueError:
            raise InvalidInput(
                "Type the day as YYYY-MM-DD (e.g. 2026-11-27), today or yesterday.", field=field
            ) from None
