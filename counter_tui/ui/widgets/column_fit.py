"""Column widths fitted to the space a table has: each `Col` wants its width, shrinks
towards its minimum (and takes a short header) before anything is pushed off screen,
and spare room goes to the columns that grow. Columns of names (`name_col`) give up
their room last and keep `NAME_MIN_WIDTH` cells. Pure functions of the columns and the
room, used by `fitted_table.FittedTable`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text

CELL_PADDING = 1
NAME_MIN_WIDTH = 14
"""The cells a column of names (`name_col`) keeps however narrow the table: a name that
long is read whole ("Margaret O'Neill" less its last letters still reads), a longer one
ends in "…". At 80 columns the audit log cut names to 9 cells and the hand-off log to 8
while columns of free text, shown whole elsewhere, kept their room."""


@dataclass(frozen=True)
class Col:
    """One column: the width it wants, the narrowest it may get, whether it gives up its
    room before the others (`shrink_first`, e.g. free text) and whether it takes spare
    room (`grow`). `short` is its header when it is narrower than `label`."""

    key: str
    label: str
    width: int
    min_width: int | None = None
    short: str = ""
    grow: bool = False
    shrink_first: bool = False
    name: bool = False
    """A column of names: it gives up room only after every other column is down to its
    minimum (`name_col`)."""

    @property
    def narrowest(self) -> int:
        """The width below which this column is not shrunk."""
        return self.width if self.min_width is None else min(self.min_width, self.width)

    def header(self, width: int) -> str:
        """The header text for a column `width` cells wide."""
        if len(self.label) <= width or not self.short:
            return self.label
        return self.short


def name_col(key: str, label: str, width: int = 24, **options: Any) -> Col:
    """A column of people's or customers' names (or another name a row is known by, like
    a feedback topic): it wants `width` cells, gives up room after every other column, and
    keeps at least `NAME_MIN_WIDTH`, so at 80 columns the other columns give way first."""
    return Col(key, label, max(width, NAME_MIN_WIDTH), min_width=NAME_MIN_WIDTH, name=True, **options)


def fit_widths(columns: Sequence[Col], available: int, content: Sequence[int] | None = None) -> list[int]:
    """Widths for `columns` in `available` cells (cell padding included).

    A column wants its `width`, or less when its `content` (the widest cell or header) is
    narrower; a growing column wants all of its content. Columns shrink towards their
    minimum until they fit: those marked `shrink_first` before the others, columns of
    names after them all, and among equals the one with the most room to give first.
    When they still do not fit, the `shrink_first` columns that are not names (free text,
    shown whole elsewhere) give up the rest of their room, down to one cell, before
    anything is pushed off screen.
    """
    if content is None:
        content = [column.width for column in columns]
    widths = [
        wanted if column.grow else min(wanted, column.width)
        for column, wanted in zip(columns, content, strict=True)
    ]
    if available <= 0:
        return widths
    floors = [min(column.narrowest, width) for column, width in zip(columns, widths, strict=True)]
    excess = sum(widths) + 2 * CELL_PADDING * len(columns) - available
    excess = _give_room(columns, widths, floors, excess)
    if excess > 0:
        last = [
            min(floor, 1) if column.shrink_first and not column.name else floor
            for column, floor in zip(columns, floors, strict=True)
        ]
        _give_room(columns, widths, last, excess)
    return widths


def _give_room(columns: Sequence[Col], widths: list[int], floors: Sequence[int], excess: int) -> int:
    """Narrow `widths` (in place) towards `floors` by up to `excess` cells, in the order
    `fit_widths` gives; the cells still to find."""
    while excess > 0:
        room = [width - floor for width, floor in zip(widths, floors, strict=True)]
        giving = max(
            range(len(columns)),
            key=lambda index: (
                room[index] > 0,
                columns[index].shrink_first,
                not columns[index].name,
                room[index],
            ),
        )
        if room[giving] <= 0:
            break
        widths[giving] -= 1
        excess -= 1
    return excess


def fit_cell(cell: Text, width: int) -> Text:
    """`cell` cut to `width` cells, with an ellipsis when something was cut."""
    if cell.cell_len <= width:
        return cell
    cut = cell.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut
