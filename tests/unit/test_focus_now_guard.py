"""A key's handler that moves the focus moves it at once (`focus_keys.focus_now`).

`Widget.focus()` waits its turn behind the keys already typed, so after a refused Enter
that asks for another field, the keys typed after Enter landed in the field being left
("⏎Rita" ended the email instead of filling the name). This reads the source under
counter_tui/ui and fails, naming file and line, on a `.focus()` call outside `on_mount`
(a screen or dialog just shown, before anything is typed into it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import counter_tui.ui

UI = Path(counter_tui.ui.__file__).parent
WHILE_SHOWING = {"on_mount"}
"""Where `.focus()` may wait its turn: nothing is typed into a screen not yet shown."""


def delayed_focus_calls(source: str) -> list[int]:
    """The lines of `source` calling `.focus()` outside the functions in WHILE_SHOWING."""
    found: list[int] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "focus"
            and function not in WHILE_SHOWING
        ):
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(source), "")
    return found


def test_the_guard_finds_a_delayed_focus_in_a_handler() -> None:
    lines = ["class D:", "    def on_mount(self):", "        a.focus()", "    def refused(self):"]
    source = "\n".join([*lines, "        b.focus()"])
    assert delayed_focus_calls(source) == [5]


def test_no_handler_under_ui_moves_the_focus_with_a_delayed_focus() -> None:
    found = [
        f"{path.relative_to(UI.parent)}:{line}"
        for path in sorted(UI.rglob("*.py"))
        for line in delayed_focus_calls(path.read_text(encoding="utf-8"))
    ]
    advice = "use focus_keys.focus_now (the keys typed after this one follow it): "
    assert found == [], advice + ", ".join(found)
