"""The floor board: every open visit, live, the ones needing attention first."""

from __future__ import annotations

from bisect import insort
from collections.abc import Collection
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Static

from counter_tui.services import kudos, visits
from counter_tui.services.context import Actor
from counter_tui.services.permissions import Action, allows
from counter_tui.services.review_views import KudosView
from counter_tui.services.views import FloorRow, floor_order
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.walk_in import NewWalkInDialog, WalkIn
from counter_tui.ui.focus_keys import focus_now, keys_landed
from counter_tui.ui.format import clock_time, day_and_time
from counter_tui.ui.review.kudos_wall import kudos_lines
from counter_tui.ui.safe_text import clean
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.screens.floor_reads import FloorReads
from counter_tui.ui.tones import STRONG_WARNING, URGENT, tone
from counter_tui.ui.widgets.fitted_table import FittedTable
from counter_tui.ui.widgets.floor_cells import COLUMNS, FloorCells
from counter_tui.ui.widgets.floor_table import FloorTable
from counter_tui.ui.widgets.keys_footer import KeysFooter
from counter_tui.ui.widgets.read_notice import ReadNotice
from counter_tui.ui.widgets.summary_line import SummaryLine

TICK_SECONDS = 15.0
THANKS_SHOWN = 3


def _place(shown: tuple[FloorRow, list[Text]]) -> tuple[bool, bool, bool, datetime, int]:
    return floor_order(shown[0])


