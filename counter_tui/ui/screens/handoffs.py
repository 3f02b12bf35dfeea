"""Hand-off requests: leads approve or deny; others see their own pending requests."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from counter_tui.services import handoffs
from counter_tui.services.permissions import NOBODY, Action, Target, allows
from counter_tui.services.views import HandoffView
from counter_tui.ui import handoff_decisions
from counter_tui.ui.handoff_decisions import PENDING_COLUMNS, ReasonLine, pending_cells
from counter_tui.ui.safe_text import answer_key
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.shop_access import done
from counter_tui.ui.widgets.fitted_table import FittedTable
from counter_tui.ui.widgets.keys_footer import KeysFooter


class HandoffsScreen(CounterScreen):
    """Pending hand-off requests, oldest first."""

    CHANGES_SHOWN = frozenset({"handoff", "visit", "customer", "staff"})

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="handoffs.back", tooltip="Back to the floor board."),
        Binding(
            "a",
            "approve",
            "Approve",
            id="handoffs.approve",
            tooltip="Shift leads: pass the customer on.",
        ),
        Binding(
            "d",
            "deny",
            "Deny…",
            id="handoffs.deny",
            tooltip="Shift leads: keep the owner, saying why.",
        ),
        Binding(
            "w",
            "withdraw",
            "Withdraw",
            id="handoffs.withdraw",
            tooltip="Withdraw your own request.",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.requests: dict[str, HandoffView] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="handoffs-summary")
        yield FittedTable(PENDING_COLUMNS, id="handoffs-table", picks_rows=True)
        yield ReasonLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        """Load the requests."""
        self.sub_title = "Hand-offs"
        self.query_one(FittedTable).focus()
        self.reload()

    def reload(self) -> None:
        """Fetch pending requests."""
        self.load("pending_handoffs", handoffs.pending_handoffs, self.ctx, self.actor, then=self.show)

    def show(self, requests: list[HandoffView]) -> None:
        """Redraw the list."""
        self.requests = {str(r.id): r for r in requests}
        self.query_one(FittedTable).patch([(str(r.id), pending_cells(self.ctx, r)) for r in requests])
        self.refresh_bindings()
        self.query_one(ReasonLine).show(self.selected())
        everyone = allows(self.actor, Action.SEE_ALL_HANDOFFS)
        who = "All pending requests" if everyone else "Your pending requests"
        self.query_one("#handoffs-summary", Static).update(Text(f"{who}: {len(requests)}"))

    def selected(self) -> HandoffView | None:
        """The request under the highlight (none while it is hidden)."""
        table = self.query_one(FittedTable)
        return None if table.row_lost else self.requests.get(table.cursor_row_key() or "")

    def picked(self) -> HandoffView | None:
        """The request the person picked (`FittedTable.pick`): never one a refill put
        under the highlight after the one they were on was decided elsewhere."""
        if not self.requests:
            answer_key(self, "No hand-off request is waiting.")
            return None
        ask = "Highlight a request first: ↑↓ in the list, which has the keys now, then the key again."
        return self.requests.get(self.query_one(FittedTable).pick(ask) or "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer deciding and withdrawing the highlighted request only to whom the
        permissions allow (leads decide; only its requester withdraws it)."""
        if not self.signed_in:  # under the lock screen: nothing is offered
            return False
        if action in ("approve", "deny"):
            return allows(self.actor, Action.DECIDE_HANDOFF)
        if action == "withdraw":
            request = self.selected()
            target = Target(owner_id=request.from_staff_id) if request is not None else NOBODY
            return allows(self.actor, Action.WITHDRAW_HANDOFF, target)
        return True

    @on(DataTable.RowHighlighted)
    def _request_highlighted(self) -> None:
        self.refresh_bindings()
        self.query_one(ReasonLine).show(self.selected())

    def action_approve(self) -> None:
        """Approve the picked request."""
        request = self.picked()
        if request is not None:
            handoff_decisions.approve(self, request)

    def action_deny(self) -> None:
        """Deny the picked request, with a note for the requester."""
        request = self.picked()
        if request is not None:
            handoff_decisions.deny(self, request)

    def action_withdraw(self) -> None:
        """Withdraw your own request (the one picked)."""
        request = self.picked()
        if request is not None:
            self.call(
                handoffs.cancel_handoff,
                self.ctx,
                self.actor,
                request.id,
                then=lambda _: done(self, "Withdrawn."),
            )

    def action_back(self) -> None:
        """Back to the floor."""
        self.dismiss()
