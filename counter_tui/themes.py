"""The colour themes a terminal may choose (`theme` in its settings file): every theme
Textual ships, and counter-tui's own high-contrast theme.

Settings are read before Textual may be imported (the kiosk removes `TEXTUAL*`
variables first), so Textual's theme names are read from its source with `ast`, as
`binding_ids` reads the binding ids; a test checks them against Textual's own list.
The high-contrast theme's text reaches at least 7:1 contrast (WCAG AAA) on every
background it is drawn on, checked by a test computed from these colours.
"""

from __future__ import annotations

import ast
import difflib
import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_THEME = "textual-dark"
HIGH_CONTRAST = "high-contrast"
BLACK, WHITE, LIGHT_GREY, GOLD = "#000000", "#FFFFFF", "#D8D8D8", "#FFD700"
HIGH_CONTRAST_COLOURS: dict[str, Any] = {
    "primary": GOLD,
    "secondary": "#00FFFF",
    "accent": GOLD,
    "warning": "#FFB000",
    "error": "#FF8080",
    "success": "#00FF7F",
    "foreground": WHITE,
    "background": BLACK,
    "surface": BLACK,
    "panel": "#1C1C1C",
    "boost": "#FFFFFF1A",
    "dark": True,
    "text_alpha": 1.0,
    "variables": {
        "text": WHITE,
        "text-muted": LIGHT_GREY,
        "text-disabled": "#A8A8A8",
        "foreground-muted": LIGHT_GREY,
        "foreground-disabled": "#A8A8A8",
        "block-cursor-foreground": BLACK,
        "block-cursor-background": GOLD,
        "block-cursor-blurred-foreground": BLACK,
        "block-cursor-blurred-background": LIGHT_GREY,
        "button-color-foreground": BLACK,
        "input-cursor-foreground": BLACK,
        "input-cursor-background": WHITE,
        "input-selection-foreground": BLACK,
        "input-selection-background": GOLD,
        "screen-selection-foreground": BLACK,
        "screen-selection-background": GOLD,
        "footer-key-foreground": GOLD,
        "border": GOLD,
        "border-blurred": LIGHT_GREY,
    },
}
"""The high-contrast theme's arguments to `textual.theme.Theme` (kept as data, so the
settings can name it without importing Textual)."""


def high_contrast_theme() -> Any:
    """The high-contrast theme as a Textual `Theme`, for an app to register."""
    from textual.theme import Theme

    return Theme(name=HIGH_CONTRAST, **HIGH_CONTRAST_COLOURS)


def theme_names() -> tuple[str, ...]:
    """Every theme a terminal may choose: counter-tui's, then Textual's."""
    return (HIGH_CONTRAST, *textual_theme_names())


@cache
def textual_theme_names() -> tuple[str, ...]:
    """The names of the themes Textual ships (`BUILTIN_THEMES`), read from its source."""
    spec = importlib.util.find_spec("textual")
    if spec is None or not spec.submodule_search_locations:
        return (DEFAULT_THEME,)
    source = Path(next(iter(spec.submodule_search_locations))) / "theme.py"
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.value, ast.Dict):
            continue
        if isinstance(node.target, ast.Name) and node.target.id == "BUILTIN_THEMES":
            keys = node.value.keys
            return tuple(
                key.value for key in keys if isinstance(key, ast.Constant) and isinstance(key.value, str)
            )
    return (DEFAULT_THEME,)


def theme_problem(name: str) -> str | None:
    """Why `name` is not a theme (with the nearest real one), or None if it is."""
    names = theme_names()
    if name in names:
        return None
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]}?" if close else f"the themes are {', '.join(names)}."
    return f"{name!r} is not a theme; {hint}"
