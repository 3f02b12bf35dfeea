"""A DataTable that renders each cell through rich once, and places that rendering where
the row is drawn (its stripe, the cursor, the row number the mouse reads).

DataTable renders a cell again whenever its row's place changes (the stripe and the row
number are baked into the rendering) and after any row is added, removed or sorted: on
the floor board a claim that moves one row past twenty others rendered all their cells
again, most of what a change from another terminal cost. Styling rendered segments is
what DataTable's own rendering (`Styled`) does after rendering, so the lines drawn are
the same.

A row's whole line is drawn here too (`_render_line`), the way DataTable draws it, and
kept by the row's state (its stripe, whether the cursor or the mouse is on it) rather
than, as DataTable keeps its lines, by the cursor's and mouse's coordinates and a count
of updates: DataTable worked out the header's style, the background colours and every
column's width again for each line, and drew every line again when the cursor's row
moved. The mouse targets in a row's line name the row by its key, not by its place
(DataTable's "row"), so a line kept stays right when its row moves: a claim that moves
one row past twenty others draws one line, and takes the other twenty from those kept.
The mouse handlers put the row's place back (`_place_row`) before DataTable's own read
the event.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual._segment_tools import line_crop
from textual.cache import LRUCache
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from counter_tui.ui.focus_keys import OwnKeysInOrder
from counter_tui.ui.guarded_app import Guarded

CELLS_KEPT = 10_000
"""Cells kept rendered (a board of 500 rows has 3,000, of which some 250 are on screen)."""

ROW_KEY = "row_key"
"""The mouse target's row, by key, in the lines of rows drawn here."""
LINES_KEPT = 4_000
"""Row lines kept drawn (a row in each of its states: its place, cursor, mouse)."""

Shape = tuple[Text, tuple[int, int], list[list[Segment]]]
"""A cell, the (width, padding) it was rendered at, and its rendered lines."""


class _Plan(NamedTuple):
    """What every row's line in a drawing pass shares: the columns (key and width drawn),
    their total width, the rows under the cursor and the mouse, the table's width and
    scroll offset, the lines the header takes, and which row each line below it is."""

    columns: tuple[tuple[ColumnKey, int], ...]
    table_width: int
    cursor_row: int
    hover_row: int
    width: int
    scroll_x: int
    scroll_y: int
    top: int
    lines: list[tuple[RowKey, int]]
    show_cursor: bool
    show_hover: bool
    css_foreground: bool
    css_background: bool
    stamp: tuple[object, ...]
    """All of the above that a line's looks depend on, and the table's count of updates."""


