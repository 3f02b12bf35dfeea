"""The base of a review pane: a widget inside the review screen that loads its own data."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import DataTable

from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.shop_access import ShopAccess
from counter_tui.ui.widgets.fitted_table import Col, FittedTable


class ReviewPane(Guarded, ShopAccess, Vertical):
    """A pane of the review screen. `reload()` fetches what it shows."""

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


def new_table(table_id: str, columns: Sequence[Col]) -> FittedTable:
    """A row-cursor table with these columns, fitted to the pane's width."""
    return FittedTable(columns, id=table_id, zebra_stripes=True)
