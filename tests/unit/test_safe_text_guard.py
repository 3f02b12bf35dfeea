"""Text reaches the screen one way only: through counter_tui/ui/safe_text.py.

Reads the source of counter_tui/ui (staff app and kiosk) and fails, naming file and
line, wherever a widget that parses markup (Label, Static, Option, a table cell, …) or a
rich Text/Content is given anything but our own literal words or a value built by
safe_text (or by a ui function declared to return Text/Content, whose body this same
test checks). Customer names in a Label crashed the app (issue 9, finding 1); this makes
that class of bug fail here before it ships.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import counter_tui.ui
from counter_tui.ui import safe_text
from counter_tui.ui.app import CounterApp
from counter_tui.ui.kiosk.app import KioskApp

UI = Path(counter_tui.ui.__file__).parent
SAFE_TEXT = Path(safe_text.__file__)

#: Widgets and calls that parse a str as markup: they need a Text/Content or a literal.
MARKUP_SINKS = {
    "Label",
    "Static",
    "Option",
    "Checkbox",
    "Button",
    "RadioButton",
    "update",
    "add_option",
    "add_row",
    "add_column",
    "from_markup",
    "Table",
    "TabPane",
    "Tab",
    "Collapsible",
    "update_cell",
    "update_cell_at",
    "replace_option_prompt",
    "replace_option_prompt_at_index",
}
#: Where the shown value is not the first positional argument.
SHOWN_POSITION = {
    "update_cell": 2,
    "update_cell_at": 1,
    "replace_option_prompt": 1,
    "replace_option_prompt_at_index": 1,
}
#: Builders that never parse markup, but would carry control characters to the terminal.
TEXT_SINKS = {"Text", "Content", "append", "append_text", "assemble", "styled"}
#: safe_text functions giving a Text; and those giving cleaned str (fine inside a Text).
TEXT_MAKERS = {"plain", "line", "compose", "join", "content"}
CLEAN_MAKERS = {"clean", "one_line", "title"}
#: Our own words: times and durations formatted for the screen, counts.
OWN_WORDS = {"clock_time", "day_and_time", "duration", "minutes_text", "len", "describe", "header"}
#: Keyword arguments that are shown.
SHOWN_KEYWORDS = {"label", "prompt", "title", "message", "renderable", "content", "text"}


def ui_files() -> list[Path]:
    """Every module of the staff app and the kiosk, except safe_text itself."""
    return sorted(path for path in UI.rglob("*.py") if path != SAFE_TEXT)


def returns_text(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function is declared to return a Text or Content (alone or in a tuple), or a
    rich Table (whose cells this test checks where they are added)."""
    words = ("Text", "Content", "Table")
    return node.returns is not None and any(word in ast.unparse(node.returns) for word in words)


def text_functions() -> set[str]:
    """Names of the ui functions and methods declared to return Text or Content."""
    names = set(TEXT_MAKERS)
    for path in ui_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and returns_text(node):
                names.add(node.name)
    return names


