"""The few looks that text drawn in Python may take, written with the theme's variables,
so that changing the theme (a terminal's `theme` setting, the palette) changes them all.

Text built in Python (table cells, charts) is best styled by its widget's component
classes in app.tcss, as the floor board's flags and badges (`widgets/floor_table.py`),
the customer view's blocks (`widgets/sections.py`) and the review's charts
(`review/charts.py`) are. Where text is still styled in
Python, a colour name (`"bold red"`) would ignore the theme: a high-contrast or light
theme would keep it. So Python names a tone from here, and `tone()` turns it into a Rich
style with the running app's theme colours.
`tests/unit/test_colour_guard.py` fails on a colour name or hex colour in a style under
`counter_tui/ui/`. Every tone also has a word or glyph beside it on screen, never colour
alone (`NO_COLOR=1` snapshots check that the screens still read).
"""

from __future__ import annotations

from functools import cache

from rich.style import Style as RichStyle
from textual.css.errors import UnresolvedVariableError
from textual.markup import parse_style
from textual.theme import BUILTIN_THEMES

from counter_tui.themes import DEFAULT_THEME

URGENT = "bold $text-error"
"""Needs doing now: overdue, waiting too long, refused."""
ALERT = "$text-error"
WARNING = "$text-warning"
STRONG_WARNING = "bold $text-warning"
GOOD = "$text-success"
STRONG_GOOD = "bold $text-success"
PENDING = "$text-secondary"
"""Waiting on someone else: a hand-off, a reassignment."""
INFO = "$text-primary"


_resolved: dict[str, RichStyle] = {}
"""Tones resolved in the running app's theme (resolving one costs ~70 µs; a busy floor
board asks for hundreds), until `forget_theme`."""


def tone(style: str) -> RichStyle:
    """`style` (one of the tones above) as a Rich style in the running app's theme, or
    in the default theme when no app is running (unit tests, scripts); "" is no style."""
    if not style.strip():
        return RichStyle()
    known = _resolved.get(style)
    if known is None:
        try:
            known = _resolved[style] = parse_style(style).rich_style
        except UnresolvedVariableError:
            return _default_tone(style)
    return known


def forget_theme() -> None:
    """The theme changed, or another app started: resolve every tone afresh. The staff
    app calls it when it starts and on its theme signal, before screens redraw."""
    _resolved.clear()


@cache
def _default_tone(style: str) -> RichStyle:
    variables = BUILTIN_THEMES[DEFAULT_THEME].to_color_system().generate()
    return parse_style(style, variables).rich_style
