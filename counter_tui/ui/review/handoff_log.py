"""Hand-offs for leads: pending requests to decide, and the log of every hand-off,
reassignment and blocked attempt, filterable by day, staff member and reason."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Label

from counter_tui.errors import InvalidInput
from counter_tui.services import handoff_log, handoffs, staff
from counter_tui.services.review_views import HandoffLogEntry
from counter_tui.services.staff import StaffSummary
from counter_tui.services.views import HandoffView
from counter_tui.ui import handoff_decisions
from counter_tui.ui.focus_keys import KeysInOrder, focus_now
from counter_tui.ui.format import clock_time, day_and_time
from counter_tui.ui.handoff_decisions import PENDING_COLUMNS, ReasonLine, pending_cells
from counter_tui.ui.review.pane import ReviewPane, new_table, row_key
from counter_tui.ui.safe_text import answer_key, line, one_line, plain
from counter_tui.ui.tones import GOOD, PENDING, URGENT, WARNING, tone
from counter_tui.ui.widgets.column_fit import Col, name_col
from counter_tui.ui.widgets.fitted_table import FittedTable

LOG_STYLES = {
    "blocked": URGENT,
    "reassigned": PENDING,
    "approved": GOOD,
    "denied": WARNING,
    "pending": "bold",
    "cancelled": "dim",
}
KIND_LABELS = {
    "handoff": "{status} hand-off",
    "reassignment": "reassigned",
    "blocked_claim": "blocked claim",
    "blocked_handoff": "blocked hand-off",
}


def what_happened(entry: HandoffLogEntry) -> Text:
    """`approved hand-off`, `reassigned`, `blocked claim`, coloured by outcome: the outcome
    first, which an 80-column terminal shows when it cuts the rest."""
    label = KIND_LABELS.get(entry.kind, entry.kind).format(status=entry.status)
    return line(label, style=tone(LOG_STYLES.get(entry.status, "")))


FILTER_OFF = "Log — / to filter by day (YYYY-MM-DD or 'today'), staff name, reason text"
FILTER_ON = "Log — filter: day (YYYY-MM-DD or 'today'), staff name, reason text; Enter when done"


class HandoffLogPane(ReviewPane):
    """Pending requests on top (a approve, d deny), the log below with filters."""

    LIST_ID = "pending-table"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.pending: dict[str, HandoffView] = {}
        self.entries: dict[str, HandoffLogEntry] = {}
        self.staff_ids: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Label("Waiting for a decision (a approve · d deny)", classes="section-title")
        yield new_table("pending-table", PENDING_COLUMNS, picks_rows=True)
        yield ReasonLine(id="pending-reason")
        yield Label(FILTER_OFF, id="log-title", classes="section-title")
        box = KeysInOrder(placeholder="e.g. today sam break", id="log-filter", max_length=80)
        box.display = False
        yield box
        yield new_table(
            "log-table",
            (
                Col("at", "Asked", 16, min_width=11),
                Col("kind", "What", 17, min_width=10),
                name_col("who", "Customer", 20),
                Col("decided", "Decided", 18, min_width=10),
                name_col("from", "From", 16),
                name_col("to", "To", 16),
                Col(
                    "reason", "Reason / note", 40, min_width=12, short="Reason", grow=True, shrink_first=True
                ),
            ),
        )
        yield ReasonLine(id="log-reason")

    def reload(self) -> None:
        """Fetch pending requests and the filtered log."""
        self.load("pending_handoffs", handoffs.pending_handoffs, self.ctx, self.actor, then=self.show_pending)
        self.call(staff.list_staff, self.ctx, include_inactive=True, then=self._know_staff)

    def _know_staff(self, people: list[StaffSummary]) -> None:
        self.staff_ids = {
            person.name.split()[0].lower(): person.id for person in people if person.name.split()
        }
        self._load_log()

    def show_pending(self, requests: list[HandoffView]) -> None:
        """Show requests awaiting a decision."""
        self.pending = {str(r.id): r for r in requests}
        self.query_one("#pending-table", FittedTable).fill(
            [(str(r.id), pending_cells(self.ctx, r)) for r in requests]
        )
        self.query_one("#pending-reason", ReasonLine).show(self.selected_request())

    @on(DataTable.RowHighlighted, "#pending-table")
    def _request_highlighted(self) -> None:
        self.query_one("#pending-reason", ReasonLine).show(self.selected_request())

    def start_filter(self) -> None:
        """/ shows the filter box with the focus: it is only ever on show while it takes the
        keys, so letters meant for it never reach the lists' keys (a approves, d denies)."""
        box = self.query_one("#log-filter", Input)
        box.display = True
        focus_now(box)
        self.query_one("#log-title", Label).update(FILTER_ON)

    @on(Input.Submitted, "#log-filter")
    def _leave_filter(self) -> None:
        """Enter in the filter hands the keys to the log it filtered (an a or d typed next
        then asks for a request to be picked, instead of deciding one unseen)."""
        focus_now(self.query_one("#log-table", DataTable))

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """The filter box goes when it loses the focus; the heading keeps what it filters by."""
        box = self.query_one("#log-filter", Input)
        if event.widget is box:
            box.display = False
            words = one_line(box.value.strip(), 40)
            title = f"Log — filtered by: {words}; / changes it" if words else FILTER_OFF
            self.query_one("#log-title", Label).update(plain(title))

    @on(Input.Changed, "#log-filter")
    def _filter_changed(self) -> None:
        self._load_log()

    def _load_log(self) -> None:
        words = self.query_one("#log-filter", Input).value.split()
        day: date | None = None
        staff_name = ""
        reason_words: list[str] = []
        for word in words:
            if word.lower() == "today":
                day = self.ctx.calendar.local_date(self.ctx.now())
            elif len(word) == 10 and word[4] == "-":
                try:
                    day = date.fromisoformat(word)
                except ValueError:
                    self.notify(str(InvalidInput(f"{word} is not a date; use YYYY-MM-DD.")), markup=False)
                    return
            elif not staff_name and word.lower() in self.staff_ids:
                staff_name = word.lower()
            else:
                reason_words.append(word)
        staff_id = self.staff_ids.get(staff_name)
        self.load(
            "handoff_log",
            handoff_log.handoff_log,
            self.ctx,
            self.actor,
            day=day,
            staff_id=staff_id,
            reason=" ".join(reason_words),
            then=self.show_log,
        )

    def show_log(self, entries: tuple[HandoffLogEntry, ...]) -> None:
        """Show the log, and the highlighted entry's reason and note whole under it."""
        self.entries = {f"log-{index}": entry for index, entry in enumerate(entries)}
        rows = [
            (
                f"log-{index}",
                [
                    Text(day_and_time(self.ctx, e.at)),
                    what_happened(e),
                    Text(one_line(e.who)),
                    self.decided(e),
                    Text(one_line(e.from_name)),
                    Text(one_line(e.to_name)),
                    Text(one_line(e.reason + (f" — {e.decision_note}" if e.decision_note else ""))),
                ],
            )
            for index, e in enumerate(entries)
        ]
        self.query_one("#log-table", FittedTable).fill(rows)
        self._entry_highlighted()

    @on(DataTable.RowHighlighted, "#log-table")
    def _entry_highlighted(self) -> None:
        entry = self.entries.get(row_key(self.query_one("#log-table", DataTable)) or "")
        line = self.query_one("#log-reason", ReasonLine)
        if entry is None:
            line.say("", "")
        else:
            label = "What happened" if entry.status == "blocked" else "Reason"
            line.say(entry.actor_name, entry.reason, entry.decided_by_name, entry.decision_note, label=label)

    def decided(self, entry: HandoffLogEntry) -> Text:
        """Who decided and when (`Dana 14:12`; with the day when not the day it was asked);
        who was blocked, for a blocked attempt."""
        if entry.decided_at is None:
            return Text(one_line(entry.actor_name if entry.status == "blocked" else ""))
        when = (
            clock_time(self.ctx, entry.decided_at)
            if self.ctx.calendar.local_date(entry.decided_at) == self.ctx.calendar.local_date(entry.at)
            else day_and_time(self.ctx, entry.decided_at)
        )
        return line(f"{one_line(entry.decided_by_name)} {when}".strip())

    def selected_request(self) -> HandoffView | None:
        """The pending request under the highlight (none while it is hidden), for its reason."""
        table = self.query_one("#pending-table", FittedTable)
        return None if table.row_lost else self.pending.get(row_key(table) or "")

    def picked_request(self) -> HandoffView | None:
        """The pending request the lead picked in the list (`ReviewPane.pick`)."""
        if not self.pending:
            answer_key(self, "No hand-off request is waiting.")
            return None
        return self.pending.get(self.pick("pending-table", "a hand-off request") or "")

    def approve(self) -> None:
        """Approve the request the lead picked."""
        request = self.picked_request()
        if request is not None:
            handoff_decisions.approve(self, request)

    def deny(self) -> None:
        """Deny the request the lead picked, with a note for the requester."""
        request = self.picked_request()
        if request is not None:
            handoff_decisions.deny(self, request)
