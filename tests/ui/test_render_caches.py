"""A widget's drawn lines go with the widget (issue 12: memory that stays flat, and full
garbage collections that stay short). Textual keeps each widget's drawn lines in its
`StylesCache`, and looked up a line's two backgrounds through a cache keyed on that
`StylesCache` itself: the line caches of the 1,024 widgets drawn last stayed in memory
after the widgets closed, every line they had drawn with them, and every full collection
walked them all."""

from __future__ import annotations

import gc
import weakref

from rich.segment import Segment
from textual._styles_cache import StylesCache
from textual.cache import FIFOCache
from textual.color import Color
from textual.strip import Strip

from counter_tui.ui.app import CounterApp
from counter_tui.ui.textual_fixes import STRIP_CACHE_SIZES, TEXTUAL_STRIP_INIT

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


def caches_held(strip: Strip) -> list[FIFOCache[object, object]]:
    """The line caches `strip` holds now."""
    return [held for held in gc.get_referents(strip) if isinstance(held, FIFOCache)]


def test_a_drawn_line_holds_no_caches_until_one_is_used() -> None:
    """Textual gave every line it draws seven caches of lines derived from it (cropped,
    styled, …); most lines never use one, yet each frame made and each full collection
    walked them all (a fifth of what a lead's terminal held)."""
    assert CounterApp
    line = Strip([Segment("Ann Smith, browsing")], 19)
    assert caches_held(line) == []
    cropped = line.crop(0, 3)
    assert line.crop(0, 3) is cropped  # cached on first use, and kept
    assert len(caches_held(line)) == 1
    assert cropped.text == "Ann"


def test_the_caches_made_on_first_use_are_the_ones_textual_makes() -> None:
    """The same caches, as large: Textual's `Strip.__init__` as it ships makes exactly the
    caches made on first use here, of the same sizes (on upgrading Textual, this says
    whether its lines changed)."""
    assert CounterApp
    shipped = Strip.__new__(Strip)
    TEXTUAL_STRIP_INIT(shipped, [Segment("x")], 1)
    textual_caches = {
        name: cache._maxsize
        for name in Strip.__slots__
        if isinstance(cache := getattr(shipped, name, None), FIFOCache)
    }
    made = Strip([Segment("x")], 1)
    assert textual_caches == {name: getattr(made, name)._maxsize for name in STRIP_CACHE_SIZES}
