"""A widget's drawn lines go with the widget (issue 12: memory that stays flat, and full
garbage collections that stay short). Textual keeps each widget's drawn lines in its
`StylesCache`, and looked up a line's two backgrounds through a cache keyed on that
`StylesCache` itself: the line caches of the 1,024 widgets drawn last stayed in memory
after the widgets closed, every line they had drawn with them, and every full collection
walked them all."""

from __future__ import annotations

import gc
import weakref

from textual._styles_cache import StylesCache
from textual.color import Color

from counter_tui.ui.app import CounterApp

BENEATH = Color.parse("#101010")
OWN = Color.parse("#ff000080")


def test_looking_up_a_lines_backgrounds_keeps_no_widgets_lines_alive() -> None:
    assert CounterApp  # the staff app's module is loaded, as in every terminal
    lines = StylesCache()
    lines.get_inner_outer(BENEATH, OWN)  # as drawing each line of a widget does
    kept = weakref.ref(lines)
    del lines
    gc.collect()
    assert kept() is None


def test_the_same_backgrounds_give_the_same_styles_from_any_widget() -> None:
    """Two widgets' line caches looking up the same backgrounds get the same styles: the
    widget's own background over the one beneath it, and the one beneath."""
    first = StylesCache().get_inner_outer(BENEATH, OWN)
    second = StylesCache().get_inner_outer(BENEATH, OWN)
    assert first == second
    assert first[0].background == BENEATH + OWN
    assert first[1].background == BENEATH
