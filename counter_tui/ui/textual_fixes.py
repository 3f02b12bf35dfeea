"""Fixes to Textual that a terminal open all day needs: applied once, as the UI loads (by
`guarded_app`, which every app, screen and widget of ours builds on).

Textual 8 looks up the two backgrounds of each drawn line through `functools.lru_cache` on
a method of the widget's line cache (`StylesCache.get_inner_outer`), so the cache's key
holds the `StylesCache` itself: the line caches of the last 1,024 widgets drawn stayed in
memory after the widgets closed, with every line they had drawn, and each full garbage
collection walked them all. The backgrounds depend only on the two colours; looked up by
those alone, a closed widget's lines go with it. On upgrading Textual, check that
`textual/_styles_cache.py` still looks them up this way (tests/ui/test_render_caches.py
calls the lookup directly, so it cannot tell whether Textual still uses it).

Textual also gives every line it draws (`Strip`) seven caches of the lines derived from it
(cropped, styled, …). Most lines never use one, yet each frame made them all, and they were
a fifth of the objects a lead's terminal held for each full collection to walk. They are
made on first use instead, as Textual's own `Content` does with its cache.

Textual styles every widget of a screen again each time the screen is shown
(`ScreenResume.refresh_styles`), the first time included, though its widgets were styled
as they mounted, a moment before, with the same stylesheet: about a twentieth of the CPU
of opening a screen or a dialog. The first showing skips it; a screen shown again (back
from under another, the theme changed meanwhile) is styled again as Textual does.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rich.segment import Segment
from textual import events
from textual._styles_cache import StylesCache
from textual.cache import FIFOCache
from textual.color import Color
from textual.screen import Screen
from textual.strip import Strip
from textual.style import Style

STRIP_CACHE_SIZES = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
"""Each of a line's caches, as large as Textual's `Strip.__init__` makes it."""

TEXTUAL_SCREEN_RESUME = Screen._on_screen_resume
"""`Screen._on_screen_resume` as Textual ships it."""
TEXTUAL_STRIP_INIT = Strip.__init__
"""`Strip.__init__` as Textual ships it (tests compare its caches with ours)."""


@lru_cache(1024)
def _inner_and_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """The style inside a widget's line (its background over the one beneath it) and
    outside it (the one beneath), as Textual's own lookup gives them."""
    return Style(background=base_background + background), Style(background=base_background)


def let_go_of_closed_widgets() -> None:
    """Make every widget's line cache look its backgrounds up by colour alone."""
    StylesCache.get_inner_outer = staticmethod(_inner_and_outer)  # type: ignore[assignment,method-assign]


class CacheOnFirstUse:
    """A `Strip` cache slot whose cache is made when a line first uses it."""

    def __init__(self, slot: Any, size: int) -> None:
        self.slot = slot
        self.size = size

    def __get__(self, strip: Strip | None, owner: type | None = None) -> Any:
        if strip is None:
            return self
        try:
            return self.slot.__get__(strip, owner)
        except AttributeError:
            cache: FIFOCache[Any, Any] = FIFOCache(self.size)
            self.slot.__set__(strip, cache)
            return cache

    def __set__(self, strip: Strip, cache: FIFOCache[Any, Any]) -> None:
        self.slot.__set__(strip, cache)


def _line_without_caches(strip: Strip, segments: Iterable[Segment], cell_length: int | None = None) -> None:
    """`Strip.__init__` less the caches, which are made on first use."""
    strip._segments = list(segments)
    strip._cell_length = cell_length
    strip._render_cache = None
    strip._link_ids = None
    strip._cell_count = None


def make_line_caches_on_first_use() -> None:
    """Make a drawn line's caches when it first uses them (idempotent)."""
    for name, size in STRIP_CACHE_SIZES.items():
        slot = Strip.__dict__[name]
        if not isinstance(slot, CacheOnFirstUse):
            setattr(Strip, name, CacheOnFirstUse(slot, size))
    Strip.__init__ = _line_without_caches  # type: ignore[assignment,method-assign]


def _resume_styled_once(screen: Screen[Any], event: events.ScreenResume) -> None:
    """Textual's resume, without styling the screen's widgets again the first time."""
    if not getattr(screen, "_shown_before", False):
        screen._shown_before = True  # type: ignore[attr-defined]
        event.refresh_styles = False
    TEXTUAL_SCREEN_RESUME(screen, event)


def style_a_new_screen_once() -> None:
    """Skip restyling a screen shown for the first time (idempotent)."""
    Screen._on_screen_resume = _resume_styled_once  # type: ignore[assignment,method-assign]
