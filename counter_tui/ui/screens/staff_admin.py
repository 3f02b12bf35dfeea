"""Staff, for shift leads: set a PIN, clear a lockout, deactivate and reactivate.

Keyboard only. The screen asks and shows; who may (and not yourself) is in
`services/permissions.py`, where open work goes in `services/staff.py`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from counter_tui.services import staff
from counter_tui.services.context import Actor
from counter_tui.services.open_work import OpenWork
from counter_tui.services.permissions import Action, Target, refusal
from counter_tui.services.staff import StaffRow, StaffSummary
from counter_tui.ui.dialogs.deactivate import DeactivateDialog, Deactivation
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.new_pin import NewPinDialog
from counter_tui.ui.safe_text import line, one_line, plain
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.shop_access import done
from counter_tui.ui.widgets.keys_footer import KeysFooter

COLUMNS = (
    ("name", "Name", 24),
    ("role", "Role", 9),
    ("status", "Status", 11),
    ("locked", "Locked out at", 24),
)
"""(key, heading, width): fixed widths, so 80 columns show every column whole."""


class StaffAdminScreen(CounterScreen):
    """Everyone on the staff list, with their role, status and where they are locked out."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="staff_admin.back", tooltip="Back to the floor board."),
        Binding(
            "p",
            "set_pin",
            "PIN",
            id="staff_admin.set_pin",
            tooltip="Give the highlighted person a new PIN.",
        ),
        Binding(
            "u",
            "clear_lockout",
            "Unlock",
            id="staff_admin.clear_lockout",
            tooltip="Let the highlighted person try their PIN again at every terminal.",
        ),
        Binding(
            "d",
            "deactivate",
            "Deactivate",
            id="staff_admin.deactivate",
            tooltip="Stop them signing in; says who takes over their customers first.",
        ),
        Binding(
            "r",
            "reactivate",
            "Reactivate",
            id="staff_admin.reactivate",
            tooltip="Let a deactivated person sign in again.",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.people: dict[str, StaffRow] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="staff-summary")
        table: DataTable[Text] = DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        for key, label, width in COLUMNS:
            table.add_column(plain(label), key=key, width=width)
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        """Load the staff list."""
        self.sub_title = "Staff"
        self.query_one(DataTable).focus()
        self.reload()

    def reload(self) -> None:
        """Fetch everyone and their lockouts."""
        self.load("staff_overview", staff.staff_overview, self.ctx, self.actor, then=self.show)

    def show(self, people: list[StaffRow]) -> None:
        """Redraw the table, keeping the cursor on the same person."""
        table: DataTable[Text] = self.query_one(DataTable)
        current = self.selected()
        row = table.cursor_row
        table.clear()
        self.people = {str(person.id): person for person in people}
        for person in people:
            table.add_row(
                Text(one_line(person.name, 24)),
                line(person.role),
                Text("active" if person.active else "deactivated"),
                Text(one_line(", ".join(person.locked_at), 24)),
                key=str(person.id),
            )
        ids = [person.id for person in people]
        if current is not None and current.id in ids:
            table.move_cursor(row=ids.index(current.id))
        elif people:
            table.move_cursor(row=min(row, len(people) - 1))
        locked = sum(1 for person in people if person.locked_at)
        summary = f"{len(people)} on the staff list" + (f", {locked} locked out" if locked else "")
        self.query_one("#staff-summary", Static).update(plain(summary))

    def selected(self) -> StaffRow | None:
        """The person under the cursor."""
        table: DataTable[Text] = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return self.people.get(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or "")

    def action_set_pin(self) -> None:
        """Ask for the new PIN twice and set it (it also clears their lockouts); a PIN the
        service refuses keeps the dialog open with the reason beside it."""
        person = self.selected()
        if person is None:
            return
        ask(
            self,
            NewPinDialog(person.name),
            lambda actor, pin: staff.set_pin(self.ctx, actor, name=person.name, pin=pin),
            then=lambda _: done(self, f"New PIN set for {person.name}."),
        )

    def action_clear_lockout(self) -> None:
        """Lift the highlighted person's wrong-PIN lockouts at every terminal."""
        person = self.selected()
        if person is None:
            return

        def cleared(terminals: list[str]) -> None:
            where = ", ".join(terminals)
            done(
                self,
                f"Lockout cleared for {person.name} ({where})."
                if terminals
                else f"{person.name} was not locked out.",
            )

        self.call(staff.clear_lockout, self.ctx, self.actor, name=person.name, then=cleared)

    def action_deactivate(self) -> None:
        """Say what deactivating means and who takes over their open work, then do it."""
        person = self.selected()
        if person is None or not person.active:
            return
        refused = refusal(
            self.actor, Action.DEACTIVATE_STAFF, Target(owner_id=person.id, owner_name=person.name)
        )
        if refused is not None:
            self.notify(refused.sentence, severity="warning", markup=False)
            return

        def with_open_work(work: OpenWork) -> None:
            def with_colleagues(people: list[StaffSummary]) -> None:
                colleagues = [p for p in people if p.id != person.id]
                self._ask_deactivate(work, colleagues)

            self.call(staff.list_staff, self.ctx, then=with_colleagues)

        self.call(staff.open_work, self.ctx, self.actor, name=person.name, then=with_open_work)

    def _ask_deactivate(self, work: OpenWork, colleagues: list[StaffSummary]) -> None:
        """Deactivate on Enter, the dialog still open: a refusal (the colleague picked was
        deactivated meanwhile) shows in it, to pick another."""

        def deactivate(actor: Actor, choice: Deactivation) -> Deactivation:
            staff.deactivate(self.ctx, actor, name=work.name, pass_to=choice.pass_to)
            return choice

        def deactivated(choice: Deactivation) -> None:
            passed = f" Their {work.describe()} went to {choice.pass_to}." if choice.pass_to else ""
            done(self, f"{work.name} can no longer sign in.{passed}")

        ask(self, DeactivateDialog(work, colleagues), deactivate, then=deactivated)

    def action_reactivate(self) -> None:
        """Let the highlighted (deactivated) person sign in again."""
        person = self.selected()
        if person is None:
            return
        self.call(
            staff.reactivate,
            self.ctx,
            self.actor,
            name=person.name,
            then=lambda _: done(self, f"{person.name} can sign in again."),
        )

    def action_back(self) -> None:
        """Back to the floor board."""
        self.dismiss()
