"""The floor board's cells for each visit, kept between updates so that only what changed
is built (and drawn) again.

A row's cells depend on the visit, on whether the board is narrow, and (the waiting
column only) on the clock. Building them costs more than anything else in an update
(time zone conversions, cleaning people's text), and the table redraws a cell only when
it is not the same object as before (the arrival time is converted with the standard
library: pendulum's conversion costs ten times as much, 500 times on a busy board); so
the cells of a visit that did not change are
handed back as the very same objects, and the waiting cell as the same object until its
words or colour change. The styles come from the board's table (`FloorTable.looks`); when
they change (a theme), every cell is built anew.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text

from counter_tui.services.context import ShopContext
from counter_tui.services.views import FloorRow
from counter_tui.ui.format import duration
from counter_tui.ui.safe_text import one_line, plain
from counter_tui.ui.widgets.badges import BADGE_LOOK_NAMES, FLAG_LOOK_NAMES, Looks, floor_flag, needs_text
from counter_tui.ui.widgets.column_fit import Col, name_col

COLUMNS = (
    Col("flag", "!", 5),
    name_col("who", "Customer", 30, shrink_first=True),  # gives way first, but keeps a name
    Col("arrived", "Arrived", 7, min_width=5, short="In"),
    Col("waiting", "Waiting", 13, min_width=6, short="Wait"),
    name_col("owner", "With", 16),
    Col("needs", "Needs", 28, min_width=14, grow=True),
)
WAITING_URGENT = "waiting-urgent"
"""The look of the waiting time of someone nobody has, waiting too long."""
LOOK_NAMES = (*FLAG_LOOK_NAMES, *BADGE_LOOK_NAMES, WAITING_URGENT)


class FloorCells:
    """Cells for floor rows, remembered per visit; `looks` hands out the styles (the
    same object while they stay the same)."""

    def __init__(self, ctx: ShopContext, looks: Callable[[], Looks]) -> None:
        self.ctx = ctx
        self._looks_now = looks
        self._looks: Looks = {}
        self._steady: dict[int, tuple[FloorRow, bool, list[Text]]] = {}
        self._waiting: dict[int, Text] = {}

    def cells(self, row: FloorRow, narrow: bool, now: datetime) -> list[Text]:
        """The row's cells; `narrow` abbreviates so needs and owner still fit at 80 columns."""
        looks = self._looks_now()
        if looks is not self._looks:
            self._looks = looks
            self._steady.clear()
            self._waiting.clear()
        kept = self._steady.get(row.visit_id)
        if kept is None or kept[0] != row or kept[1] != narrow:
            kept = (row, narrow, self._steady_cells(row, narrow))
            self._steady[row.visit_id] = kept
        flag, who, arrived, owner, needs = kept[2]
        return [flag, who, arrived, self._waiting_cell(row, narrow, now), owner, needs]

    def keep_only(self, visit_ids: set[int]) -> None:
        """Forget the cells of visits no longer on the board."""
        for gone in self._steady.keys() - visit_ids:
            del self._steady[gone]
            self._waiting.pop(gone, None)

    def _waiting_cell(self, row: FloorRow, narrow: bool, now: datetime) -> Text:
        if not row.owner_id:
            words, style = duration(row.arrived_at, now), (self._looks[WAITING_URGENT] if row.urgent else "")
        else:
            # Narrow, "served 6 min" does not fit the Wait column, and "6 min" there read as
            # six minutes of waiting: someone has them, so nobody is waiting.
            served = duration(row.owner_since or row.arrived_at, now)
            words, style = ("—" if narrow else f"served {served}"), "dim"
        shown = self._waiting.get(row.visit_id)
        if shown is not None and shown.plain == words and shown.style == style:
            return shown
        waiting = self._waiting[row.visit_id] = plain(words, style=style)
        return waiting

    def _steady_cells(self, row: FloorRow, narrow: bool) -> list[Text]:
        if row.owner_name:
            owner = Text(one_line(row.owner_name, 8 if narrow else 16))
            if row.helper_names:
                owner.append(f" +{len(row.helper_names)}", style="dim")
        else:
            owner = Text("nobody" if narrow else "— nobody yet", style="bold" if row.urgent else "dim")
        who = Text(one_line(row.who))
        if row.language_tag:
            who.append_text(plain(f" {row.language_tag}", style="bold"))
        if row.source.startswith("kiosk"):
            who.append(f"  ({one_line(row.source, 20)})", style="dim")
        return [
            floor_flag(row, self._looks),
            who,
            plain(row.arrived_at.astimezone(self.ctx.calendar.tz).strftime("%H:%M")),
            owner,
            needs_text(self.ctx, row.needs, self._looks, short=narrow),
        ]
