"""A table of placed cells draws each row's line itself, keeping it by the row's state,
and draws exactly what DataTable draws for the same rows: text, styles, stripes, the
cursor and mouse highlights, cropping, and the mouse targets (the row and column each
cell is; rows drawn here name their row by key, which the mouse handlers turn into the
row's place). The mouse picks and highlights the row under it, also after rows moved."""

from __future__ import annotations

from typing import Any

import pytest
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from counter_tui.ui.widgets.column_fit import Col
from counter_tui.ui.widgets.fitted_table import FittedTable
from counter_tui.ui.widgets.placed_cells import ROW_KEY

COLUMNS = (Col("who", "Customer", 14), Col("owner", "With", 10), Col("needs", "Needs", 12, grow=True))


def cells(n: int) -> list[Text]:
    who = Text(f"visit {n}", style="bold" if n % 3 else "")
    who.append(" fr", style="italic red")
    owner = Text("nobody", style="dim") if n % 2 else Text(f"Someone with a long name {n}")
    return [who, owner, Text("help" if n == 4 else "")]


class SideBySide(App[None]):
    """Ours beside DataTable itself, with the same columns and cells."""

    AUTO_FOCUS = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield FittedTable(COLUMNS, id="ours", zebra_stripes=True)
            yield DataTable(id="theirs", zebra_stripes=True, cursor_type="row", cell_padding=1)


Drawn = list[list[tuple[str, Style | None, dict[str, object]]]]


def targets(table: DataTable[Text], strips: list[Strip]) -> Drawn:
    """Each line's segments: text, style, and mouse target with the row by place."""

    def target(meta: dict[str, object]) -> dict[str, object]:
        if ROW_KEY not in meta:
            return meta
        placed = {name: value for name, value in meta.items() if name != ROW_KEY}
        return {**placed, "row": table.get_row_index(str(meta[ROW_KEY]))}

    return [
        [
            (segment.text, segment.style.clear_meta_and_links() if segment.style else None, target(meta))
            for segment in strip
            for meta in [segment.style.meta if segment.style else {}]
        ]
        for strip in strips
    ]


def lines(table: DataTable[Text], x1: int = 0) -> list[Strip]:
    """Every line as the table draws it (header and rows), from `x1` across."""
    style = table.rich_style
    width = table.size.width
    return [DataTable._render_line(table, y, x1, x1 + width, style) for y in range(table.row_count + 1)]


def ours_drawn(table: FittedTable, x1: int = 0) -> list[Strip]:
    style = table.rich_style
    width = table.size.width
    return [table._render_line(y, x1, x1 + width, style) for y in range(table.row_count + 1)]


async def test_rows_are_drawn_as_datatable_draws_them_in_every_state() -> None:
    app = SideBySide()
    async with app.run_test(size=(60, 16)) as pilot:
        ours, theirs = app.query_one("#ours", FittedTable), app.query_one("#theirs", DataTable)
        ours.fill([(str(n), cells(n)) for n in range(20)])
        await pilot.pause()
        for column in ours.ordered_columns:
            theirs.add_column(column.label, width=column.width, key=column.key.value)
        for row in ours.ordered_rows:
            theirs.add_row(*ours.get_row(row.key), key=row.key.value)
        await pilot.pause()
        assert ours.size == theirs.size
        assert ours.virtual_size.width > ours.size.width  # wider than shown: cropped
        assert ours.virtual_size.height > ours.size.height  # and taller

        def same() -> None:
            for x1 in (0, 3):
                assert targets(ours, ours_drawn(ours, x1)) == targets(theirs, lines(theirs, x1))
                assert ours_drawn(ours, x1) == ours_drawn(ours, x1)  # kept lines too
            drawn = [ours.render_line(y) for y in range(ours.size.height)]
            assert targets(ours, drawn) == targets(theirs, [theirs.render_line(y) for y in range(len(drawn))])

        same()
        for table in (ours, theirs):
            table.move_cursor(row=3)
            table._set_hover_cursor(True)
            table.hover_coordinate = Coordinate(5, 1)
        await pilot.pause()
        same()
        for table in (ours, theirs):
            table.move_cursor(row=5)
            table._set_hover_cursor(False)
        await pilot.pause()
        same()
        for table in (ours, theirs):
            table.scroll_to(x=3, y=4, animate=False, immediate=True)
        await pilot.pause()
        assert ours.scroll_offset == theirs.scroll_offset == (3, 4)
        same()
        ours.focus()  # the cursor's looks when focused, one table at a time
        await pilot.pause()
        focused = ours_drawn(ours)
        theirs.focus()
        await pilot.pause()
        assert targets(ours, focused) == targets(theirs, lines(theirs)) and focused != ours_drawn(ours)


