"""The base of a review pane: a widget inside the review screen that loads its own data.

A pane names the list its keys act on (`LIST_ID`): it takes the focus when the tab is shown
by its number, or by ↓ from the tab bar, so the arrows move its highlight at once. Its keys
act only on the row the lead picked there (`FittedTable.pick`): with the focus elsewhere
(the tab bar, the log under it) the highlight is not the lead's choice, and the key gives
the list the focus and says how to pick instead of acting on whatever row was first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import DataTable

from counter_tui.ui.focus_keys import focus_now
from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.shop_access import ShopAccess
from counter_tui.ui.widgets.column_fit import Col
from counter_tui.ui.widgets.fitted_table import FittedTable


class ReviewPane(Guarded, ShopAccess, Vertical):
    """A pane of the review screen. `reload()` fetches what it shows."""

    LIST_ID: ClassVar[str] = ""
    """The id of the list the pane's keys act on (or that scrolls by keys): it takes the
    focus when the tab is shown by its number; "" for a pane with none."""

    def focus_list(self) -> bool:
        """Give the pane's list the focus (at once); whether it has one to give it."""
        for widget in self.query(f"#{self.LIST_ID}") if self.LIST_ID else ():
            focus_now(widget)
            return True
        return False

    def pick(self, table_id: str, what: str) -> str | None:
        """The key of the row the lead picked in the table `table_id` (see
        `FittedTable.pick`); else None, after giving that list the focus and saying how to
        pick `what` ("a hand-off request")."""
        table = self.query_one(f"#{table_id}", FittedTable)
        return table.pick(
            f"Highlight {what} first: ↑↓ in the list, which has the keys now, then the key again."
        )

    def reload(self) -> None:
        """Fetch and show the pane's data (override)."""

    def on_mount(self) -> None:
        """Load when first shown."""
        self.reload()


def row_key(table: DataTable[Text]) -> str | None:
    """The key of the row under the cursor, if any."""
    if table.row_count == 0:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def new_table(table_id: str, columns: Sequence[Col], *, picks_rows: bool = False) -> FittedTable:
    """A row-cursor table with these columns, fitted to the pane's width; `picks_rows`:
    the pane's keys act on its highlighted row (`FittedTable.picks_rows`)."""
    return FittedTable(columns, id=table_id, zebra_stripes=True, picks_rows=picks_rows)