class PlacedCellsTable(Guarded, OwnKeysInOrder, DataTable[Text]):
    """A DataTable of `Text` cells, one line a row, each cell rendered once a text and width
    (a cell is replaced, never changed in place: the rendering is kept by the cell object).
    Its arrows land in the order typed (`OwnKeysInOrder`), before a priority Enter typed
    after them (the floor board's) reads the row highlighted."""

    def __init__(self, **kwargs: Any) -> None:
        self._lines: dict[tuple[Any, ...], tuple[tuple[Text, ...], Strip]] = {}
        """Row lines drawn, by the row and its state, with the cells they were drawn from
        (set first: DataTable clears its caches while it is made)."""
        super().__init__(**kwargs)
        self._shapes: LRUCache[tuple[RowKey, ColumnKey], Shape] = LRUCache(CELLS_KEPT)
        self._renderings: LRUCache[tuple[object, ...], list[list[Segment]]] = LRUCache(CELLS_KEPT)
        """Cells rendered, by what they look like and the (width, padding) they were
        rendered at: a claimed row's "Quinn" and "served 0 min" are rendered once for
        every row that shows them."""
        """Each cell's rendering, without its row's place, stripe or cursor, by (row, column)."""
        self._pass_styles: dict[object, Style] | None = None
        """The table's and its stripes' styles while lines are drawn (`render_lines`)."""
        self._pass_plan: _Plan | None = None
        """What the row lines drawn in this pass share (`render_lines`)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines the screen asked for, with the table's style and its stripes' worked
        out once for them all: DataTable asks for each once a line (a walk up the DOM each
        time, a tenth of a change's drawing). Styles do not change while lines are drawn."""
        self._pass_styles = {}
        try:
            return super().render_lines(crop)
        finally:
            self._pass_styles = None
            self._pass_plan = None

    def notify_style_update(self) -> None:
        """The styles changed (a theme, focus): draw every line again."""
        super().notify_style_update()
        self._lines.clear()

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._lines.clear()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._place_row(event)

    async def _on_click(self, event: events.Click) -> None:
        self._place_row(event)

    def _place_row(self, event: events.MouseEvent) -> None:
        """Over a row's line drawn here: put the row's place into the event's mouse
        target, as DataTable's own handlers (run after these) read it. A row gone since
        its line was drawn is no target."""
        meta = event.style.meta
        if ROW_KEY in meta and "row" not in meta:
            index = self._row_locations.get(RowKey(meta[ROW_KEY]))
            if index is not None:
                event.style = event.style + Style.from_meta({"row": index})

    def _plan(self) -> _Plan | None:
        """What row lines share, or None when DataTable draws them itself (a cursor that
        is not a row's, fixed rows or columns, row labels)."""
        plan = self._pass_plan
        if plan is not None:
            return plan
        if (
            self.cursor_type != "row"
            or self.fixed_rows > 0
            or self.fixed_columns > 0
            or (self._labelled_row_exists and self.show_row_labels)
        ):
            return None
        columns = tuple((column.key, column.get_render_width(self)) for column in self.ordered_columns)
        looks = (
            self.zebra_stripes,
            self.cell_padding,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        widths = tuple(width for _, width in columns)
        scroll_x, scroll_y = self.scroll_offset
        plan = _Plan(
            columns,
            sum(widths),
            self.cursor_coordinate.row,
            self.hover_coordinate.row,
            self.size.width,
            scroll_x,
            scroll_y,
            self.header_height if self.show_header else 0,
            self._y_offsets,
            *looks[2:],
            (self._update_count, widths, *looks),
        )
        if self._pass_styles is not None:  # nothing changes while a pass draws
            self._pass_plan = plan
        return plan

    def render_line(self, y: int) -> Strip:
        """The table's line `y` on screen (DataTable's, with what it works out for each
        line taken from the pass's plan)."""
        plan = self._plan()
        if plan is None:
            return super().render_line(y)
        if y >= plan.top:
            y += plan.scroll_y
        return self._render_line(y, plan.scroll_x, plan.scroll_x + plan.width, self.rich_style)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """A line of the table: a row's one line drawn as DataTable draws it, kept while
        the row's cells, stripe, cursor and mouse stay as they are. The header, taller
        rows, cells that are not `Text` and the lines below the last row: as DataTable
        does."""
        plan = self._plan()
        if plan is None or y < plan.top or y - plan.top >= len(plan.lines):
            return super()._render_line(y, x1, x2, base_style)
        row_key, line_no = plan.lines[y - plan.top]
        row, row_index = self.rows.get(row_key), self._row_locations.get(row_key)
        if row is None or row.height != 1 or line_no or row_index is None:
            return super()._render_line(y, x1, x2, base_style)
        width = plan.width
        cursor, hover = row_index == plan.cursor_row, row_index == plan.hover_row
        data = self._data[row_key]
        cells = tuple(
            cell for column_key, _ in plan.columns if isinstance(cell := data.get(column_key), Text)
        )
        if len(cells) != len(plan.columns):
            return super()._render_line(y, x1, x2, base_style)
        key = (row_key, row_index % 2, cursor, hover, x1, x2, width, base_style, plan.stamp)
        kept = self._lines.get(key)
        if kept is not None and all(old is new for old, new in zip(kept[0], cells, strict=True)):
            return kept[1]
        strip = self._draw_row(row_key, row_index, cells, cursor, hover, x1, x2, width, base_style, plan)
        if len(self._lines) >= LINES_KEPT:
            self._lines.clear()
        self._lines[key] = (cells, strip)
        return strip

    def _draw_row(
        self,
        row_key: RowKey,
        row_index: int,
        cells: tuple[Text, ...],
        cursor: bool,
        hover: bool,
        x1: int,
        x2: int,
        width: int,
        base_style: Style,
        plan: _Plan,
    ) -> Strip:
        """The row's line: its cells styled for its stripe, cursor and mouse, then the
        rest of the line in the row's style (DataTable's `_render_line_in_row` and
        `_render_line`, for a table with no fixed rows, columns or labels)."""
        row_style = self._get_row_style(row_index, base_style)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            plan.show_cursor,
            plan.show_hover,
            plan.css_foreground,
            plan.css_background,
        )
        segments: list[Segment] = []
        for column_index, (column_key, cell_width) in enumerate(plan.columns):
            cell = cells[column_index]
            meta = Style.from_meta({ROW_KEY: row_key.value, "column": column_index})
            line = self._shape(row_key, column_key, cell, cell_width)[0]
            segments.extend(Segment.apply_style(line, row_style + meta + component_style, post_style))
        extend_style, _ = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, plan.show_cursor, plan.show_hover, False, False
        )
        extend_style = row_style + extend_style
        extend_style += Style.from_meta({ROW_KEY: row_key.value, "column": 0, "out_of_bounds": True})
        segments.append(Segment(" " * max(0, width - plan.table_width), extend_style))
        return Strip(line_crop(segments, x1, x2, width)).adjust_cell_length(width, base_style).simplify()

    def _shape(self, row_key: RowKey, column_key: ColumnKey, cell: Text, width: int) -> list[list[Segment]]:
        """The cell rendered through rich at `width` (kept until the cell or width changes)."""
        shape = self._shapes.get((row_key, column_key))
        size = (width, self.cell_padding)
        if shape is None or shape[0] is not cell or shape[1] != size:
            look = (
                cell.plain,
                cell.style,
                tuple(cell.spans),
                cell.justify,
                cell.overflow,
                cell.no_wrap,
                cell.end,
                cell.tab_size,
                size,
            )
            lines = self._renderings.get(look)
            if lines is None:
                options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
                lines = self.app.console.render_lines(Padding(cell, (0, self.cell_padding)), options)
                self._renderings[look] = lines
            shape = (cell, size, lines)
            self._shapes.discard((row_key, column_key))  # `set` keeps a key's first value
            self._shapes[row_key, column_key] = shape
        return shape[2]

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
        lines = self._shape(row_key, column_key, cell, width)
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
        return [list(Segment.apply_style(line, pre_style, post_style)) for line in lines]
