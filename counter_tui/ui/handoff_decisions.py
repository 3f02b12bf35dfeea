"""Pending hand-offs as the hand-offs screen and the lead review list them — the table, and
under it the highlighted request's reason whole (the Reason column cuts it at 80 columns) —
and approving and denying one, shared by both; and which key reaches them from the screen
a lead is on, for the notice of a new request (`how_to_decide`)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from counter_tui.services import handoffs
from counter_tui.services.context import ShopContext
from counter_tui.services.views import HandoffView
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.format import clock_time, duration
from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.safe_text import answer_key, one_line, plain
from counter_tui.ui.shop_access import ServiceCaller, done
from counter_tui.ui.widgets.column_fit import Col, name_col

PENDING_COLUMNS = (
    Col("asked", "Asked", 5),
    Col("waiting", "Waiting", 7, min_width=6, short="Wait"),
    name_col("who", "Customer", 28),
    name_col("from", "From", 16),
    name_col("to", "To", 16),
    Col("reason", "Reason", 50, min_width=12, grow=True),
)


def _keys(app: App[Any], screen: Screen[Any]) -> dict[str, str]:
    """The keys `screen` offers now, as shown (the terminal's key map applied), by binding id."""
    return {
        active.binding.id: app.get_key_display(active.binding)
        for active in screen.active_bindings.values()
        if active.binding.id and active.enabled
    }


def how_to_decide(app: App[Any]) -> str:
    """The sentence naming the key that approves or denies a new hand-off request from
    where the lead is (the screen under any dialog open): the list's own keys on the
    hand-offs screen and the review's Hand-offs tab, the tab's number elsewhere in the
    review, the floor board's key on the floor board; elsewhere the floor board's key, said
    to be the floor board's (h is due history on Lead review and My follow-ups)."""
    screen = next(
        (each for each in reversed(app.screen_stack) if not isinstance(each, ModalScreen)), app.screen
    )
    keys = _keys(app, screen)
    for approve, deny in (("handoffs.approve", "handoffs.deny"), ("review.approve", "review.deny")):
        if approve in keys and deny in keys:
            return (
                f"It is in the list here: highlight it, then {keys[approve]} approves, {keys[deny]} denies."
            )
    if "review.tab_handoffs" in keys:
        return f"Press {keys['review.tab_handoffs']} for the Hand-offs tab to approve or deny."
    if "floor.handoffs" in keys:
        return f"Press {keys['floor.handoffs']} to approve or deny."
    floor_key = next(
        (key for each in app.screen_stack if (key := _keys(app, each).get("floor.handoffs"))), "h"
    )
    return f"On the floor board, {floor_key} shows it to approve or deny."


def pending_cells(ctx: ShopContext, request: HandoffView) -> list[Text]:
    """One pending request's cells under `PENDING_COLUMNS`."""
    return [
        Text(clock_time(ctx, request.requested_at)),
        Text(duration(request.requested_at, ctx.now()), style="bold"),
        Text(one_line(request.who)),
        Text(one_line(request.from_name)),
        Text(one_line(request.to_name)),
        Text(one_line(request.reason)),
    ]


class ReasonLine(Guarded, Static):
    """Under a hand-off list: the highlighted row's reason (and a lead's note on it), whole
    and wrapped, as written (the table's Reason column cuts it at 80 columns)."""

    DEFAULT_CSS = "ReasonLine { height: auto; padding: 0 1; }"

    def show(self, request: HandoffView | None) -> None:
        """Show a pending `request`'s reason, or nothing when no request is highlighted."""
        if request is None:
            self.say("", "")
        else:
            self.say(request.from_name, request.reason)

    def say(
        self, asked_by: str, reason: str, note_by: str = "", note: str = "", *, label: str = "Reason"
    ) -> None:
        """Show `reason` as given by `asked_by` (under `label`: "What happened" for a blocked
        attempt, whose reason says what was tried), and `note_by`'s `note` on it (nothing
        when there is no reason)."""
        self.display = bool(reason or note)
        if not self.display:
            return
        words = f"{label} ({one_line(asked_by, NAME_WIDTH)}): {one_line(reason)}"
        if note:
            words += f" — {one_line(note_by, NAME_WIDTH)}'s note: {one_line(note)}"
        self.update(plain(words))


NAME_WIDTH = 40
"""How much of a customer's or colleague's name a decision's sentence shows."""


def _names(request: HandoffView) -> tuple[str, str, str]:
    """The customer, the requester and the colleague asked for, cleaned onto one line each."""
    return (
        one_line(request.who, NAME_WIDTH),
        one_line(request.from_name, NAME_WIDTH),
        one_line(request.to_name, NAME_WIDTH),
    )


def approve(where: ServiceCaller, request: HandoffView | None) -> None:
    """Approve `request`: the customer moves to the named colleague, and the sentence says
    who moved to whom."""
    if request is None:
        answer_key(where.app, "No pending hand-off highlighted.")
        return
    who, from_name, to_name = _names(request)
    approved = f"Approved: {who} is now with {to_name} (from {from_name})."
    where.call(
        handoffs.approve_handoff, where.ctx, where.actor, request.id, then=lambda _: done(where, approved)
    )


def deny(where: ServiceCaller, request: HandoffView | None) -> None:
    """Deny `request` with a note the requester sees; the owner keeps the customer."""
    if request is None:
        answer_key(where.app, "No pending hand-off highlighted.")
        return

    who, from_name, to_name = _names(request)
    prompt = (
        f"Deny the hand-off of {who} from {from_name} to {to_name}? {from_name} keeps them. "
        f"Why? ({from_name} sees this)"
    )
    ask(
        where,
        TextPromptDialog("Deny hand-off", prompt),
        lambda actor, note: handoffs.deny_handoff(where.ctx, actor, request.id, note),
        then=lambda _: done(where, f"Denied: {who} stays with {from_name}."),
    )
