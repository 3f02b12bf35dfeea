"""Which audit events to show: about a customer (part of their name), on a day, by a
staff member, of one action. Empty fields and "Anyone"/"Any action" do not filter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from counter_tui.errors import InvalidInput
from counter_tui.limits import LIMITS
from counter_tui.services.audit_views import AuditFilter
from counter_tui.services.staff import StaffSummary
from counter_tui.ui.dialogs.form import FormDialog, field_error
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.widgets.choice import ChoiceList

ANYONE = 0
ANY_ACTION = ""
DAY_WORDS = {"today": 0, "yesterday": -1}


class AuditFilterDialog(FormDialog[AuditFilter]):
    """Four filters in two columns (so it fits 80×24); Enter shows what they match."""

    ENTER_DOES = ("filters", "Filter")

    TITLE_TEXT = "Filter the audit log"
    FIELD_IDS: ClassVar[dict[str, str]] = {"day": "audit-day"}

    def __init__(
        self, current: AuditFilter, people: list[StaffSummary], actions: tuple[str, ...], today: date
    ) -> None:
        super().__init__()
        self.current = current
        self.people = people
        self.actions = actions
        self.today = today

    def fields(self) -> ComposeResult:
        day = self.current.day.isoformat() if self.current.day else ""
        yield Horizontal(
            Vertical(
                Label("Customer (part of the name)"),
                KeysInOrder(self.current.customer, max_length=LIMITS["search"].most, id="audit-customer"),
                Label("Staff member (arrows)"),
                ChoiceList(
                    [(ANYONE, "Anyone"), *((p.id, p.name) for p in self.people)],
                    value=self.current.staff_id or ANYONE,
                    id="audit-staff",
                ),
                classes="filter-column",
            ),
            Vertical(
                Label("Day (YYYY-MM-DD, today, yesterday)"),
                KeysInOrder(day, max_length=10, id="audit-day"),
                field_error("audit-day"),
                Label("Action (arrows)"),
                ChoiceList(
                    [(ANY_ACTION, "Any action"), *((a, a) for a in self.actions)],
                    value=self.current.action if self.current.action in self.actions else ANY_ACTION,
                    id="audit-action",
                ),
                classes="filter-column",
            ),
            id="audit-filters",
        )

    def on_mount(self) -> None:
        """Start in the customer box."""
        self.query_one("#audit-customer", Input).focus()

    def collect(self) -> AuditFilter:
        """The filters as typed and chosen; a day that is not a date is refused."""
        staff_id = self.query_one("#audit-staff", ChoiceList).value
        action = self.query_one("#audit-action", ChoiceList).value
        return AuditFilter(
            customer=self.query_one("#audit-customer", Input).value.strip(),
            staff_id=int(staff_id) if staff_id else None,
            action=str(action or ""),
            day=self._day(self.query_one("#audit-day", Input).value.strip().lower()),
        )

    def _day(self, typed: str) -> date | None:
        if not typed:
            return None
        if typed in DAY_WORDS:
            return self.today + timedelta(days=DAY_WORDS[typed])
        try:
            return date.fromisoformat(typed)
        except ValueError:
            raise InvalidInput(
                "Type the day as YYYY-MM-DD (e.g. 2026-11-27), today or yesterday; or leave it empty.",
                field="day",
            ) from None
