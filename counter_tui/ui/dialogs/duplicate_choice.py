"""When the person being put on file looks like a customer already there: link the walk-in
to them (or, from find, open their record), or create a new customer anyway; and when a
record's phone or email is corrected to another customer's, open theirs or save anyway.
Esc goes back to the form with everything typed."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.widgets import Label

from counter_tui.errors import InvalidInput
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.duplicates import DuplicateCandidate
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.safe_text import one_line, plain
from counter_tui.ui.widgets.choice import ChoiceList

CREATE_ANYWAY = 0


def link_label(
    candidate: DuplicateCandidate, calendar: StoreCalendar, today: date, verb: str = "Link to"
) -> str:
    """ "Link to Priya Shah (07700 900456, on file since March)" (or another `verb`)."""
    since = calendar.local(candidate.on_file_since)
    month = since.format("MMMM") if since.year == today.year else since.format("MMMM YYYY")
    matched = candidate.phone if candidate.same_phone else candidate.email
    return f"{verb} {one_line(candidate.name, 40)} ({one_line(matched, 40)}, on file since {month})"


class DuplicateChoiceDialog(FormDialog[int]):
    """Pick the customer on file (to link the visit to, or to open), or create a new
    customer anyway; the value is that customer's id, or CREATE_ANYWAY."""

    TITLE_TEXT = "Already on file?"

    def __init__(
        self, message: str, links: list[tuple[int, str]], anyway: str = "create a new customer anyway"
    ) -> None:
        super().__init__()
        self._message = message
        self._links = links
        self._anyway = anyway

    def fields(self) -> ComposeResult:
        yield Label(plain(self._message))
        choices = [*self._links, (CREATE_ANYWAY, self._anyway.capitalize())]
        yield ChoiceList(choices, id="duplicate")

    def collect(self) -> int:
        value = self.query_one("#duplicate", ChoiceList).value
        if value is None:
            raise InvalidInput(
                f"Choose the customer on file, or {self._anyway} (↑↓, then Enter).", field="duplicate"
            )
        return int(value)
