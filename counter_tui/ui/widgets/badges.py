"""Needs shown as short coloured badges."""

from __future__ import annotations

from rich.text import Text

from counter_tui.db.models import NeedKind
from counter_tui.services.context import ShopContext
from counter_tui.services.views import NeedView
from counter_tui.text import one_line

BADGE_STYLES: dict[str, str] = {
    NeedKind.NEEDS_HELP: "bold white on dark_red",
    NeedKind.BROWSE_PRIVATELY: "black on grey70",
    NeedKind.CALLBACK_WANTED: "black on yellow",
    NeedKind.ACCESSIBILITY: "white on blue",
    NeedKind.LANGUAGE: "white on dark_cyan",
    NeedKind.PICKUP: "black on green",
    NeedKind.ORDER_QUESTION: "black on orange1",
}


def needs_text(ctx: ShopContext, needs: tuple[NeedView, ...]) -> Text:
    """Badges for a visit's needs; browse privately shows its quiet check-back time."""
    text = Text()
    for need in needs:
        if text:
            text.append(" ")
        label = need.label
        if need.kind == NeedKind.BROWSE_PRIVATELY and need.check_back_at is not None:
            label += " · check " + ctx.calendar.local(need.check_back_at).format("HH:mm")
        if need.detail:
            label += f": {one_line(need.detail, 20)}"
        text.append(f" {label} ", style=BADGE_STYLES.get(need.kind, "reverse"))
    return text
