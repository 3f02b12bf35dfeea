"""A patch redraws only the rows it touched: changed cells and rows that moved are drawn
again, every other line stays as it was drawn (a change from another terminal used to
re-render every visible line of the floor board), and what is drawn is what a table
filled afresh with the same rows draws, mouse targets included. The cursor stays on its
row."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.strip import Strip
from textual.widgets.data_table import RowKey

from counter_tui.ui.widgets.column_fit import Col
from counter_tui.ui.widgets.fitted_table import FittedTable

COLUMNS = (Col("who", "Customer", 14), Col("owner", "With", 10), Col("needs", "Needs", 12, grow=True))
ROWS = 12
"""Fewer than the table shows, so every row is on screen."""


def row(n: int, owner: str = "nobody") -> tuple[str, list[Text]]:
    """Visit `n`'s row, with whoever has it."""
    return str(n), [Text(f"visit {n}"), Text(owner, style="dim" if owner == "nobody" else ""), Text("")]


class TwoTables(App[None]):
    """The table under test beside one filled afresh, for comparing what each draws."""

    AUTO_FOCUS = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield FittedTable(COLUMNS, id="patched", zebra_stripes=True)
            yield FittedTable(COLUMNS, id="fresh", zebra_stripes=True)


class LinesDrawn:
    """The table's lines (y, header included) rendered since the last `clear`."""

    def __init__(self, table: FittedTable, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lines: set[int] = set()
        render_line = table.render_line

        def counted(y: int) -> Strip:
            self.lines.add(y)
            return render_line(y)

        monkeypatch.setattr(table, "render_line", counted)

    def clear(self) -> None:
        self.lines.clear()


class RowsRendered:
    """The keys of the rows whose lines were rendered anew (not taken from a cache): a
    row's line is drawn by `_draw_row`, the header by DataTable's `_render_line_in_row`."""

    def __init__(self, table: FittedTable, monkeypatch: pytest.MonkeyPatch) -> None:
        self.keys: set[str] = set()
        draw_row, render_line_in_row = table._draw_row, table._render_line_in_row

        def counted_row(row_key: RowKey, *args: Any, **kwargs: Any) -> Any:
            self.keys.add(str(row_key.value))
            return draw_row(row_key, *args, **kwargs)

        def counted(row_key: RowKey, *args: Any, **kwargs: Any) -> Any:
            self.keys.add(str(row_key.value))
            return render_line_in_row(row_key, *args, **kwargs)

        monkeypatch.setattr(table, "_draw_row", counted_row)
        monkeypatch.setattr(table, "_render_line_in_row", counted)


def drawn(table: FittedTable) -> list[Strip]:
    """Every line of the table as drawn now (header, then one line a row)."""
    return [table.render_line(y) for y in range(ROWS + 1)]


Rows = Sequence[tuple[str, list[Text]]]


async def patched(
    monkeypatch: pytest.MonkeyPatch,
    before: Rows,
    after: Rows,
    rendered: bool = False,
    touched: Collection[str] | None = None,
) -> tuple[set[int], list[Strip], list[Strip], str | None]:
    """Lines redrawn by patching `before` into `after` (with `rendered`: the lines of
    rows rendered anew, not from a cache; with `touched`: the patch told which rows it
    touched), what the patched table then draws, what a table filled with `after` draws,
    and the key under the cursor."""
    app = TwoTables()
    async with app.run_test(size=(90, ROWS + 4)) as pilot:
        table, fresh = app.query_one("#patched", FittedTable), app.query_one("#fresh", FittedTable)
        table.fill(before)
        table.move_cursor_to("4")
        await pilot.pause()
        table.patch(before)  # nothing changed: nothing to draw
        await pilot.pause()
        drawn(table)  # every line in the render caches as of now
        counted, rows = LinesDrawn(table, monkeypatch), RowsRendered(table, monkeypatch)
        table.patch(after, touched=touched)
        await pilot.pause()
        keys = [key for key, _ in after]
        drawn_rows = rows.keys - {"None"}  # the header
        redrawn = {1 + keys.index(key) for key in drawn_rows} if rendered else set(counted.lines)
        fresh.fill(after)
        fresh.move_cursor_to(table.cursor_row_key() or "")
        await pilot.pause()
        return redrawn, drawn(table), drawn(fresh), table.cursor_row_key()


async def test_a_changed_cell_redraws_its_row_only(monkeypatch: pytest.MonkeyPatch) -> None:
    before = [row(n) for n in range(ROWS)]
    after = list(before)
    after[7] = row(7, owner="Alex")
    redrawn, lines, fresh, cursor = await patched(monkeypatch, before, after)
    assert redrawn == {1 + 7}
    assert "Alex" in lines[1 + 7].text
    assert lines == fresh
    assert cursor == "4"


async def test_a_row_that_moves_redraws_the_rows_between_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A claimed visit moves down past the others still waiting (as on the floor board)."""
    before = [row(n) for n in range(ROWS)]
    after = [*before[:2], *before[3:8], row(2, owner="Alex"), *before[8:]]
    redrawn, lines, fresh, cursor = await patched(monkeypatch, before, after)
    assert redrawn == {1 + index for index in range(2, 8)}
    assert [line.text.split()[1] for line in lines[1:]] == [key for key, _ in after]
    assert lines == fresh  # zebra stripes and mouse targets (the row each line is) too
    assert cursor == "4"


async def test_the_cursor_stays_on_its_row_when_that_row_moves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Moved by two, the row keeps its stripe: drawn again all the same, for the row
    it now is."""
    before = [row(n) for n in range(ROWS)]
    after = [*before[:4], *before[5:7], row(4, owner="Alex"), *before[7:]]
    redrawn, lines, fresh, cursor = await patched(monkeypatch, before, after)
    assert cursor == "4"
    assert redrawn == {1 + index for index in range(4, 7)}
    assert lines == fresh


async def test_rows_changed_apart_redraw_no_row_between(monkeypatch: pytest.MonkeyPatch) -> None:
    before = [row(n) for n in range(ROWS)]
    after = list(before)
    after[1], after[2], after[9] = row(1, owner="Alex"), row(2, owner="Sam"), row(9, owner="Dana")
    redrawn, lines, fresh, cursor = await patched(monkeypatch, before, after)
    assert redrawn == {1 + 1, 1 + 2, 1 + 9}
    assert lines == fresh
    assert cursor == "4"


async def test_a_row_added_renders_the_rows_from_it_down_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A walk-in from another terminal goes in among the others: the rows above it are
    drawn from the lines kept (the table's height changed, so the screen takes them
    again); the new row and those it pushed down are rendered again."""
    before = [row(n) for n in range(ROWS - 1)]
    after = [*before[:5], row(20), *before[5:]]
    redrawn, lines, fresh, cursor = await patched(monkeypatch, before, after, rendered=True)
    assert redrawn == {1 + index for index in range(5, ROWS)}
    assert [line.text.split()[1] for line in lines[1:]] == [key for key, _ in after]
    assert lines == fresh
    assert cursor == "4"


async def test_a_row_removed_renders_the_rows_below_it_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A visit ended elsewhere, below the cursor: the rows below it move up and are
    rendered again, and the last line is cleared."""
    before = [row(n) for n in range(ROWS)]
    after = [*before[:6], *before[7:]]
    redrawn, lines, fresh, cursor = await patched(monkeypatch, before, after, rendered=True)
    assert redrawn == {1 + index for index in range(6, ROWS - 1)}
    assert [line.text.split()[1] for line in lines[1:ROWS]] == [key for key, _ in after]
    assert lines[ROWS].text.strip() == ""
    assert lines == fresh
    assert cursor == "4"


def needing(n: int, needs: str) -> tuple[str, list[Text]]:
    """Visit `n`'s row, nobody with them, needing `needs` (the column that grows)."""
    return str(n), [Text(f"visit {n}"), Text("nobody"), Text(needs)]


WIDE = "a bike fitting, and a helmet"
"""Wider than the Needs column wants: the column grows to it."""


@pytest.mark.parametrize(
    ("case", "before_needs", "after"),
    [
        ("the widest cell grows", "", lambda rows: [*rows[:3], needing(3, WIDE), *rows[4:]]),
        ("the widest cell narrows", WIDE, lambda rows: [*rows[:3], needing(3, "pickup"), *rows[4:]]),
        ("the row with the widest cell leaves", WIDE, lambda rows: [*rows[:3], *rows[4:]]),
        ("a row comes", "", lambda rows: [*rows[:6], needing(20, WIDE), *rows[6:]]),
    ],
)
async def test_a_patch_told_what_it_touched_fits_the_columns_as_a_fill_does(
    monkeypatch: pytest.MonkeyPatch, case: str, before_needs: str, after: Any
) -> None:
    """The floor board tells the patch which rows a change touched (the others come
    with the same cells as before): the columns are still as wide as a table filled
    afresh makes them."""
    before = [needing(n, before_needs if n == 3 else "") for n in range(ROWS - 1)]
    rows_after = after(before)
    touched = {"3", "20"}
    _, lines, fresh, _ = await patched(monkeypatch, before, rows_after, touched=touched)
    assert lines == fresh, case


class Measured(Text):
    """A cell that counts how often its width is asked for."""

    asked = 0

    @property
    def cell_len(self) -> int:
        Measured.asked += 1
        return super().cell_len


async def test_a_patch_told_what_it_touched_measures_only_those_rows() -> None:
    """On a board of 500 rows, measuring every row's cells again for one claim was a
    third of a millisecond: told which rows it touched, the patch measures those."""
    rows = [(str(n), [Measured(f"visit {n}"), Measured("nobody"), Measured("")]) for n in range(ROWS)]
    app = TwoTables()
    async with app.run_test(size=(90, ROWS + 4)) as pilot:
        table = app.query_one("#patched", FittedTable)
        table.fill(rows)
        await pilot.pause()
        Measured.asked = 0
        claimed = ("7", [Text("visit 7"), Text("Alex"), Text("")])
        table.patch([*rows[:7], claimed, *rows[8:]], touched={"7"})
        assert Measured.asked == 0
        assert "Alex" in table.render_line(1 + 7).text
