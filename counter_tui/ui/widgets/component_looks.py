"""Styles for text a widget draws in Python (table cells, charts), taken from the widget's
component classes, which app.tcss styles with the theme's variables: so the stylesheet,
not Python, says how a flag, a badge or a chart's shade looks, and a theme changes them."""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from textual.widget import Widget


def looks_of(widget: Widget, prefix: str, names: Iterable[str]) -> dict[str, Style]:
    """The looks `names` as `widget`'s component classes `{prefix}--{name}` are styled.

    A look with a background of its own takes the class's whole style, so the text colour
    (`$text`) is worked out against that background; a look without one takes only what
    its class sets, so the row's stripe or the cursor under it still shows.
    """
    looks = {}
    for name in names:
        style = widget.get_component_rich_style(f"{prefix}--{name}", partial=True)
        if style.bgcolor is not None:
            style = widget.get_component_rich_style(f"{prefix}--{name}")
        looks[name] = style
    return looks
