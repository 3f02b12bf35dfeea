"""Themes (issue 13): a terminal's `theme` setting names counter-tui's high-contrast
theme or any Textual theme (anything else is refused with the nearest name), and the
high-contrast theme's text has at least 7:1 contrast on what it is drawn on, computed
from the theme's own colours (WCAG 2 relative luminance)."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from counter_tui.config import Settings
from counter_tui.themes import HIGH_CONTRAST, high_contrast_theme, textual_theme_names

TEXT_ON_BACKGROUNDS = [
    (text, background)
    for text in (
        "text",
        "foreground",
        "text-muted",
        "foreground-muted",
        "text-primary",
        "text-secondary",
        "text-accent",
        "text-warning",
        "text-error",
        "text-success",
        "footer-key-foreground",
    )
    for background in ("background", "surface", "panel")
] + [
    ("footer-foreground", "footer-background"),
    ("footer-description-foreground", "footer-background"),
    ("footer-key-foreground", "footer-background"),
    ("block-cursor-foreground", "block-cursor-background"),
    ("block-cursor-blurred-foreground", "block-cursor-blurred-background"),
    ("button-color-foreground", "primary"),
    ("input-cursor-foreground", "input-cursor-background"),
    ("input-selection-foreground", "input-selection-background"),
    ("screen-selection-foreground", "screen-selection-background"),
]


def luminance(color: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(first: Color, second: Color) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(("text", "background"), TEXT_ON_BACKGROUNDS)
def test_high_contrast_text_is_at_least_7_to_1(text: str, background: str) -> None:
    variables = high_contrast_theme().to_color_system().generate()
    screen = Color.parse(variables["background"])
    under = screen + Color.parse(variables[background])  # a translucent background over the screen
    over = under + Color.parse(variables[text])

    assert contrast(over, under) >= 7, f"{text} on {background}: {contrast(over, under):.2f}:1"


def test_the_theme_names_read_from_textuals_source_are_textuals_themes() -> None:
    assert textual_theme_names() == tuple(BUILTIN_THEMES)


@pytest.mark.parametrize("name", [HIGH_CONTRAST, "textual-light", "nord"])
def test_a_terminal_may_choose_high_contrast_or_any_textual_theme(name: str) -> None:
    assert Settings(theme=name).theme == name


def test_an_unknown_theme_is_refused_with_the_nearest_name() -> None:
    with pytest.raises(
        ValidationError, match=re.escape("'hi-contrast' is not a theme; did you mean high-contrast?")
    ):
        Settings(theme="hi-contrast")
