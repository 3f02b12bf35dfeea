"""A one-line summary over a board (how many are in the shop, waiting, …) that changes
with every change from another terminal.

`Static.update` lays the whole screen out again by default, in case the new text needs
another height: on the floor board that was a reflow of every widget on every claim,
and a second frame for the scroll bar it touched. A summary's text fits on one line on
any usual terminal, so here a new text that fits on one line, like the one shown, is
only painted; anything else (a text that wraps, or the first) is laid out as before.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from counter_tui.ui.guarded_app import Guarded


class SummaryLine(Guarded, Static):
    """A line of text shown with `show`, laid out again only when its height may change."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: Text | None = None

    def show(self, text: Text) -> None:
        """Show `text` (nothing is done when it is the text shown)."""
        shown = self._shown
        if shown is not None and _same(shown, text):
            return
        width = self.content_size.width
        same_height = shown is not None and _one_line(shown, width) and _one_line(text, width)
        self._shown = text
        self.update(text, layout=not same_height)


def _one_line(text: Text, width: int) -> bool:
    return width > 0 and "\n" not in text.plain and text.cell_len <= width


def _same(old: Text, new: Text) -> bool:
    return old.plain == new.plain and old.style == new.style and old.spans == new.spans
