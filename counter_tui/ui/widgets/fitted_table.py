"""A row table whose columns have fixed widths fitted to the space it has.

Textual's DataTable sizes "auto" columns when it is next idle, after rows were added; a
frame drawn in between is cached with the columns still as narrow as their headers and
stays on screen (that made a snapshot flaky under load). Here every column has a width
before any row is added, so the first frame is the right one. The widths are fitted to
the table's width (`column_fit`).

A table whose rows keys act on (`picks_rows=True`: approve, deny, reassign…) gives those
keys only a row the person picked and can see (`picked_row_key`, `pick`): the table has the
focus, so its highlight is the bright one, and the row under it was not put there by a
refill. When the row the person was on leaves the table (approved at another till), the
highlight is hidden rather than left on whichever row took its place; the next arrow (or
any move of the cursor) shows it again, on the row it is on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.dom import NoScreen
from textual.errors import NoWidget
from textual.geometry import Region
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, Row, RowKey

from counter_tui.ui.focus_keys import focus_now
from counter_tui.ui.safe_text import answer_key, plain
from counter_tui.ui.widgets.column_fit import CELL_PADDING, Col, fit_cell, fit_widths
from counter_tui.ui.widgets.placed_cells import PlacedCellsTable

FIRST_ROWS = 80
"""Rows added before the first frame after a fill (more than any terminal shows); the
rest are added once that frame is drawn, so a long board appears at once."""


class FittedTable(PlacedCellsTable):
    """A row-cursor table of `Col` columns; `fill` replaces its rows."""

    class NarrowChanged(Message):
        """The table became narrow (some column below the width it wants) or wide again,
        so its owner may want shorter or longer cell texts."""

        def __init__(self, table: FittedTable, narrow: bool) -> None:
            super().__init__()
            self.table = table
            self.narrow = narrow

    def __init__(self, columns: Sequence[Col], *, picks_rows: bool = False, **kwargs: object) -> None:
        super().__init__(cursor_type="row", cell_padding=CELL_PADDING, **kwargs)
        self.picks_rows = picks_rows
        """Whether keys act on the highlighted row (see `picked_row_key`)."""
        self.row_lost = False
        """The row the person was on left the table; nothing is picked until the cursor moves."""
        self._refilling = False
        self.specs = tuple(columns)
        self.heading: Callable[[str], bool] = lambda key: False
        """Which row keys are headings (none unless set), passed over by Home and End."""
        self._rows: list[tuple[str, Sequence[Text]]] = []
        self._widths: list[int] = []
        self._pending: list[tuple[str, Sequence[Text]]] = []
        self._measured: dict[str, tuple[Sequence[Text], tuple[int, ...]]] = {}
        """The cells of each row shown and their widths, by row key."""
        self._counts: list[Counter[int]] | None = None
        """For each column, how many of the rows measured have a cell of each width."""
        """Rows of the last fill not yet added to the table (see FIRST_ROWS)."""
        self._was_narrow = False

    def on_mount(self) -> None:
        """Add the columns, as wide as their headers until rows come."""
        for column, width in zip(self.specs, self.fitted_widths(), strict=True):
            self.add_column(plain(column.header(width)), width=width, key=column.key)

    def available_width(self) -> int:
        """Cells the columns may use: the table's width less room for a scroll bar."""
        width = self.size.width or self.app.size.width
        return width - self.styles.scrollbar_size_vertical

    def fitted_widths(self) -> list[int]:
        """The column widths for the current rows at the table's current size."""
        measured: dict[str, tuple[Sequence[Text], tuple[int, ...]]] = {}
        for key, cells in self._rows:
            kept = self._measured.get(key)
            if kept is not None and (
                kept[0] is cells or all(old is new for old, new in zip(kept[0], cells, strict=True))
            ):
                measured[key] = kept  # the same cell objects as last time: not measured again
            else:
                measured[key] = (cells, tuple(cell.cell_len for cell in cells))
        self._measured = measured
        columns = list(zip(*(widths for _, widths in measured.values()), strict=True))
        self._counts = [Counter(column) for column in columns] if columns else [Counter() for _ in self.specs]
        return self._fit(self._counts)

    def _fit(self, counts: list[Counter[int]]) -> list[int]:
        """The column widths for cells of these widths (each column at least its header)."""
        content = [
            max(len(spec.label), max(column, default=0))
            for spec, column in zip(self.specs, counts, strict=True)
        ]
        return fit_widths(self.specs, self.available_width(), content)

    def _widths_after(self, touched: Collection[str], rows: dict[str, Sequence[Text]]) -> list[int]:
        """`fitted_widths` when only the `touched` rows can have changed (`rows`: every
        row now, by key): those rows are measured again, the others' widths kept."""
        counts = self._counts
        if counts is None:
            return self.fitted_widths()
        for key in touched:
            kept = self._measured.pop(key, None)
            if kept is not None:
                for column, width in zip(counts, kept[1], strict=True):
                    column[width] -= 1
                    if not column[width]:
                        del column[width]
            cells = rows.get(key)
            if cells is not None:
                widths = tuple(cell.cell_len for cell in cells)
                self._measured[key] = (cells, widths)
                for column, width in zip(counts, widths, strict=True):
                    column[width] += 1
        return self._fit(counts)

    @property
    def narrow(self) -> bool:
        """Whether the columns' preferred widths do not all fit, so cells should use their
        short forms."""
        fitted = fit_widths(self.specs, self.available_width())
        return any(width < spec.width for width, spec in zip(fitted, self.specs, strict=True))

    def fill(self, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
        """Show these (row key, cells) rows, keeping the cursor on the same row if it is
        still there."""
        self._rows = list(rows)
        self._lay_out()

    def patch(
        self, rows: Sequence[tuple[str, Sequence[Text]]], *, touched: Collection[str] | None = None
    ) -> None:
        """Show these (row key, cells) rows by changing only what differs from what is
        shown: a cell that is not the same object (or equal) as before is replaced, rows
        gone are taken out, new rows put in their place, and the order put right; only
        the rows changed or moved are drawn again (`_put_in_place`), and the cursor stays
        on the same row. When the columns would need other widths, or most rows changed,
        the table is filled again instead (every cell is cut to its new width).

        `touched`: the keys of the only rows that may have come, gone or changed since the
        last fill or patch (every other row given with the same cells as then); only
        those are compared and measured (a change on the floor board touches a few rows of
        hundreds). None: any row may have."""
        self._add_pending()
        before = dict(self._rows)
        self._rows = list(rows)
        if touched is None:
            widths = self.fitted_widths()
            changed = [(key, cells) for key, cells in rows if _differs(before.get(key), cells)]
        else:
            now = dict(self._rows)
            widths = self._widths_after(touched, now)
            changed = [
                (key, now[key]) for key in touched if key in now and _differs(before.get(key), now[key])
            ]
        if widths != self._widths or 2 * len(changed) > max(len(rows), len(before)):
            self._lay_out()
            return
        selected = self.cursor_row_key()
        keys = [key for key, _ in rows]
        at = self.cursor_row
        self._refilling = True
        try:
            self._put_in_place(keys, changed, before, widths)
            if selected is not None and selected in before and selected in set(keys):
                now_at = self.get_row_index(selected)
                if now_at != at:  # still on the same line: nothing to move (nor scroll to)
                    self.move_cursor(row=now_at)
        finally:
            self._refilling = False
        if selected in before:
            self._lose_row_if_gone(selected, keys)

    def _put_in_place(
        self,
        keys: list[str],
        changed: list[tuple[str, Sequence[Text]]],
        before: dict[str, Sequence[Text]],
        widths: list[int],
    ) -> None:
        """Put the changed cells, the rows that came and the new order in place, take
        out the rows gone, and draw again only the rows that changed or moved (and the
        lines a shorter table left).

        DataTable's own `update_cell`, `add_row`, `remove_row` and `sort` count an update
        that every one of its render caches is keyed on, so each drew every visible line
        again (about 40 lines of 6 cells for a one-cell change). Here the caches' entries
        for those rows alone are dropped and only their lines refreshed.
        """
        shown_before = [row.key.value for row in self.ordered_rows]
        for key in before.keys() - set(keys):
            del self.rows[RowKey(key)], self._data[RowKey(key)]
        for key, cells in changed:
            old_cells = before.get(key)
            if old_cells is None:
                self.rows[RowKey(key)] = Row(RowKey(key), 1)
                self._data[RowKey(key)] = {
                    ColumnKey(spec.key): fit_cell(cell, width)
                    for spec, width, cell in zip(self.specs, widths, cells, strict=True)
                }
                continue
            shown = self._data[RowKey(key)]
            for spec, width, old, new in zip(self.specs, widths, old_cells, cells, strict=True):
                if not _same(old, new):
                    shown[ColumnKey(spec.key)] = fit_cell(new, width)
        moved = [
            index
            for index, key in enumerate(keys)
            if index >= len(shown_before) or shown_before[index] != key
        ]
        if len(keys) != len(shown_before):
            self._row_locations = type(self._row_locations)({RowKey(key): n for n, key in enumerate(keys)})
            self._require_update_dimensions = True  # the scrollable height, when next idle
            self.check_idle()
        else:
            for index in moved:
                self._row_locations[RowKey(keys[index])] = index
        if moved or len(keys) != len(shown_before):
            self._ordered_row_cache.clear()
            self._offset_cache.clear()
        self._forget_rows({key for key, _ in changed} | {keys[index] for index in moved})
        if len(keys) < len(shown_before):
            self._clear_lines(len(keys), len(shown_before))
        if self.cursor_row >= len(keys):  # kept within the rows (the watchers clamp it)
            self.cursor_coordinate = self.cursor_coordinate
        if self.hover_row >= len(keys):
            self.hover_coordinate = self.hover_coordinate

    def _forget_rows(self, keys: set[str]) -> None:
        """Drop the render caches' entries for these rows (by key, by index and by line)
        and refresh their lines."""
        if not keys:
            return
        indices = {self.get_row_index(key) for key in keys}
        top = self.header_height if self.show_header else 0
        lines = {top + index for index in indices}  # every row is one line high
        _discard_where(self._row_render_cache, lambda key: key[0] in keys)
        _discard_where(self._cell_render_cache, lambda key: key[0] in keys)
        _discard_where(self._row_renderable_cache, lambda key: key[1] in indices)
        _discard_where(self._line_cache, lambda key: key[0] in lines)
        for first, last in _runs(sorted(indices)):  # one refresh a run of rows, not one a row
            self._clear_lines(first, last + 1)

    def _clear_lines(self, first: int, end: int) -> None:
        """Refresh the lines of rows `first` to `end` (exclusive)."""
        top = self.header_height if self.show_header else 0
        width = max(self.size.width, self.virtual_size.width)
        self.refresh(Region(0, top + first, width, end - first).translate(-self.scroll_offset))

    def on_resize(self) -> None:
        """Fit the columns to the new size (cutting every cell again only when a width
        changed, not when just the height did), and say so when it became narrow or wide."""
        if not self.columns:
            return
        if self.fitted_widths() != self._widths:
            self._lay_out()
        if self.narrow != self._was_narrow:
            self._was_narrow = self.narrow
            self.post_message(self.NarrowChanged(self, self.narrow))

    def _lay_out(self) -> None:
        widths = self._widths = self.fitted_widths()
        selected = self.cursor_row_key()
        for spec, width in zip(self.specs, widths, strict=True):
            column = self.columns[ColumnKey(spec.key)]
            column.width, column.auto_width = width, False
            column.label = fit_cell(Text(spec.header(width)), width)
        keys = [key for key, _ in self._rows]
        self._refilling = True
        try:
            self.clear()
            at = keys.index(selected) if selected in keys else 0
            first = at + FIRST_ROWS
            for key, cells in self._rows[:first]:
                self.add_row(
                    *(fit_cell(cell, width) for cell, width in zip(cells, widths, strict=True)), key=key
                )
            self._pending = self._rows[first:]
            if self._pending:
                self.call_after_refresh(self._add_pending)
            if selected is not None and selected in keys:
                self.move_cursor(row=at)
        finally:
            self._refilling = False
        self._lose_row_if_gone(selected, keys)

    def _lose_row_if_gone(self, selected: str | None, keys: Sequence[str]) -> None:
        """The row the cursor was on (`selected`) left the table: with `picks_rows`, hide
        the highlight rather than leave it on whichever row took its place."""
        if self.picks_rows and selected is not None and selected not in keys and keys:
            self.row_lost = True
            self.show_cursor = False

    def _show_row(self) -> bool:
        """Show the highlight again after a row was lost; whether it was hidden."""
        if not self.row_lost:
            return False
        self.row_lost = False
        self.show_cursor = True
        return True

    def watch_cursor_coordinate(self, old_coordinate: Coordinate, new_coordinate: Coordinate) -> None:
        """A move of the cursor (by keys, a click or the screen), not a refill, shows the
        highlight again where it lands."""
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)
        if not self._refilling and old_coordinate != new_coordinate:
            self._show_row()

    def action_cursor_up(self) -> None:
        """Up, over headings (staying put when only headings are above); the first arrow
        after a row was lost only shows where the cursor is."""
        if not self._show_row():
            self._step(-1)

    def action_cursor_down(self) -> None:
        """Down, over headings (staying put when only headings are below); the first arrow
        after a row was lost only shows where the cursor is."""
        if not self._show_row():
            self._step(1)

    def action_page_up(self) -> None:
        """A page up, then off a heading (down to the row under it, if need be)."""
        super().action_page_up()
        self._off_heading(-1)

    def action_page_down(self) -> None:
        """A page down, then off a heading (up to the row above it, if need be)."""
        super().action_page_down()
        self._off_heading(1)

    def _step(self, direction: int) -> None:
        """Move one row in `direction`, over heading rows; no row there: stay."""
        if direction > 0:
            self._add_pending()
        row = self.cursor_row + direction
        while 0 <= row < self.row_count and self._is_heading(row):
            row += direction
        if row == self.cursor_row + direction and direction > 0:
            super().action_cursor_down()
        elif row == self.cursor_row + direction:
            super().action_cursor_up()
        elif 0 <= row < self.row_count:
            self.move_cursor(row=row)

    def _off_heading(self, direction: int) -> None:
        """Off a heading the cursor landed on: onward in `direction`, else back."""
        if not self.row_count or not self._is_heading(self.cursor_row):
            return
        for step in (direction, -direction):
            row = self.cursor_row
            while 0 <= row < self.row_count and self._is_heading(row):
                row += step
            if 0 <= row < self.row_count:
                self.move_cursor(row=row)
                return

    def _is_heading(self, row: int) -> bool:
        return self.heading(str(self.ordered_rows[row].key.value))

    def picked_row_key(self) -> str | None:
        """The key of the row the person has picked and can see highlighted: the table has
        the focus, its highlight is shown and on screen (not scrolled out of view below
        a long pane), and it is not on a heading; else None."""
        if not self.has_focus or not self.show_cursor or self.row_lost or not self.highlight_in_view():
            return None
        key = self.cursor_row_key()
        return None if key is None or self.heading(key) else key

    def highlight_in_view(self) -> bool:
        """Whether the highlighted row was on screen in the last frame: inside what this
        table and every container around it show."""
        try:
            geometry = self.screen.find_widget(self)
        except (NoScreen, NoWidget):
            return False
        row = self._get_row_region(self.cursor_row)
        top = geometry.region.y + row.y - round(self.scroll_y)
        shown = geometry.visible_region
        return row.height > 0 and shown.y <= top < shown.bottom

    def pick(self, ask: str) -> str | None:
        """`picked_row_key`; when nothing is picked, None after giving this table the keys
        (its highlight shows, brought into view) and saying `ask`, how to pick a row."""
        key = self.picked_row_key()
        if key is None:
            focus_now(self)  # at once: the arrows typed next move this highlight
            self.call_after_refresh(self._bring_highlight_into_view)
            answer_key(self, ask)
        return key

    def _bring_highlight_into_view(self) -> None:
        """Scroll the table, then the nearest scrolling container around it, so the
        highlighted row shows."""
        row = self._get_row_region(self.cursor_row)
        self.scroll_to_region(row, animate=False, immediate=True)
        around = next(
            (widget for widget in self.ancestors if isinstance(widget, Widget) and widget.is_scrollable), None
        )
        if around is not None:
            in_container = row.translate(self.virtual_region.offset).translate((0, -round(self.scroll_y)))
            around.scroll_to_region(in_container, animate=False, immediate=True)

    def _add_pending(self) -> None:
        """Add the rows a fill left for after its first frame."""
        pending, self._pending = self._pending, []
        for key, cells in pending:
            self.add_row(
                *(fit_cell(cell, width) for cell, width in zip(cells, self._widths, strict=True)), key=key
            )

    def action_scroll_home(self) -> None:
        """Home: the first row that is not a heading (DataTable's Home moves along the
        columns, which a row cursor does not use)."""
        self._show_row()
        self._to_first_of(range(self.row_count))

    def action_scroll_end(self) -> None:
        """End: the last row that is not a heading (every row added first)."""
        self._show_row()
        self._add_pending()
        self._to_first_of(reversed(range(self.row_count)))

    def _to_first_of(self, indices: Iterable[int]) -> None:
        for index in indices:
            if not self.heading(str(self.ordered_rows[index].key.value)):
                self.move_cursor(row=index)
                return

    def move_cursor_to(self, key: str) -> None:
        """Put the cursor on the row with this key (every row added first)."""
        self._add_pending()
        self.move_cursor(row=self.get_row_index(key))

    def cursor_row_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if self.row_count == 0:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value


