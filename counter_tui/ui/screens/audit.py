"""The audit log for shift leads: every recorded change, newest first, a page at a time,
filtered by customer, staff member, action and day (f); Enter shows one event in full.
Reached with l from the review.

Details are shown as plain text, never markup; an event an erasure rewrote shows as
"redacted"."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from counter_tui.services import audit_views, staff
from counter_tui.services.audit_views import NO_FILTER, AuditEntry, AuditFilter, AuditPage
from counter_tui.services.staff import StaffSummary
from counter_tui.ui.dialogs.audit_event import REDACTED, AuditEventDialog
from counter_tui.ui.dialogs.audit_filter import AuditFilterDialog
from counter_tui.ui.format import clock_time, day_and_time
from counter_tui.ui.safe_text import line, one_line, plain
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.widgets.column_fit import Col, name_col
from counter_tui.ui.widgets.fitted_table import FittedTable
from counter_tui.ui.widgets.keys_footer import KeysFooter
from counter_tui.ui.widgets.read_notice import ReadNotice

COLUMNS = (  # at 80 columns names stay readable: the details (whole on Enter) give way first
    Col("at", "When", 16, min_width=16),  # "Wed 25 Nov 14:05" (16) is never cut
    name_col("staff", "Staff", 16),
    Col("action", "Action", 24, min_width=12),
    name_col("about", "About", 24),
    Col("terminal", "Terminal", 10, min_width=4, short="Term"),
    Col("details", "Details", 40, min_width=18, grow=True, shrink_first=True),
)


def entry_cells(when: str, entry: AuditEntry) -> list[Text]:
    """One event's cells: when, who, what, about what, where, and its details as plain text."""
    return [
        plain(when),
        line(entry.staff_name) if entry.staff_name else plain("—", style="dim"),
        plain(entry.action),
        line(entry.about),
        line(entry.terminal),
        plain(REDACTED, style="italic dim") if entry.redacted else line(entry.details, 300),
    ]


def filter_summary(filters: AuditFilter, names: dict[int, str]) -> str:
    """`Showing: about "jones" · by Sam · visit.claimed · on 2026-11-27`, or all events."""
    parts = []
    if filters.customer:
        parts.append(f'about "{one_line(filters.customer)}"')
    if filters.staff_id is not None:
        parts.append(f"by {one_line(names.get(filters.staff_id, '?'))}")
    if filters.action:
        parts.append(filters.action)
    if filters.day is not None:
        parts.append(f"on {filters.day.isoformat()}")
    return "Showing: " + (" · ".join(parts) if parts else "every event")


class AuditScreen(CounterScreen):
    """The audit log, newest first; f filters, ] and [ page, x clears the filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="audit.back", tooltip="Back to the lead review."),
        Binding(
            "f",
            "filter",
            "Filter…",
            id="audit.filter",
            tooltip="Show events about a customer, by a staff member, of one action or on one day.",
        ),
        Binding(
            "x", "clear_filter", "Clear filter", id="audit.clear_filter", tooltip="Show every event again."
        ),
        Binding(
            "right_square_bracket",
            "older",
            "Older",
            id="audit.older",
            tooltip="The next page of older events.",
        ),
        Binding(
            "left_square_bracket",
            "newer",
            "Newer",
            id="audit.newer",
            tooltip="Back to the page of newer events.",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters = NO_FILTER
        self.pages: list[int | None] = [None]
        self.page = AuditPage((), has_older=False)
        self.names: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="audit-summary")
        yield FittedTable(COLUMNS, id="audit-table", zebra_stripes=True)
        yield ReadNotice(
            "the audit log",
            "No events match. Press x to clear the filter.",
            "Press Esc and open it again.",
            id="audit-empty",
        )
        yield KeysFooter()

    def on_mount(self) -> None:
        """Name the screen (the newest page loads as it comes to the front)."""
        self.sub_title = "Audit log"
        self.query_one(FittedTable).focus()

    def reload(self) -> None:
        """Fetch the page on show with the current filters (live: new events appear on top)."""
        self.call(staff.list_staff, self.ctx, include_inactive=True, then=self._know_names, quiet=True)
        self.load(
            "audit",
            audit_views.audit_log,
            self.ctx,
            self.actor,
            self.filters,
            before_id=self.pages[-1],
            then=self.show_page,
            failed=lambda _error: self.query_one(ReadNotice).read_failed(
                self.query_one(FittedTable).row_count, clock_time(self.ctx, self.ctx.now())
            ),
        )

    def _know_names(self, people: list[StaffSummary]) -> None:
        self.names = {person.id: person.name for person in people}

    def show_page(self, page: AuditPage) -> None:
        """Show one page of events and what it is filtered by."""
        self.page = page
        rows = [
            (str(entry.id), entry_cells(day_and_time(self.ctx, entry.at), entry)) for entry in page.entries
        ]
        table = self.query_one(FittedTable)
        table.fill(rows)
        table.display = bool(rows)
        self.query_one(ReadNotice).read(len(rows))
        number = len(self.pages)
        more = " · ] older" if page.has_older else ""
        newer = " · [ newer" if number > 1 else ""
        whole = " · Enter: whole event" if rows else ""
        summary = f"{filter_summary(self.filters, self.names)} · page {number}{more}{newer}{whole}"
        self.query_one("#audit-summary", Static).update(plain(summary))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer paging only where there is a page to go to, and clearing only when filtered."""
        if action == "older":
            return self.page.has_older
        if action == "newer":
            return len(self.pages) > 1
        if action == "clear_filter":
            return not self.filters.empty
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an event shows it in full (the table cuts long actions and details)."""
        chosen = str(event.row_key.value)
        entry = next((entry for entry in self.page.entries if str(entry.id) == chosen), None)
        if entry is not None:
            self.app.push_screen(AuditEventDialog(entry, day_and_time(self.ctx, entry.at)))

    def action_older(self) -> None:
        """The next page of older events."""
        if self.page.has_older and self.page.entries:
            self.pages.append(self.page.entries[-1].id)
            self.reload()

    def action_newer(self) -> None:
        """Back one page, towards the newest events."""
        if len(self.pages) > 1:
            self.pages.pop()
            self.reload()

    def action_filter(self) -> None:
        """Ask what to show (staff and actions are fetched first, for their lists)."""
        self.call(staff.list_staff, self.ctx, include_inactive=True, then=self._ask_with_staff)

    def _ask_with_staff(self, people: list[StaffSummary]) -> None:
        self.call(
            audit_views.audit_actions,
            self.ctx,
            self.actor,
            then=lambda actions: self._ask(people, actions),
        )

    def _ask(self, people: list[StaffSummary], actions: tuple[str, ...]) -> None:
        today = self.ctx.calendar.local_date(self.ctx.now())
        self.app.push_screen(AuditFilterDialog(self.filters, people, actions, today), self._filtered)

    def _filtered(self, filters: AuditFilter | None) -> None:
        if filters is not None:
            self.show_filtered(filters)

    def action_clear_filter(self) -> None:
        """Every event again, from the newest."""
        self.show_filtered(NO_FILTER)

    def show_filtered(self, filters: AuditFilter) -> None:
        """Show the newest page of what `filters` match."""
        self.filters = filters
        self.pages = [None]
        self.reload()

    def action_back(self) -> None:
        """Back to the review."""
        self.dismiss()