async def test_a_kept_line_is_drawn_again_when_its_cells_change() -> None:
    app = SideBySide()
    async with app.run_test(size=(60, 16)) as pilot:
        ours = app.query_one("#ours", FittedTable)
        rows = [(str(n), cells(n)) for n in range(8)]
        ours.fill(rows)
        await pilot.pause()
        before = ours_drawn(ours)
        rows[2] = ("2", [Text("visit 2"), Text("Alex"), Text("")])
        ours.patch(rows)
        await pilot.pause()
        after = ours_drawn(ours)
        assert "Alex" in after[3].text and "Alex" not in before[3].text
        assert after[:3] == before[:3] and after[4:] == before[4:]


class Picked(SideBySide):
    """Remembers the rows the mouse selected."""

    def __init__(self) -> None:
        super().__init__()
        self.selected: list[str] = []

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.selected.append(str(event.row_key.value))


async def test_lines_kept_for_rows_that_moved_are_reused_and_the_mouse_picks_the_right_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Visit 2 is claimed and moves down past four rows, and back, and down again: the
    second time down, the four rows it passes are drawn from their lines kept (only the
    claimed row is drawn), and the mouse still hovers and picks the row under it."""
    app = Picked()
    async with app.run_test(size=(120, 16)) as pilot:
        ours = app.query_one("#ours", FittedTable)
        rows = [(str(n), cells(n)) for n in range(8)]
        ours.fill(rows)
        await pilot.pause()

        def claimed(owner: str) -> list[tuple[str, list[Text]]]:
            return [*rows[:2], *rows[3:7], ("2", [Text("visit 2"), Text(owner), Text("")]), rows[7]]

        ours.patch(claimed("Alex"))
        await pilot.pause()
        ours.patch(rows)
        await pilot.pause()
        drawn: list[str] = []
        draw_row = ours._draw_row

        def counted(row_key: RowKey, *args: Any, **kwargs: Any) -> Strip:
            drawn.append(str(row_key.value))
            return draw_row(row_key, *args, **kwargs)

        monkeypatch.setattr(ours, "_draw_row", counted)
        ours.patch(claimed("Sam"))
        await pilot.pause()
        assert drawn == ["2"]
        assert [key for key, _ in claimed("Sam")] == [str(row.key.value) for row in ours.ordered_rows]

        await pilot.hover("#ours", offset=(3, 1 + 4))
        assert ours.hover_coordinate.row == 4  # visit 5's line, kept from before
        await pilot.click("#ours", offset=(3, 1 + 6))
        assert ours.cursor_row_key() == "2"
        assert ours.virtual_size.width < ours.size.width - 3
        await pilot.click("#ours", offset=(ours.size.width - 3, 1 + 3))  # past the cells
        assert ours.cursor_row_key() == "4"
        await pilot.click("#ours", offset=(3, 1 + 3))  # on the cursor's row: picks it
        await pilot.pause()
        assert app.selected == ["4"]


async def test_cells_that_look_the_same_are_rendered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two visits claimed by the same person show the same "With" and "Waiting" cells
    (other objects, same looks): the second claim renders neither through rich again."""
    app = SideBySide()
    async with app.run_test(size=(120, 16)) as pilot:
        ours = app.query_one("#ours", FittedTable)
        rows = [(str(n), cells(n)) for n in range(8)]
        ours.fill(rows)
        await pilot.pause()

        def claimed(n: int) -> tuple[str, list[Text]]:
            return str(n), [cells(n)[0], Text("Quinn", style="bold"), Text("served 0 min", style="dim")]

        rows[2] = claimed(2)
        ours.patch(rows)
        await pilot.pause()
        rendered: list[str] = []
        render_lines = app.console.render_lines

        def counted(renderable: Any, *args: Any, **kwargs: Any) -> Any:
            rendered.append(getattr(getattr(renderable, "renderable", None), "plain", "?"))
            return render_lines(renderable, *args, **kwargs)

        monkeypatch.setattr(app.console, "render_lines", counted)
        rows[5] = claimed(5)
        ours.patch(rows)
        await pilot.pause()
        assert "Quinn" in ours_drawn(ours)[1 + 5].text and "served 0 min" in ours_drawn(ours)[1 + 5].text
        assert rendered == []  # its "visit 5 fr" cell is the one it had
