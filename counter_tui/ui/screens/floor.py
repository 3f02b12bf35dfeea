"""The floor board: every open visit, live, the ones needing attention first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Static

from counter_tui.services import kudos, visit_views, visits
from counter_tui.services.context import Actor
from counter_tui.services.permissions import Action, allows
from counter_tui.services.review_views import KudosView
from counter_tui.services.views import FloorRow
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.walk_in import NewWalkInDialog, WalkIn
from counter_tui.ui.format import clock_time, day_and_time, duration
from counter_tui.ui.review.kudos_wall import kudos_lines
from counter_tui.ui.safe_text import clean, one_line
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.widgets.badges import needs_text
from counter_tui.ui.widgets.fitted_table import Col, FittedTable
from counter_tui.ui.widgets.keys_footer import KeysFooter

TICK_SECONDS = 15.0
THANKS_SHOWN = 3
COLUMNS = (
    Col("flag", "!", 5),
    Col("who", "Customer", 30, min_width=14, shrink_first=True),
    Col("arrived", "Arrived", 7, min_width=5, short="In"),
    Col("waiting", "Waiting", 13, min_width=6, short="Wait"),
    Col("owner", "With", 16, min_width=7),
    Col("needs", "Needs", 28, min_width=14, grow=True),
)


class FloorScreen(CounterScreen):
    """All open visits. Unowned customers waiting too long and unclaimed "needs help"
    customers stand out at the top."""

    _focus_visit: int | None = None
    _rows: list[FloorRow] | None = None

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "new_walk_in",
            "New",
            id="floor.new_walk_in",
            tooltip="Record a customer who just came in.",
        ),
        Binding(
            "c",
            "claim",
            "Claim",
            id="floor.claim",
            tooltip="Greet and take ownership of the highlighted customer.",
        ),
        Binding(
            "enter", "open", "Open", id="floor.open", priority=True, tooltip="Open the highlighted customer."
        ),
        Binding(
            "slash",
            "find",
            "Find",
            id="floor.find",
            tooltip="Search customers by name, phone or email.",
        ),
        Binding(
            "f",
            "followups",
            "Owed",
            id="floor.followups",
            tooltip="Thank-yous, callbacks and promises you owe.",
        ),
        Binding(
            "h",
            "handoffs",
            "Hand-offs",
            id="floor.handoffs",
            tooltip="Hand-off requests (leads approve them here).",
        ),
        Binding(
            "l",
            "review",
            "Lead review",
            id="floor.review",
            tooltip="Shift leads: floor health, follow-ups, scorecard, feedback, end of day.",
        ),
        Binding(
            "s",
            "staff_admin",
            "Staff",
            show=False,
            id="floor.staff",
            tooltip="Shift leads: set PINs, clear lockouts, deactivate and reactivate staff.",
        ),
        Binding(
            "o",
            "shop_settings",
            "Shop settings",
            show=False,
            id="floor.shop_settings",
            tooltip="Shift leads: the shop's hours, holidays, thresholds and targets, for every terminal.",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="floor-summary")
        yield FittedTable(COLUMNS, id="floor-table", zebra_stripes=True)
        yield Static("Nobody is waiting. Press n when a customer comes in.", id="floor-empty")
        yield Static(id="thanks-wall")
        yield KeysFooter()

    def on_mount(self) -> None:
        """Load the board and keep waiting times fresh."""
        self.sub_title = f"{self.actor.name}{' · lead' if self.actor.is_lead else ''}"
        self.set_interval(TICK_SECONDS, self.tick)
        self.query_one(FittedTable).focus()

    def tick(self) -> None:
        """Keep waiting times fresh while someone is signed in."""
        if self.signed_in:
            self.reload()

    def reload(self) -> None:
        """Fetch the open visits and the thanks wall."""
        self.load("floor_board", visit_views.floor_board, self.ctx, then=self.show_rows)
        self.load(
            "thanks_wall",
            kudos.thanks_wall,
            self.ctx,
            self.actor,
            limit=THANKS_SHOWN,
            then=self.show_thanks,
            quiet=True,
        )

    def show_thanks(self, items: tuple[KudosView, ...]) -> None:
        """The latest kudos, for every colleague to see."""
        wall = self.query_one("#thanks-wall", Static)
        wall.display = bool(items)
        if items:
            text = Text("Thanks wall\n", style="bold yellow")
            text.append_text(kudos_lines(items, [day_and_time(self.ctx, item.given_at) for item in items]))
            wall.update(text)

    def show_rows(self, rows: list[FloorRow]) -> None:
        """Redraw the table, keeping the cursor on the same visit."""
        self._rows = rows
        table = self.query_one(FittedTable)
        narrow = table.narrow
        table.fill([(str(row.visit_id), self._cells(row, narrow)) for row in rows])
        wanted = self._focus_visit
        self._focus_visit = None
        if wanted is not None and str(wanted) in {str(r.visit_id) for r in rows}:
            table.move_cursor(row=table.get_row_index(str(wanted)))
        self.query_one("#floor-empty").display = not rows
        table.display = bool(rows)
        if rows and self.focused is None:
            table.focus()
        self._summarise(rows)

    def on_fitted_table_narrow_changed(self) -> None:
        """Shorter words when the board gets narrow (e.g. 80 columns), longer when wide."""
        if self._rows is not None:
            self.show_rows(self._rows)

    def _cells(self, row: FloorRow, narrow: bool) -> list[Text]:
        """The row's cells; `narrow` abbreviates so needs and owner still fit at 80 columns."""
        if row.needs_help_unclaimed:
            flag = Text("HELP", style="bold white on red")
        elif row.waiting_too_long:
            flag = Text("WAIT", style="bold red")
        elif row.check_back_due:
            flag = Text("CHECK", style="yellow")
        elif row.handoff_pending:
            flag = Text("H/O", style="magenta")
        else:
            flag = Text("")
        if row.owner_name:
            owner = Text(one_line(row.owner_name, 8 if narrow else 16))
            if row.helper_names:
                owner.append(f" +{len(row.helper_names)}", style="dim")
        else:
            owner = Text("nobody" if narrow else "— nobody yet", style="bold" if row.urgent else "dim")
        who = Text(one_line(row.who))
        if row.source.startswith("kiosk"):
            who.append(f"  ({one_line(row.source, 20)})", style="dim")
        now = self.ctx.now()
        if not row.owner_id:
            waiting = Text(duration(row.arrived_at, now), style="bold red" if row.urgent else "")
        else:
            served = duration(row.claimed_at or row.arrived_at, now)
            waiting = Text(served if narrow else f"served {served}", style="dim")
        return [
            flag,
            who,
            Text(clock_time(self.ctx, row.arrived_at)),
            waiting,
            owner,
            needs_text(self.ctx, row.needs, short=narrow),
        ]

    def _summarise(self, rows: list[FloorRow]) -> None:
        waiting = sum(1 for r in rows if r.owner_id is None)
        urgent = sum(1 for r in rows if r.urgent)
        mine = sum(1 for r in rows if r.owner_id == self.actor.staff_id)
        summary = Text(f"{clock_time(self.ctx, self.ctx.now())}  ", style="bold")
        summary.append(clean(f"{len(rows)} in the shop · {waiting} waiting · {mine} with you"))
        if urgent:
            summary.append(clean(f" · {urgent} need attention now"), style="bold red")
        self.query_one("#floor-summary", Static).update(summary)

    def selected_visit_id(self) -> int | None:
        """The visit under the cursor, if any."""
        table = self.query_one(FittedTable)
        key = table.cursor_row_key() if table.display else None
        return int(key) if key is not None else None

    def action_new_walk_in(self) -> None:
        """Record a new walk-in."""
        ask(self, NewWalkInDialog(), self._create_walk_in, then=self._created)

    def _create_walk_in(self, actor: Actor, walk_in: WalkIn) -> int:
        return visits.new_walk_in(
            self.ctx, actor, description=walk_in.description, needs=walk_in.needs, claim=walk_in.claim
        )

    def _created(self, visit_id: int) -> None:
        self._focus_visit = visit_id
        self.reload()

    def action_claim(self) -> None:
        """Claim the highlighted customer."""
        visit_id = self.selected_visit_id()
        if visit_id is None:
            self.notify("Nobody to claim. Press n to add a walk-in.", markup=False)
            return
        self.call(
            visits.claim_visit,
            self.ctx,
            self.actor,
            visit_id,
            then=lambda _: self._claimed(visit_id),
        )

    def _claimed(self, visit_id: int) -> None:
        self.notify("They're yours for this visit.", markup=False, timeout=3)
        self.reload()

    def action_open(self) -> None:
        """Open the highlighted customer."""
        from counter_tui.ui.screens.customer import CustomerScreen

        visit_id = self.selected_visit_id()
        if visit_id is not None:
            self.app.push_screen(CustomerScreen(visit_id=visit_id))

    def on_data_table_row_selected(self) -> None:
        """Enter on a row opens it."""
        self.action_open()

    def action_find(self) -> None:
        """Search customers."""
        from counter_tui.ui.screens.find import FindCustomerScreen

        self.app.push_screen(FindCustomerScreen())

    def action_followups(self) -> None:
        """Show my follow-ups."""
        from counter_tui.ui.screens.followups import FollowUpsScreen

        self.app.push_screen(FollowUpsScreen())

    def action_handoffs(self) -> None:
        """Show pending hand-off requests (leads approve or deny them there)."""
        from counter_tui.ui.screens.handoffs import HandoffsScreen

        self.app.push_screen(HandoffsScreen())

    def action_review(self, tab: str = "health") -> None:
        """Open the lead review screen."""
        from counter_tui.ui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(tab))

    def action_staff_admin(self) -> None:
        """Open the leads' staff screen."""
        from counter_tui.ui.screens.staff_admin import StaffAdminScreen

        self.app.push_screen(StaffAdminScreen())

    def action_shop_settings(self) -> None:
        """Open the leads' shop settings screen."""
        from counter_tui.ui.screens.shop_settings import ShopSettingsScreen

        self.app.push_screen(ShopSettingsScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The review and staff keys are offered to whom the permissions let see them."""
        if not self.signed_in:  # under the lock screen: nothing is offered
            return False
        if action == "review":
            return allows(self.actor, Action.SEE_FLOOR_HEALTH)
        if action == "staff_admin":
            return allows(self.actor, Action.MANAGE_STAFF)
        if action == "shop_settings":
            return allows(self.actor, Action.CHANGE_SHOP_SETTINGS)
        return True
