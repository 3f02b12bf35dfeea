"""My follow-ups: overdue, due today, upcoming; check one off with what was done.

A change from another terminal re-reads only the follow-ups it named
(services/followup_changes.py) and redraws only their rows; the whole list is read on
opening, after an action here, and after an outage."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from counter_tui.db.models import FollowUpKind
from counter_tui.errors import DomainError
from counter_tui.services import followup_changes, followups, reversals
from counter_tui.services.changes import Change
from counter_tui.services.followup_changes import FollowUpList, FollowUpPatch
from counter_tui.services.followup_snooze import reschedule_followup
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.services.views import FollowUpView, MyFollowUps
from counter_tui.ui.dialogs.complete_followup import check_off
from counter_tui.ui.dialogs.due_history import show_due_history
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.snooze_followup import SnoozeDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.format import day_and_time
from counter_tui.ui.messages import DataChanged
from counter_tui.ui.safe_text import answer_key, line, one_line, plain
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.shop_access import done
from counter_tui.ui.tones import ALERT, STRONG_WARNING, URGENT, tone
from counter_tui.ui.widgets.column_fit import Col, name_col
from counter_tui.ui.widgets.fitted_table import FittedTable, ListTable
from counter_tui.ui.widgets.keys_footer import KeysFooter

GROUPS = (
    ("overdue", "OVERDUE", URGENT),
    ("due_today", "DUE TODAY", STRONG_WARNING),
    ("upcoming", "UPCOMING", "bold"),
)
COLUMNS = (
    Col("when", "Due", 19, min_width=16),  # "Wed 25 Nov 14:05" (16) is never cut
    Col("kind", "What", 13, min_width=13),
    name_col("who", "Customer", 24),
    Col("how", "How", 23, min_width=8, shrink_first=True),
    Col("summary", "About", 34, min_width=10, grow=True, shrink_first=True),
)


def about(item: FollowUpView) -> str:
    """What the row is about; a thank-you shows its personal line (the template is the same
    for everyone), or that one is still needed; first, why its email did not go."""
    if item.mail_problem:
        return f"Email not sent: {item.mail_problem}"
    if item.kind == FollowUpKind.THANK_YOU:
        return item.personal_line or "personal line needed"
    return item.summary


def which(item: FollowUpView) -> str:
    """`thank-you for Bob Jones`: the follow-up a dialog is about, in its title."""
    return f"{item.kind_label} for {one_line(item.customer_name, 30)}"


class FollowUpsScreen(CounterScreen):
    """What I owe customers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "complete",
            "Done…",
            id="followups.complete",
            tooltip="Check off the highlighted follow-up.",
        ),
        Binding("escape", "back", "Back", id="followups.back", tooltip="Back to the floor board."),
        Binding(
            "x",
            "cancel_followup",
            "Cancel…",
            id="followups.cancel",
            tooltip="Cancel it, with the reason.",
        ),
        Binding(
            "s",
            "snooze",
            "Snooze…",
            id="followups.snooze",
            tooltip="Move it to a later time you type, saying why.",
        ),
        Binding(
            "h",
            "due_history",
            "History",
            id="followups.due_history",
            tooltip="When it was first due, and each snooze with its reason and who.",
        ),
        Binding(
            "u",
            "restore",
            "Restore…",
            id="followups.restore",
            tooltip="Put back a follow-up cancelled today, saying why.",
        ),
        Binding(
            "o",
            "open_customer",
            "Open customer",
            id="followups.open",
            tooltip="Open the customer it is for.",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, FollowUpView] = {}
        self.cancelled: dict[str, FollowUpView] = {}
        self.mine: MyFollowUps | None = None
        self._reading = False
        """Whether a read (whole list or some rows) is under way: one at a time, so a
        slower, older read never overwrites a newer one."""
        self._whole_wanted = False
        self._changes_waiting: list[Change] = []
        self.mail_held = ""
        """While the shop's mail setup holds email back, that it does (read with the whole list)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="followups-summary")
        table = ListTable(COLUMNS, id="followups-table")
        table.heading = lambda key: key.startswith("heading-")
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        """Load my follow-ups."""
        self.sub_title = f"Follow-ups · {self.actor.name}"
        self.query_one(DataTable).focus()
        self.reload()

    def reload(self) -> None:
        """Read my whole list again: open follow-ups, and those cancelled today."""
        self._whole_wanted = True
        self._read_next()

    def apply_changes(self, message: DataChanged) -> None:
        """Read again only the follow-ups the changes named (the whole list after an
        outage); changes that cannot touch the list read nothing."""
        if message.resumed:
            self._whole_wanted = True
        else:
            self._changes_waiting.extend(filter(followup_changes.concerns_the_list, message.changes))
        self._read_next()

    def _read_next(self) -> None:
        """Start the next read, if one is wanted and none is under way."""
        if self._reading or not self.signed_in:
            return
        if self._whole_wanted or self.mine is None:
            self._whole_wanted = False
            self._changes_waiting.clear()
            self._reading = True
            self.call(
                followup_changes.whole_list,
                self.ctx,
                self.actor,
                then=self._read_whole,
                refused=self._read_failed,
            )
        elif self._changes_waiting:
            changes = tuple(self._changes_waiting)
            self._changes_waiting.clear()
            self._reading = True
            self.call(
                followup_changes.followup_patch,
                self.ctx,
                self.actor,
                changes,
                then=self._read_some,
                refused=self._read_failed,
            )

    def _read_whole(self, whole: FollowUpList) -> None:
        self._reading = False
        if not self.still_shown:
            return
        self.cancelled = {f"cancelled-{item.id}": item for item in whole.cancelled}
        self.mail_held = whole.mail_held
        self.show(followups.grouped(self.ctx, whole.open))
        self._read_next()

    def _read_some(self, patch: FollowUpPatch | None) -> None:
        """Follow-ups read again: those still open or cancelled today replace what was
        shown for them; the others touched leave the list."""
        self._reading = False
        if not self.still_shown:
            return
        if patch is None or self.mine is None:
            self._whole_wanted = True
        elif patch.followup_ids:
            touched = patch.followup_ids
            still_open = [item for item in self.items.values() if item.id not in touched]
            fresh = {f"cancelled-{item.id}": item for item in patch.cancelled}  # just cancelled: first
            kept = {key: item for key, item in self.cancelled.items() if item.id not in touched}
            self.cancelled = {**fresh, **kept}
            self.show(followups.grouped(self.ctx, [*still_open, *patch.open]))
        self._read_next()

    def _read_failed(self, error: DomainError) -> None:
        """The read failed (e.g. the database is away): read the whole list next time,
        and say why unless offline is shown."""
        self._reading = False
        self._whole_wanted = True
        if self.still_shown and self.counter.online:
            self.say_read_failed(error)

    def show(self, mine: MyFollowUps) -> None:
        """Lay out the three groups, each under its heading row (and, when there are
        any, the ones cancelled today, which can be restored), changing only the rows
        that differ from what is on screen."""
        self.mine = mine
        table = self.query_one(FittedTable)
        was_on = table.cursor_row_key()
        was_at = table.cursor_row
        self.items = {}
        rows: list[tuple[str, list[Text]]] = []
        groups = [
            (attribute, heading, style, getattr(mine, attribute)) for attribute, heading, style in GROUPS
        ]
        if self.cancelled:
            groups.append(("cancelled", "CANCELLED TODAY", "dim", tuple(self.cancelled.values())))
        for attribute, heading, style, group in groups:
            blank = [Text("")] * (len(COLUMNS) - 1)
            rows.append(
                (f"heading-{attribute}", [plain(f"{heading} ({len(group)})", style=tone(style)), *blank])
            )
            for item in group:
                key = f"cancelled-{item.id}" if attribute == "cancelled" else str(item.id)
                if attribute != "cancelled":
                    self.items[key] = item
                rows.append((key, self._cells(item, dim=attribute == "cancelled")))
        table.patch(rows)
        summary = Text(
            f"{len(mine.overdue)} overdue · {len(mine.due_today)} due today · {len(mine.upcoming)} upcoming"
        )
        if mine.overdue:
            summary.stylize(tone(URGENT), 0, len(str(len(mine.overdue))) + 8)
        if self.mail_held:
            summary.append("\n")
            summary.append_text(plain(self.mail_held, style=tone(STRONG_WARNING)))
        self.query_one("#followups-summary", Static).update(summary)
        if was_on not in self.items and was_on not in self.cancelled:
            self._stay_near(table, was_at)
        self.refresh_bindings()

    def _stay_near(self, table: FittedTable, was_at: int) -> None:
        """The row the highlight was on has gone (checked off, cancelled, or taken by a
        colleague): highlight the follow-up now in its place, or the nearest one after it,
        else before it; not the top of the list, far from where the person was working."""
        keys = [str(row.key.value) for row in table.ordered_rows]
        after = [key for key in keys[was_at:] if key in self.items]
        before = [key for key in keys[:was_at] if key in self.items]
        near = after[0] if after else before[-1] if before else None
        if near is not None:
            table.move_cursor(row=table.get_row_index(near))

    def _cells(self, item: FollowUpView, *, dim: bool) -> list[Text]:
        due_style = "dim" if dim else (tone(ALERT) if item.overdue else "")
        return [
            Text(day_and_time(self.ctx, item.due_at), style=due_style),
            line(item.kind_label, style="dim" if dim else ""),
            Text(one_line(item.customer_name), style="dim" if dim else ""),
            line(CHANNEL_LABELS.get(item.channel, item.channel), style="dim" if dim else ""),
            Text(one_line(about(item)), style="dim" if dim else ""),
        ]

    def selected(self) -> FollowUpView | None:
        """The follow-up under the cursor (headings are not follow-ups)."""
        table: DataTable[Text] = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.items.get(key or "")

    def on_data_table_row_selected(self) -> None:
        """Enter on a row completes it."""
        self.action_complete()

    def highlighted(self, doing: str) -> FollowUpView | None:
        """The follow-up under the cursor; on a heading or a cancelled one, None, after
        saying in one sentence what to do instead (`doing`: "snooze", …)."""
        item = self.selected()
        if item is not None:
            return item
        key = self.query_one(FittedTable).cursor_row_key() or ""
        if key in self.cancelled:
            sentence = "That follow-up was cancelled today; u restores it."
        elif not self.items:
            sentence = f"You have no open follow-ups to {doing}."
        else:
            sentence = f"Highlight a follow-up to {doing}, not a heading: ↑ and ↓ move the highlight."
        answer_key(self, sentence)
        return None

    def action_complete(self) -> None:
        """Check off the highlighted follow-up."""
        item = self.highlighted("check off")
        if item is not None:
            check_off(self, item)

    def action_cancel_followup(self) -> None:
        """Cancel the highlighted follow-up, with the reason."""
        item = self.highlighted("cancel")
        if item is None:
            return
        ask(
            self,
            TextPromptDialog(f"Cancel the {which(item)}", "Why is it no longer needed?"),
            lambda actor, reason: followups.cancel_followup(self.ctx, actor, item.id, reason=reason),
            then=lambda _: done(self, "Cancelled."),
        )

    def action_snooze(self) -> None:
        """Snooze or reschedule the highlighted follow-up to a typed time, with the reason."""
        item = self.highlighted("snooze")
        if item is None:
            return
        ask(
            self,
            SnoozeDialog(self.ctx.calendar, self.ctx.now(), about=which(item)),
            lambda actor, request: reschedule_followup(
                self.ctx, actor, item.id, request.due_text, request.reason
            ),
            then=lambda due: done(self, f"Snoozed until {day_and_time(self.ctx, due)}."),
        )

    def action_due_history(self) -> None:
        """Show the highlighted follow-up's due history."""
        item = self.highlighted("see its due history")
        if item is None:
            return
        show_due_history(self, item.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Restore is offered only while something was cancelled today."""
        if action == "restore":
            return bool(self.cancelled)
        return True

    def action_restore(self) -> None:
        """Restore the highlighted follow-up cancelled today, with a reason."""
        item = self.cancelled.get(self.query_one(FittedTable).cursor_row_key() or "")
        if item is None:
            answer_key(self, "Highlight a follow-up under CANCELLED TODAY to restore it.")
            return

        ask(
            self,
            TextPromptDialog("Restore follow-up", "Why is it needed after all?"),
            lambda actor, reason: reversals.restore_followup(self.ctx, actor, item.id, reason),
            then=lambda _: done(self, "Restored."),
        )

    def action_open_customer(self) -> None:
        """Open the customer of the highlighted follow-up."""
        from counter_tui.ui.screens.customer import CustomerScreen

        item = self.highlighted("open its customer")
        if item is not None:
            self.app.push_screen(CustomerScreen(customer_id=item.customer_id))

    def action_back(self) -> None:
        """Back to the floor."""
        self.dismiss()
