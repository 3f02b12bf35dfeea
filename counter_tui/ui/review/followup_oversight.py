"""Follow-up oversight: overdue and due today by owner, unreturned calls before close,
and reassigning a follow-up (with a reason) when its owner is away; in a browser, every
follow-up downloads as CSV."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label

from counter_tui.services import followup_oversight, staff
from counter_tui.services.context import Actor
from counter_tui.services.exports import ExportKind
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.services.review_views import FollowUpOversight
from counter_tui.services.staff import StaffSummary
from counter_tui.services.views import FollowUpView
from counter_tui.ui.dialogs.due_history import show_due_history
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.staff_picker import StaffChoice, StaffPickerDialog
from counter_tui.ui.format import day_and_time
from counter_tui.ui.review.downloads import deliver_csv, exported_csv
from counter_tui.ui.review.pane import ReviewPane, new_table
from counter_tui.ui.safe_text import answer_key, line, one_line, plain
from counter_tui.ui.tones import STRONG_GOOD, URGENT, tone
from counter_tui.ui.widgets.column_fit import Col, name_col
from counter_tui.ui.widgets.fitted_table import FittedTable


class FollowUpOversightPane(ReviewPane):
    """Everything owed, grouped by owner; r reassigns the highlighted one."""

    LIST_ID = "oversight-table"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.items: dict[str, FollowUpView] = {}

    def compose(self) -> ComposeResult:
        yield Label("", id="calls-summary", classes="section-title")
        yield new_table(
            "oversight-table",
            picks_rows=True,
            columns=(
                name_col("owner", "Owner", 16),
                Col("when", "Due", 18, min_width=18),  # "! Mon 23 Nov 10:30" (18) is never cut
                Col("kind", "What", 13, min_width=9),  # "thank-you" whole
                name_col("who", "Customer", 24),
                Col("how", "How", 23, min_width=6),
                Col("about", "About", 40, min_width=10, grow=True),
            ),
        )

    def reload(self) -> None:
        """Fetch follow-ups by owner."""
        self.load(
            "followup_oversight", followup_oversight.followup_oversight, self.ctx, self.actor, then=self.show
        )

    def show(self, oversight: FollowUpOversight) -> None:
        """One block of rows per owner: overdue first, then due today; above them, how many
        there are and the calls to return before close (a line that fits 80 columns)."""
        listed = [item for group in oversight.by_owner for item in (*group.overdue, *group.due_today)]
        overdue = sum(1 for item in listed if item.overdue)
        calls = len(oversight.unreturned_calls)
        summary = (
            f"Overdue or due today: {len(listed)}"
            + (f", {overdue} overdue" if overdue else "")
            + f" · Unreturned calls before close: {calls or 'none'}"
        )
        self.query_one("#calls-summary", Label).update(
            plain(summary, style=tone(URGENT if calls or overdue else STRONG_GOOD))
        )
        self.items = {}
        rows: list[tuple[str, list[Text]]] = []
        for group in oversight.by_owner:
            for item in (*group.overdue, *group.due_today):
                self.items[str(item.id)] = item
                due_style = tone(URGENT) if item.overdue else ""
                rows.append(
                    (
                        str(item.id),
                        [
                            Text(one_line(group.owner_name), style="bold"),
                            Text(
                                ("! " if item.overdue else "") + day_and_time(self.ctx, item.due_at),
                                style=due_style,
                            ),
                            line(item.kind_label),
                            Text(one_line(item.customer_name)),
                            line(CHANNEL_LABELS.get(item.channel, item.channel)),
                            Text(one_line(item.summary)),
                        ],
                    )
                )
        if not self.items:
            rows.append(("empty", [Text("Nothing overdue or due today."), *[Text("")] * 5]))
        self.query_one("#oversight-table", FittedTable).fill(rows)

    def picked_item(self) -> FollowUpView | None:
        """The follow-up the lead picked in the list (`ReviewPane.pick`)."""
        if not self.items:
            answer_key(self, "Nothing is overdue or due today.")
            return None
        return self.items.get(self.pick("oversight-table", "an overdue or due-today follow-up") or "")

    def due_history(self) -> None:
        """Show the picked follow-up's due history (first due, each snooze and why)."""
        item = self.picked_item()
        if item is not None:
            show_due_history(self, item.id)

    def reassign(self) -> None:
        """Give the picked follow-up to a colleague, with a reason."""
        item = self.picked_item()
        if item is None:
            return

        def ask_whom(people: list[StaffSummary]) -> None:
            colleagues = [p for p in people if p.id != item.owner_id]
            dialog = StaffPickerDialog(
                "Reassign follow-up to", colleagues, reason_prompt="Reason (e.g. Sam is off until Monday)"
            )
            ask(
                self,
                dialog,
                lambda actor, choice: self._reassign(actor, item, choice),
                then=lambda _: self.reload(),
            )

        self.call(staff.list_staff, self.ctx, then=ask_whom)

    def _reassign(self, actor: Actor, item: FollowUpView, choice: StaffChoice) -> None:
        followup_oversight.reassign_followup(self.ctx, actor, item.id, choice.staff_id, choice.reason)

    def download_export(self) -> None:
        """Every follow-up, open, done or cancelled, as CSV to the browser (audited as an export)."""
        today = self.ctx.calendar.local_date(self.ctx.now())
        self.call(
            exported_csv,
            self.ctx,
            self.actor,
            ExportKind.FOLLOWUPS,
            then=lambda text: deliver_csv(
                self, f"followups-{today.isoformat()}.csv", text, "Every follow-up"
            ),
        )
