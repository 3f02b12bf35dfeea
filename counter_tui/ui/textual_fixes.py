"""A fix to Textual's drawing that a terminal open all day needs: applied once, as the UI
loads (by `guarded_app`, which every app, screen and widget of ours builds on).

Textual 8 looks up the two backgrounds of each drawn line through `functools.lru_cache` on
a method of the widget's line cache (`StylesCache.get_inner_outer`), so the cache's key
holds the `StylesCache` itself: the line caches of the last 1,024 widgets drawn stayed in
memory after the widgets closed, with every line they had drawn, and each full garbage
collection walked them all. The backgrounds depend only on the two colours; looked up by
those alone, a closed widget's lines go with it. On upgrading Textual, check that
`textual/_styles_cache.py` still looks them up this way (tests/ui/test_render_caches.py
calls the lookup directly, so it cannot tell whether Textual still uses it).
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


@lru_cache(1024)
def _inner_and_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """The style inside a widget's line (its background over the one beneath it) and
    outside it (the one beneath), as Textual's own lookup gives them."""
    return Style(background=base_background + background), Style(background=base_background)


def let_go_of_closed_widgets() -> None:
    """Make every widget's line cache look its backgrounds up by colour alone."""
    StylesCache.get_inner_outer = staticmethod(_inner_and_outer)  # type: ignore[assignment,method-assign]
