"""`counter-tui --help` printed from `command_list` alone, without importing Typer or Rich
(importing them was most of the help's time), looking as Typer's own help does: the
same panels, wrapping, padding and colours. Typer still prints it where this layout
would not be the same (a terminal narrower than the longest word needs).
`tests/unit/test_start_up_imports.py` compares the two, text and colours.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap

from counter_tui.cli.command_list import APP_HELP, COMMANDS, ROOT_OPTIONS

# Typer's help styles (typer.rich_utils), as SGR attributes: bold 1, dim 2, a colour 3x.
BOLD, DIM = "1", "2"
YELLOW, GREEN, CYAN = "33", "32", "36"
HIGHLIGHTS = (  # typer.rich_utils.OptionHighlighter, in its order: a later one wins
    (re.compile(r"(^|\W)(?P<hit>\-\w+)(?![a-zA-Z0-9])"), (BOLD, GREEN)),
    (re.compile(r"(^|\W)(?P<hit>\-\-[\w\-]+)(?![a-zA-Z0-9])"), (BOLD, CYAN)),
    (re.compile(r"(?P<hit>\<[^\>]+\>)"), (BOLD, YELLOW)),
    (re.compile(r"(?P<hit>Usage: )"), (YELLOW,)),
)
Cells = list[tuple[str, frozenset[str]]]  # each character with its SGR attributes


def print_root_help() -> bool:
    """Print the top-level help; False, printing nothing, where Typer's output
    would differ (then Typer prints it): too narrow, or a dumb or colourless terminal."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM", "").lower() in {"dumb", "unknown"}:
        return False
    lines = root_help(program_name(), terminal_width())
    if lines is None:
        return False
    colour = colours_wanted()
    sys.stdout.write("".join(render(line, colour) + "\n" for line in lines))
    sys.stdout.flush()
    return True


def root_help(program: str, width: int) -> list[Cells] | None:
    """The help's lines as styled cells, or None when `width` is too narrow for this layout."""
    inner = width - 4  # a panel's border and padding
    long_width = max(len(name) for name, _, _ in ROOT_OPTIONS)
    type_width = max(len(kind) for _, kind, _ in ROOT_OPTIONS) + 2
    option_help = inner - long_width - type_width - 10
    name_width = max(len(name) for name in COMMANDS)
    command_help = inner - name_width - 2
    usage = f"Usage: {program} [OPTIONS] COMMAND [ARGS]..."
    words = [word for _, _, text in ROOT_OPTIONS for word in text.split()]
    if len(usage) > width - 2 or len(APP_HELP) > width - 2 or max(map(len, words)) > option_help:
        return None
    if max(len(word) for entry in COMMANDS.values() for word in entry.help.split()) > command_help:
        return None
    lines = [
        cells(" " * width, BOLD),
        cells(" ", BOLD) + highlighted(usage, BOLD) + cells(" " * (width - 1 - len(usage)), BOLD),
    ]
    lines += [cells(" " * width, BOLD), cells(f" {APP_HELP}".ljust(width)), cells(" " * width)]
    lines.append(panel_top("Options", width))
    for name, kind, text in ROOT_OPTIONS:
        for index, line in enumerate(textwrap.wrap(text, option_help, break_on_hyphens=False)):
            first = index == 0
            lines.append(
                border_left()
                + (highlighted(name) if first else cells(""))
                + cells(" " * ((long_width - len(name) if first else long_width) + 8))
                + (kind_cells(kind, type_width) if first else cells(" " * type_width))
                + cells("  ")
                + highlighted(line.ljust(option_help))
                + border_right()
            )
    lines.append(panel_bottom(width))
    lines.append(panel_top("Commands", width))
    for name, entry in COMMANDS.items():
        for index, line in enumerate(textwrap.wrap(entry.help, command_help, break_on_hyphens=False)):
            label = name if index == 0 else ""
            lines.append(
                border_left()
                + cells(label.ljust(name_width + 1), BOLD, CYAN)
                + cells(" ")
                + highlighted(line.ljust(command_help))
                + border_right()
            )
    lines += [panel_bottom(width), []]  # Click's newline after the help
    return lines


def cells(text: str, *attributes: str) -> Cells:
    """`text`, every character with `attributes`."""
    style = frozenset(attributes)
    return [(char, style) for char in text]


def highlighted(text: str, *attributes: str) -> Cells:
    """`text` with Typer's option, type and usage highlights over `attributes`."""
    styles = [set(attributes) for _ in text]
    for pattern, added in HIGHLIGHTS:
        for match in pattern.finditer(text):
            for index in range(match.start("hit"), match.end("hit")):
                if any(part.startswith("3") for part in added):
                    styles[index] = {part for part in styles[index] if not part.startswith("3")}
                styles[index] |= set(added)
    return [(char, frozenset(style)) for char, style in zip(text, styles, strict=True)]


def kind_cells(kind: str, width: int) -> Cells:
    """An option's type as `<kind>`, its brackets dimmed, padded to `width`."""
    bracket = frozenset({BOLD, DIM, YELLOW})
    return [("<", bracket), *cells(kind, BOLD, YELLOW), (">", bracket), *cells(" " * (width - len(kind) - 2))]


def panel_top(title: str, width: int) -> Cells:
    return cells(f"╭─ {title} " + "─" * (width - len(title) - 5) + "╮", DIM)


def panel_bottom(width: int) -> Cells:
    return cells("╰" + "─" * (width - 2) + "╯", DIM)


def border_left() -> Cells:
    return cells("│", DIM) + cells(" ")


def border_right() -> Cells:
    return cells(" ") + cells("│", DIM)


def render(line: Cells, colour: bool) -> str:
    """`line` as text, with SGR escapes (as Rich writes them) when `colour`."""
    if not colour:
        return "".join(char for char, _ in line)
    parts: list[str] = []
    run_style: frozenset[str] | None = None
    for char, style in line:
        if style != run_style:
            if run_style:
                parts.append("\x1b[0m")
            if style:
                parts.append("\x1b[" + ";".join(sorted(style, key=int)) + "m")
            run_style = style
        parts.append(char)
    if run_style:
        parts.append("\x1b[0m")
    return "".join(parts)


def program_name() -> str:
    """The name the help's usage line gives the program (as Click finds it)."""
    main = sys.modules.get("__main__")
    path = sys.argv[0] if sys.argv and sys.argv[0] else "counter-tui"
    package = getattr(main, "__package__", None)
    if not package:
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def colours_wanted() -> bool:
    """Whether Typer's console would write colours (Typer's rules, then a terminal)."""
    environ = os.environ
    if environ.get("_TYPER_FORCE_DISABLE_TERMINAL"):
        return False
    if environ.get("GITHUB_ACTIONS") or environ.get("FORCE_COLOR") or environ.get("PY_COLORS"):
        return True
    return sys.stdout.isatty()


def terminal_width() -> int:
    """The width Typer's console would use: TERMINAL_WIDTH, else COLUMNS, else the
    terminal's, else 80."""
    fixed = os.environ.get("TERMINAL_WIDTH")
    if fixed:
        return int(fixed)
    width = 0
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        width = int(columns)
    return width or 80
