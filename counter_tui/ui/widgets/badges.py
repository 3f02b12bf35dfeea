"""Needs shown as short badges, and the floor board's flag column: each a word, coloured
from the theme (`ui/tones.py`), so they read without colour too (NO_COLOR)."""

from __future__ import annotations

from rich.text import Text

from counter_tui.db.models import NeedKind
from counter_tui.services.context import ShopContext
from counter_tui.services.views import FloorRow, NeedView
from counter_tui.ui.safe_text import clean, one_line
from counter_tui.ui.tones import (
    ALARM,
    BADGE_ACCESS,
    BADGE_ALARM,
    BADGE_CALL,
    BADGE_LANGUAGE,
    BADGE_ORDER,
    BADGE_OTHER,
    BADGE_PICKUP,
    BADGE_QUIET,
    PENDING,
    URGENT,
    WARNING,
    tone,
)

BADGE_TONES: dict[str, str] = {
    NeedKind.NEEDS_HELP: BADGE_ALARM,
    NeedKind.BROWSE_PRIVATELY: BADGE_QUIET,
    NeedKind.CALLBACK_WANTED: BADGE_CALL,
    NeedKind.ACCESSIBILITY: BADGE_ACCESS,
    NeedKind.LANGUAGE: BADGE_LANGUAGE,
    NeedKind.PICKUP: BADGE_PICKUP,
    NeedKind.ORDER_QUESTION: BADGE_ORDER,
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
        text.append(clean(f" {label} "), style=tone(BADGE_TONES.get(need.kind, BADGE_OTHER)))
    return text


def floor_flag(row: FloorRow) -> Text:
    """The floor board's flag for a visit, the most pressing first: HELP (asked for help,
    nobody has them), WAIT (waiting too long), CHECK (a quiet check-back is due), H/O (a
    hand-off waits for a lead); empty when all is well. A new Text each call."""
    if row.needs_help_unclaimed:
        return Text("HELP", style=tone(ALARM))
    if row.waiting_too_long:
        return Text("WAIT", style=tone(URGENT))
    if row.check_back_due:
        return Text("CHECK", style=tone(WARNING))
    if row.handoff_pending:
        return Text("H/O", style=tone(PENDING))
    return Text("")