class FloorScreen(FloorReads, CounterScreen):
    """All open visits. Unowned customers waiting too long and unclaimed "needs help"
    customers stand out at the top."""

    def __init__(self, board: tuple[int, list[FloorRow]] | None = None) -> None:
        super().__init__(board)
        self._focus_visit: int | None = None
        self._cells: FloorCells | None = None
        self._shown: list[tuple[FloorRow, list[Text]]] | None = None
        """The rows on the board in order, as of when each was worked out, with its cells."""
        self._shown_narrow = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "open", "Open", id="floor.open", priority=True, tooltip="Open the highlighted customer."
        ),
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
        yield SummaryLine(id="floor-summary")
        yield FloorTable(COLUMNS, id="floor-table", zebra_stripes=True)
        yield ReadNotice(
            "the board",
            "Nobody is waiting. Press n when a customer comes in.",
            "It tries again by itself.",
            id="floor-empty",
        )
        yield Static(id="thanks-wall")
        yield KeysFooter()

    def on_mount(self) -> None:
        """Keep waiting times fresh; the board itself loads when the screen is shown."""
        self._cells = FloorCells(self.ctx, self.query_one(FloorTable).looks)
        self.sub_title = f"{self.actor.name}{' · lead' if self.actor.is_lead else ''}"
        self.set_interval(TICK_SECONDS, self.tick)
        self.query_one(FittedTable).focus()

    def tick(self) -> None:
        """Move the waiting times and flags on with the clock, from the rows already
        read (only the cells whose words change are redrawn); and retry a read of the
        board that failed."""
        if self.signed_in and self._board is not None:
            self._show()
        self._read_next()

    def restyle(self) -> None:
        """Draw the board in the new theme (the cells kept see their looks changed)."""
        if self.signed_in and self._board is not None:
            self._show()
            self._reload_thanks()

    def _reload_thanks(self) -> None:
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
            text = Text("Thanks wall\n", style=tone(STRONG_WARNING))
            text.append_text(kudos_lines(items, [day_and_time(self.ctx, item.given_at) for item in items]))
            wall.update(text)

    def _show(self, touched: Collection[int] | None = None) -> None:
        """Show the board as of now, in order, changing only the cells that differ from
        what is on screen; the cursor stays on the same visit. With `touched` (the visits
        a change read again), only those rows are worked out again and put in their
        place: the others keep their cells and place until the next tick."""
        assert self._board is not None and self._cells is not None
        now = self.ctx.now()
        table = self.query_one(FittedTable)
        narrow = table.narrow
        rebuilt = touched is None or self._shown is None or narrow != self._shown_narrow
        if rebuilt:
            rows = sorted((row.as_of(now) for row in self._board.values()), key=floor_order)
            shown = [(row, self._cells.cells(row, narrow, now)) for row in rows]
        else:
            assert touched is not None and self._shown is not None
            shown = [item for item in self._shown if item[0].visit_id not in touched]
            for visit_id in touched:
                if (changed := self._board.get(visit_id)) is not None:
                    row = changed.as_of(now)
                    insort(shown, (row, self._cells.cells(row, narrow, now)), key=_place)
        self._shown, self._shown_narrow = shown, narrow
        self._cells.keep_only(set(self._board))
        table.display = bool(shown)
        table.patch(
            [(str(row.visit_id), cells) for row, cells in shown],
            touched=None if rebuilt or touched is None else {str(visit_id) for visit_id in touched},
        )
        wanted = self._focus_visit
        if wanted is not None and wanted in self._board:
            self._focus_visit = None
            table.move_cursor_to(str(wanted))
        for notice in self.query(ReadNotice):
            if notice.failed_at is None:
                notice.read(len(shown))
        if shown and self.focused is None:
            focus_now(table)
        self._summarise([row for row, _ in shown], now)

    def _read_worked(self) -> None:
        """A read of the board worked: what `_show` shows next is the board as it is (a read
        answered while the board is not composed, e.g. being put together again at another
        width, has no notice to tell)."""
        for notice in self.query(ReadNotice):
            notice.failed_at = None

    def _read_went_wrong(self) -> None:
        """A read of the board failed: say so, keeping the rows of the last read shown."""
        shown = len(self._shown) if self._shown is not None else 0
        for notice in self.query(ReadNotice):
            notice.read_failed(shown, clock_time(self.ctx, self.ctx.now()))

    def on_fitted_table_narrow_changed(self) -> None:
        """Shorter words when the board gets narrow (e.g. 80 columns), longer when wide."""
        if self._board is not None:
            self._show()

    def _summarise(self, rows: list[FloorRow], now: datetime) -> None:
        waiting = sum(1 for r in rows if r.owner_id is None)
        urgent = sum(1 for r in rows if r.urgent)
        me = self.actor.staff_id
        mine = sum(1 for r in rows if r.owner_id == me)
        summary = Text(f"{clock_time(self.ctx, now)}  ", style="bold")
        summary.append(clean(f"{len(rows)} in the shop · {waiting} waiting · {mine} with you"))
        if urgent:
            summary.append(clean(f" · {urgent} need attention now"), style=tone(URGENT))
        self.query_one("#floor-summary", SummaryLine).show(summary)

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
        self._refresh_visit(visit_id)

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
        self._refresh_visit(visit_id)

    async def action_open(self) -> None:
        """Open the highlighted customer. Enter is a priority key: the arrows typed before
        it land first, and the app hands on no key until the customer screen is up, so the
        keys typed after it ("⏎x␣⏎" in one burst) reach that screen (`focus_keys`)."""
        from counter_tui.ui.screens.customer import CustomerScreen

        await keys_landed(self)
        visit_id = self.selected_visit_id()
        if visit_id is not None and self.is_current:
            await self.app.push_screen(CustomerScreen(visit_id=visit_id))

    async def on_data_table_row_selected(self) -> None:
        """A row chosen with the mouse opens it (Enter is the priority key above)."""
        await self.action_open()

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
        """The review and staff keys are offered to whom the permissions let see them, and
        Claim only on a customer nobody has."""
        if not self.signed_in:  # under the lock screen: nothing is offered
            return False
        if action == "review":
            return allows(self.actor, Action.SEE_FLOOR_HEALTH)
        if action == "staff_admin":
            return allows(self.actor, Action.MANAGE_STAFF)
        if action == "shop_settings":
            return allows(self.actor, Action.CHANGE_SHOP_SETTINGS)
        if action == "claim":  # someone already has them: nothing to claim
            row = self._board.get(self.selected_visit_id() or 0) if self._board is not None else None
            return row is None or row.owner_id is None  # on an empty board c says what to do
        return True

    def on_data_table_row_highlighted(self) -> None:
        """Another customer highlighted: offer Claim only if nobody has them."""
        self.refresh_bindings()
