"""Needs shown as short badges, and the floor board's flag column: each a word, so they
read without colour too (NO_COLOR), in a look the widget showing them hands in.

A look is named here ("flag-alarm", "badge-help", …); the widget maps each name to one of
its component classes (`floor-board--flag-alarm`, …), which app.tcss styles with the
theme's variables, so a theme (or the stylesheet) changes them all.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from rich.text import Text

from counter_tui.db.models import NeedKind
from counter_tui.services.context import ShopContext
from counter_tui.services.views import FloorRow, NeedView
from counter_tui.ui.safe_text import clean, one_line

Looks = Mapping[str, Style]
"""Styles by look name, from the showing widget's component classes."""

FLAG_ALARM = "flag-alarm"
"""Asked for help and nobody has them: seen across the room."""
FLAG_URGENT = "flag-urgent"
FLAG_WARNING = "flag-warning"
FLAG_PENDING = "flag-pending"
BADGE_LOOKS: dict[str, str] = {
    NeedKind.NEEDS_HELP: "badge-help",
    NeedKind.BROWSE_PRIVATELY: "badge-private",
    NeedKind.CALLBACK_WANTED: "badge-call-back",
    NeedKind.ACCESSIBILITY: "badge-access",
    NeedKind.LANGUAGE: "badge-language",
    NeedKind.PICKUP: "badge-pickup",
    NeedKind.ORDER_QUESTION: "badge-order",
}
BADGE_OTHER = "badge-other"
"""A need of a kind added later: still a badge, in reverse."""
FLAG_LOOK_NAMES = (FLAG_ALARM, FLAG_URGENT, FLAG_WARNING, FLAG_PENDING)
BADGE_LOOK_NAMES = (*BADGE_LOOKS.values(), BADGE_OTHER)

SHORT_LABELS: dict[str, str] = {
    NeedKind.NEEDS_HELP: "HELP",
    NeedKind.BROWSE_PRIVATELY: "private",
    NeedKind.CALLBACK_WANTED: "call back",
    NeedKind.ACCESSIBILITY: "access",
    NeedKind.LANGUAGE: "lang",
    NeedKind.PICKUP: "pickup",
    NeedKind.ORDER_QUESTION: "order?",
}


def needs_text(ctx: ShopContext, needs: tuple[NeedView, ...], looks: Looks, *, short: bool = False) -> Text:
    """Badges for a visit's needs; browse privately shows its quiet check-back time.
    `short` words keep every badge visible on a narrow (80-column) board."""
    text = Text()
    for need in needs:
        if text:
            text.append(" ")
        label = SHORT_LABELS.get(need.kind, need.label) if short else need.label
        if need.kind == NeedKind.BROWSE_PRIVATELY and need.check_back_at is not None:
            check = ctx.calendar.local(need.check_back_at).format("HH:mm")
            label += f" {check}" if short else f" · check {check}"
        if need.detail:
            label += f": {one_line(need.detail, 8 if short else 20)}"
        text.append(clean(f" {label} "), style=looks[BADGE_LOOKS.get(need.kind, BADGE_OTHER)])
    return text


def floor_flag(row: FloorRow, looks: Looks) -> Text:
    """The floor board's flag for a visit, the most pressing first: HELP (asked for help,
    nobody has them), WAIT (waiting too long), CHECK (a quiet check-back is due), H/O (a
    hand-off waits for a lead); empty when all is well. A new Text each call."""
    if row.needs_help_unclaimed:
        return Text("HELP", style=looks[FLAG_ALARM])
    if row.waiting_too_long:
        return Text("WAIT", style=looks[FLAG_URGENT])
    if row.check_back_due:
        return Text("CHECK", style=looks[FLAG_WARNING])
    if row.handoff_pending:
        return Text("H/O", style=looks[FLAG_PENDING])
    return Text("")
