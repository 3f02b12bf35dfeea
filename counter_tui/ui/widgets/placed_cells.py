"""A DataTable that renders each cell through rich once, and places that rendering where
the row is drawn (its stripe, the cursor, the row number the mouse reads).

DataTable renders a cell again whenever its row's place changes (the stripe and the row
number are baked into the rendering) and after any row is added, removed or sorted: on
the floor board a claim that moves one row past twenty others rendered all their cells
again, most of what a change from another terminal cost. Styling rendered segments is
what DataTable's own rendering (`Styled`) does after rendering, so the lines drawn are
the same.
"""

from __future__ import annotations

from typing import Any

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from counter_tui.ui.guarded_app import Guarded

CELLS_KEPT = 10_000
"""Cells kept rendered (a board of 500 rows has 3,000, of which some 250 are on screen)."""

Shape = tuple[Text, tuple[int, int], list[list[Segment]]]
"""A cell, the (width, padding) it was rendered at, and its rendered lines."""


class PlacedCellsTable(Guarded, DataTable[Text]):
    """A DataTable of `Text` cells, one line a row, each cell rendered once a text and width
    (a cell is replaced, never changed in place: the rendering is kept by the cell object)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shapes: LRUCache[tuple[RowKey, ColumnKey], Shape] = LRUCache(CELLS_KEPT)
        """Each cell's rendering, without its row's place, stripe or cursor, by (row, column)."""
        self._pass_styles: dict[object, Style] | None = None
        """The table's and its stripes' styles while lines are drawn (`render_lines`)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines the screen asked for, with the table's style and its stripes' worked
        out once for them all: DataTable asks for each once a line (a walk up the DOM each
        time, a tenth of a change's drawing). Styles do not change while lines are drawn."""
        self._pass_styles = {}
        try:
            return super().render_lines(crop)
        finally:
            self._pass_styles = None

    @property
    def rich_style(self) -> Style:
        """The table's style (kept while lines are drawn)."""
        kept = self._pass_styles
        if kept is None:
            return super().rich_style
        style = kept.get("table")
        if style is None:
            style = kept["table"] = super().rich_style
        return style

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        """A row's style: its stripe's (kept while lines are drawn)."""
        kept = self._pass_styles
        if kept is None or row_index < max(0, self.fixed_rows):
            return super()._get_row_style(row_index, base_style)
        key = (row_index % 2, base_style)
        style = kept.get(key)
        if style is None:
            style = kept[key] = super()._get_row_style(row_index, base_style)
        return style

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """A row's cell, rendered through rich only when its text or width changed, then
        styled for the place it is drawn at (stripe, cursor, hover, mouse target). Headers,
        labels, fixed cells, cells that are not `Text` and taller rows: as DataTable does."""
        if row_index < max(0, self.fixed_rows) or column_index < max(0, self.fixed_columns):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cell = self._data[row_key].get(column_key)
        if not isinstance(cell, Text) or self.rows[row_key].height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        shape = self._shapes.get((row_key, column_key))
        size = (width, self.cell_padding)
        if shape is None or shape[0] is not cell or shape[1] != size:
            options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
            lines = self.app.console.render_lines(Padding(cell, (0, self.cell_padding)), options)
            shape = (cell, size, lines)
            self._shapes.discard((row_key, column_key))  # `set` keeps a key's first value
            self._shapes[row_key, column_key] = shape
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        return [list(Segment.apply_style(line, pre_style, post_style)) for line in shape[2]]