def _runs(indices: list[int]) -> Iterator[tuple[int, int]]:
    """The first and last of each run of consecutive numbers in sorted `indices`."""
    start = previous = indices[0]
    for index in indices[1:]:
        if index != previous + 1:
            yield start, previous
            start = index
        previous = index
    yield start, previous


def _discard_where(cache: LRUCache[Any, Any], drop: Callable[[Any], bool]) -> None:
    """Drop the entries of `cache` whose keys `drop` picks."""
    for key in [*filter(drop, cache.keys())]:
        cache.discard(key)


def _differs(shown: Sequence[Text] | None, cells: Sequence[Text]) -> bool:
    """Whether a row's new cells differ from those shown (None: not shown yet)."""
    if shown is None:
        return True
    if shown is cells:  # the same row as last time (the floor board keeps rows no change touched)
        return False
    return not all(_same(old, new) for old, new in zip(shown, cells, strict=True))


def _same(old: Text, new: Text) -> bool:
    """Whether two cells look the same (rich's own `==` ignores the base style)."""
    return old is new or (old.plain == new.plain and old.style == new.style and old.spans == new.spans)


class ListTable(FittedTable, inherit_bindings=False):
    """A `FittedTable` whose screen binds Enter itself (open, check off): the table keeps
    its arrows and pages but hands Enter up, so Enter waits its turn behind the arrows
    typed before it. As a priority key on the screen it was decided on arrival, before
    queued arrows moved the highlight: Down, Down, Enter in one burst acted on the first
    row. Enter then also shows in the footer as the screen's own key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding for binding in DataTable.BINDINGS if isinstance(binding, Binding) and binding.key != "enter"
    ]
