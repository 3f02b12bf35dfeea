"""No colour is written into Python or a stylesheet under counter_tui/ui: colours come
from the theme.

Reads the source and fails, naming file and line, on a string that is a Rich style
with a colour in it (`"bold red"`, `"white on blue"`, `"grey30"`), a markup tag with
one (`"[red]…[/]"`), or a hex colour (`"#FF0000"`). Styles go in the `.tcss` files
with theme variables, or name a tone from `ui/tones.py`, so a theme changes everything
(issue 14). The `.tcss` files may not name a colour or write a hex one either: they use
the theme's variables (`$primary`, `$text-muted`, …). Only what must stay is allowed
below, each with its reason. And every component class our widgets declare (the floor
board's `floor-board--flag-alarm`, …) has a rule in a stylesheet: a class without one
would draw its flag or badge in no colour at all.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from rich.color import ANSI_COLOR_NAMES
from rich.errors import StyleSyntaxError
from rich.style import Style
from textual.dom import DOMNode

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


DECLARATION = re.compile(r"^\s*([a-z-]+)\s*:\s*([^;]+);", re.M)


def tcss_colours(text: str) -> list[str]:
    """Colour names and hex colours written in a stylesheet's declarations."""
    found = []
    for prop, value in DECLARATION.findall(text):
        for word in value.split():
            if HEX_COLOUR.fullmatch(word) or word.lower() in ANSI_COLOR_NAMES:
                found.append(f"{prop}: {word}")
    return found


def test_the_stylesheet_guard_sees_a_colour() -> None:
    sheet = "A {\n  background: #000000;\n  border: heavy red;\n  color: grey70;\n}"
    assert tcss_colours(sheet) == ["background: #000000", "border: red", "color: grey70"]
    assert not tcss_colours("A {\n  color: $text-muted;\n  border: heavy $primary;\n  color: auto 100%;\n}")


def test_no_colour_is_written_in_the_stylesheets() -> None:
    found = [
        f"{path.relative_to(UI).as_posix()}: {colour}"
        for path in sorted(UI.rglob("*.tcss"))
        for colour in tcss_colours(path.read_text(encoding="utf-8"))
    ]
    assert not found, "Colours written in a stylesheet (use the theme's variables):\n" + "\n".join(found)


SELECTOR = re.compile(r"([^{};]+)\{")
CLASS_IN_SELECTOR = re.compile(r"\.([A-Za-z_][\w-]*)")
COMMENT = re.compile(r"/\*.*?\*/", re.S)


def styled_classes(sheet: str) -> set[str]:
    """The classes a stylesheet's rules select."""
    return {
        name
        for selector in SELECTOR.findall(COMMENT.sub("", sheet))
        for name in CLASS_IN_SELECTOR.findall(selector)
    }


def declared_component_classes() -> dict[str, set[str]]:
    """The component classes each of our widgets declares itself (not Textual's own), by
    widget, from every module under counter_tui/ui."""
    declared: dict[str, set[str]] = {}
    for module_info in pkgutil.walk_packages(counter_tui.ui.__path__, "counter_tui.ui."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, DOMNode) and value.__module__ == module.__name__:
                textual = set().union(
                    *(
                        base.__dict__.get("COMPONENT_CLASSES", set())
                        for base in value.__mro__
                        if base.__module__.startswith("textual.")
                    )
                )
                own = set(value.__dict__.get("COMPONENT_CLASSES", set())) - textual
                if own:
                    declared[f"{module.__name__}.{name}"] = own
    return declared


def unstyled(declared: dict[str, set[str]], sheet: str) -> list[str]:
    """The declared component classes no rule in `sheet` selects."""
    styled = styled_classes(sheet)
    return [f"{widget}: {name}" for widget, names in declared.items() for name in sorted(names - styled)]


def test_the_component_class_guard_sees_a_class_without_a_rule() -> None:
    sheet = (
        "/* .b--gone { } */\nA > .a--one, B > .b--two { color: $text; }\nA > .a--three {\n  color: $error; }"
    )
    declared = {"A": {"a--one", "a--three"}, "B": {"b--two", "b--gone"}}
    assert unstyled(declared, sheet) == ["B: b--gone"]


def test_every_component_class_of_ours_has_a_rule_in_a_stylesheet() -> None:
    declared = declared_component_classes()
    assert "floor-board--flag-alarm" in declared["counter_tui.ui.widgets.floor_table.FloorTable"]
    sheets = "\n".join(path.read_text(encoding="utf-8") for path in sorted(UI.rglob("*.tcss")))
    missing = unstyled(declared, sheets)
    assert not missing, (
        "Component classes without a rule in a stylesheet (style them in app.tcss):\n" + "\n".join(missing)
    )