def callee(call: ast.Call) -> str:
    """The last name of what is called: `Label`, `update`, `Text.assemble` → `assemble`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


@dataclass
class Scope:
    """Where an expression is: its function (for local names) and class (for self.x)."""

    function: ast.AST | None
    klass: ast.ClassDef | None


class Checker:
    """Decides, by reading the code, whether a value shown is safe."""

    def __init__(self, text_funcs: set[str], module: ast.Module | None = None) -> None:
        self.text_funcs = text_funcs
        self.constants = module_constants(module) if module is not None else set()

    def is_text(self, node: ast.expr, scope: Scope, seen: frozenset[str] = frozenset()) -> bool:
        """A literal of ours, or a Text/Content built safely: safe for a markup sink."""
        return self._safe(node, scope, seen, markup=True)

    def is_clean(self, node: ast.expr, scope: Scope, seen: frozenset[str] = frozenset()) -> bool:
        """Safe inside a Text: as above, or a cleaned str."""
        return self._safe(node, scope, seen, markup=False)

    def _safe(self, node: ast.expr, scope: Scope, seen: frozenset[str], *, markup: bool) -> bool:
        again = self.is_text if markup else self.is_clean
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Call):
            name = callee(node)
            if name in self.text_funcs or name in (TEXT_SINKS | {"Option"}) - {"append", "append_text"}:
                return True
            return not markup and (name in CLEAN_MAKERS or name in OWN_WORDS)
        if isinstance(node, ast.JoinedStr):
            if markup:
                return not any(isinstance(part, ast.FormattedValue) for part in node.values)
            return all(
                part.format_spec is not None or again(part.value, scope, seen)
                for part in node.values
                if isinstance(part, ast.FormattedValue)
            )
        if isinstance(node, ast.IfExp):
            return again(node.body, scope, seen) and again(node.orelse, scope, seen)
        if isinstance(node, ast.BoolOp):
            return all(again(value, scope, seen) for value in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return again(node.left, scope, seen) and again(node.right, scope, seen)
        if isinstance(node, ast.Starred):
            return again(node.value, scope, seen)
        if isinstance(node, ast.List | ast.Tuple):
            return all(again(element, scope, seen) for element in node.elts)
        if isinstance(node, ast.GeneratorExp | ast.ListComp):
            return again(node.elt, scope, seen)
        if isinstance(node, ast.Name):
            return self._name_safe(node.id, scope, seen, markup=markup)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            return self._attribute_safe(node.attr, scope, seen, markup=markup)
        return False

    def _name_safe(self, name: str, scope: Scope, seen: frozenset[str], *, markup: bool) -> bool:
        if name in self.constants:
            return True
        if name in seen or scope.function is None:
            return False
        again = self.is_text if markup else self.is_clean
        values: list[ast.expr] = []
        function = scope.function
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for argument in [*function.args.args, *function.args.kwonlyargs]:
                if argument.arg == name:
                    annotation = ast.unparse(argument.annotation) if argument.annotation else ""
                    return ("Text" in annotation or "Content" in annotation) and "str" not in annotation
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and any(name in names_bound(target) for target in node.targets):
                values.append(node.value)
            elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
                if node.target.id == name and node.value is not None:
                    values.append(node.value)
            elif isinstance(node, ast.For | ast.comprehension) and name in names_bound(node.target):
                return False
        return bool(values) and all(again(value, scope, seen | {name}) for value in values)

    def _attribute_safe(self, name: str, scope: Scope, seen: frozenset[str], *, markup: bool) -> bool:
        key = f"self.{name}"
        if key in seen or scope.klass is None:
            return False
        again = self.is_text if markup else self.is_clean
        verdicts: list[bool] = []
        for function in scope.klass.body:
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                targets: list[ast.expr] = []
                if isinstance(node, ast.Assign):
                    targets = node.targets
                elif isinstance(node, ast.AnnAssign) and node.value is not None:
                    targets = [node.target]
                for target in targets:
                    if isinstance(target, ast.Attribute) and target.attr == name:
                        assert isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
                        verdicts.append(again(node.value, Scope(function, scope.klass), seen | {key}))
        return bool(verdicts) and all(verdicts)


def module_constants(module: ast.Module) -> set[str]:
    """Module-level names bound to literal strings (`A = "…"`, `A, B = "…", "…"`): our words."""
    names: set[str] = set()
    for node in module.body:
        if not isinstance(node, ast.Assign):
            continue
        values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
        if all(isinstance(value, ast.Constant) for value in values):
            names |= {name for target in node.targets for name in names_bound(target)}
    return names


def names_bound(target: ast.expr) -> set[str]:
    """The names a for-loop target binds."""
    return {node.id for node in ast.walk(target) if isinstance(node, ast.Name)}


def shown_arguments(call: ast.Call) -> Iterator[ast.expr]:
    """The arguments of a call that end up on screen."""
    name = callee(call)
    position = SHOWN_POSITION.get(name, 0)
    yield from call.args if name == "add_row" else call.args[position : position + 1]
    yield from (keyword.value for keyword in call.keywords if keyword.arg in SHOWN_KEYWORDS)


def is_text_receiver(call: ast.Call, scope: Scope, checker: Checker) -> bool:
    """Whether `x.append(…)` appends to a Text (not a list)."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if isinstance(func.value, ast.Name):
        return checker.is_text(func.value, scope) and not is_list(func.value.id, scope)
    return False


def is_list(name: str, scope: Scope) -> bool:
    """Whether a local name is bound to a list."""
    if scope.function is None:
        return False
    for node in ast.walk(scope.function):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            named = any(isinstance(target, ast.Name) and target.id == name for target in targets)
            if named and isinstance(node.value, ast.List | ast.ListComp):
                return True
            if named and isinstance(node, ast.AnnAssign) and "list" in ast.unparse(node.annotation):
                return True
    return False


