"""One audit event in full, for screens too narrow to show its action and details in the
table: when, who, where, what, about what, and every detail wrapped as plain text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from counter_tui.services.audit_views import AuditEntry
from counter_tui.ui.dialogs.form import ReadOnlyDialog
from counter_tui.ui.safe_text import plain

REDACTED = "redacted (erased customer)"


class AuditEventDialog(ReadOnlyDialog):
    """Read-only: Enter or Esc goes back to the log, on the same row."""

    TITLE_TEXT = "Audit event"

    def __init__(self, entry: AuditEntry, when: str) -> None:
        super().__init__()
        self._entry = entry
        self._when = when

    def fields(self) -> ComposeResult:
        entry = self._entry
        yield Static(plain(f"When: {self._when}"), id="event-when")
        yield Static(plain(f"Staff: {entry.staff_name or '—'}"), id="event-staff")
        yield Static(plain(f"Terminal: {entry.terminal or '—'}"), id="event-terminal")
        yield Static(plain(f"Action: {entry.action}"), id="event-action")
        yield Static(plain(f"About: {entry.about_in_full}"), id="event-about")
        if entry.redacted or not entry.detail_lines:
            yield Static(plain(f"Details: {REDACTED if entry.redacted else '—'}"), id="event-details")
            return
        yield Static("Details:", id="event-details")
        yield VerticalScroll(  # a long event scrolls with the arrows instead of being cut
            *(
                Static(plain(text), classes="event-detail", id=f"event-detail-{number}")
                for number, text in enumerate(entry.detail_lines)
            ),
            id="event-detail-lines",
        )
