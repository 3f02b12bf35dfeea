"""Needs shown as short coloured badges."""

from __future__ import annotations

from rich.text import Text

from counter_tui.db.models import NeedKind
from counter_tui.services.context import ShopContext
from counter_tui.services.views import FloorRow, NeedView
from counter_tui.ui.safe_text import clean, one_line

BADGE_STYLES: dict[str, str] = {
    NeedKind.NEEDS_HELP: "bold white on dark_red",
    NeedKind.BROWSE_PRIVATELY: "black on grey70",
    NeedKind.CALLBACK_WANTED: "black on yellow",
    NeedKind.ACCESSIBILITY: "white on blue",
    NeedKind.LANGUAGE: "white on dark_cyan",
    NeedKind.PICKUP: "black on green",
    NeedKind.ORDER_QUESTION: "black on orange1",
}

SHORT_LABELS: dict[str, str] = {
    NeedKind.NEEDS_HELP: "HELP",
    NeedKind.BROWSE_PRIVATELY: "private",
    NeedKind.CALLBACK_WANTED: "call back",
    NeedKind.ACCESSIBILITY: "access",
    NeedKind.LANGUAGE: "lang",
    NeedKind.PICKUP: "pickup",
    NeedKind.ORDER_QUESTION: "order?",
}


def needs_text(ctx: ShopContext, needs: tuple[NeedView, ...], *, short: bool = False) -> Text:
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
        text.append(clean(f" {label} "), style=BADGE_STYLES.get(need.kind, "reverse"))
    return text


def floor_flag(row: FloorRow) -> Text:
    """The floor board's "!" cell: why a visit stands out, most pressing first (one
    function, so the board's flags are styled in one place). A new Text each call."""
    if row.needs_help_unclaimed:
        return Text("HELP", style="bold white on red")
    if row.waiting_too_long:
        return Text("WAIT", style="bold red")
    if row.check_back_due:
        return Text("CHECK", style="yellow")
    if row.handoff_pending:
        return Text("H/O", style="magenta")
    return Text("")