def violations_in(path: Path, checker: Checker) -> Iterator[str]:
    """`file:line: code` for each place text reaches the screen unsafely."""
    yield from violations_in_source(path.read_text(), str(path.relative_to(UI.parent.parent)), checker)


def violations_in_source(source: str, where: str, checker: Checker) -> Iterator[str]:
    """As `violations_in`, for the text of a module."""
    tree = ast.parse(source)
    checker = Checker(checker.text_funcs, tree)

    def visit(node: ast.AST, scope: Scope) -> Iterator[str]:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, ast.ClassDef):
                inner = Scope(None, child)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = Scope(child, scope.klass)
            if isinstance(child, ast.Call):
                yield from check_call(child, inner)
            yield from visit(child, inner)

    def check_call(call: ast.Call, scope: Scope) -> Iterator[str]:
        name = callee(call)
        if name == "__init__" and scope.klass is not None:
            bases = {ast.unparse(base).split("[")[0] for base in scope.klass.bases}
            name = next(iter(sorted(bases & MARKUP_SINKS)), name)  # a widget's own super().__init__
        if name in {"append", "append_text"} and not is_text_receiver(call, scope, checker):
            return
        if name in MARKUP_SINKS:
            unsafe = [arg for arg in shown_arguments(call) if not checker.is_text(arg, scope)]
        elif name in TEXT_SINKS:
            unsafe = [arg for arg in shown_arguments(call) if not checker.is_clean(arg, scope)]
        else:
            return
        for argument in unsafe:
            yield f"{where}:{call.lineno}: {name}(… {ast.unparse(argument)[:70]} …)"

    yield from visit(tree, Scope(None, None))


def test_every_text_on_screen_goes_through_safe_text() -> None:
    checker = Checker(text_functions())
    found = [line for path in ui_files() for line in violations_in(path, checker)]
    advice = "Show this text with counter_tui.ui.safe_text (plain/line/compose):\n"
    assert found == [], advice + "\n".join(found)


def test_both_apps_show_toasts_and_titles_as_plain_text() -> None:
    assert issubclass(CounterApp, safe_text.PlainTextApp)
    assert issubclass(KioskApp, safe_text.PlainTextApp)


@pytest.mark.parametrize(
    "source",
    [
        "Label(self._prompt)",
        "Static(f'Erase {name}?')",
        "table.add_row(customer.name)",
        "Option(person.name)",
        "Text(customer.name)",
        "Label(one_line(name))",
        "widget.update(name + ' owns this')",
    ],
)
def test_the_guard_catches_user_text_given_directly(source: str) -> None:
    """The checker itself refuses the shapes that crashed the app."""
    tree = ast.parse(f"def show(self, name: str, customer, person, table, widget):\n    {source}\n")
    function = tree.body[0]
    calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)]
    [call] = [node for node in calls if callee(node) != "one_line"]
    checker = Checker(text_functions())
    scope = Scope(function, None)
    sink = MARKUP_SINKS if callee(call) in MARKUP_SINKS else TEXT_SINKS
    check = checker.is_text if sink is MARKUP_SINKS else checker.is_clean
    assert not all(check(argument, scope) for argument in shown_arguments(call))


@pytest.mark.parametrize(
    "source",
    [
        "Label(plain(name))",
        "Label('Name')",
        "Static(compose('Erase $name?', name=name))",
        "table.add_row(line(customer.name, 30))",
        "Text(one_line(name))",
    ],
)
def test_the_guard_accepts_text_through_safe_text(source: str) -> None:
    tree = ast.parse(f"def show(self, name: str, customer, table):\n    {source}\n")
    function = tree.body[0]
    call = next(node for node in ast.walk(function) if isinstance(node, ast.Call))
    checker = Checker(text_functions())
    scope = Scope(function, None)
    check = checker.is_text if callee(call) in MARKUP_SINKS else checker.is_clean
    assert all(check(argument, scope) for argument in shown_arguments(call))


def test_the_guard_checks_what_a_widget_passes_to_its_own_base() -> None:
    """A Static subclass handing a str to `super().__init__` is a Static given a str."""
    source = (
        "class Banner(Static):\n"
        "    def __init__(self, name: str) -> None:\n"
        "        super().__init__(name)\n"
        "class SafeBanner(Static):\n"
        "    def __init__(self, name: str) -> None:\n"
        "        super().__init__(plain(name))\n"
    )
    found = list(violations_in_source(source, "banner.py", Checker(text_functions())))
    assert found == ["banner.py:3: Static(… name …)"]
