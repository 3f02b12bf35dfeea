"""No colour is written into Python under counter_tui/ui: colours come from the theme.

Reads the source and fails, naming file and line, on a string that is a Rich style
with a colour in it (`"bold red"`, `"white on blue"`, `"grey30"`), a markup tag with
one (`"[red]…[/]"`), or a hex colour (`"#FF0000"`). Styles go in the `.tcss` files
with theme variables, or name a tone from `ui/tones.py`, so a theme changes everything
(issue 14). Only what must stay is allowed below, each with its reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from rich.errors import StyleSyntaxError
from rich.style import Style

import counter_tui.ui

UI = Path(counter_tui.ui.__file__).parent
HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?\b|#[0-9A-Fa-f]{3}\b")
MARKUP_TAG = re.compile(r"\[(?!/)([^\[\]]+)\]")
#: (file relative to counter_tui/ui, the string) -> why it must stay.
ALLOWED: dict[tuple[str, str], str] = {}


def has_colour(style_text: str) -> bool:
    """Whether `style_text` parses as a Rich style that sets a colour."""
    try:
        style = Style.parse(style_text)
    except (StyleSyntaxError, ValueError):
        return False
    return any(colour is not None and not colour.is_default for colour in (style.color, style.bgcolor))


def colour_problems(text: str) -> list[str]:
    """What in one string literal writes a colour down."""
    problems = []
    if text.strip() and has_colour(text):
        problems.append(f"style {text!r}")
    problems += [f"markup [{tag}]" for tag in MARKUP_TAG.findall(text) if has_colour(tag)]
    problems += [f"hex colour {found}" for found in HEX_COLOUR.findall(text)]
    return problems


def colours_in_ui() -> list[str]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        relative = path.relative_to(UI).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if (relative, node.value) in ALLOWED:
                continue
            found += [f"{relative}:{node.lineno}: {problem}" for problem in colour_problems(node.value)]
    return found


@pytest.mark.parametrize(
    "text", ["bold red", "white on blue", "grey30", "[bold yellow]Hi[/]", "#FFD700", "on #fff"]
)
def test_the_guard_sees_a_colour(text: str) -> None:
    assert colour_problems(text)


@pytest.mark.parametrize(
    "text", ["bold", "dim", "reverse", "$text-error", "bold $text on $error", "Say what you did.", "[b]x[/]"]
)
def test_the_guard_lets_theme_styles_and_words_through(text: str) -> None:
    assert not colour_problems(text)


def test_no_colour_is_written_in_python_under_ui() -> None:
    found = colours_in_ui()
    assert not found, "Colours written in Python (use a tone from ui/tones.py or the .tcss):\n" + "\n".join(
        found
    )
