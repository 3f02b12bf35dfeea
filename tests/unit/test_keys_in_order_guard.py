"""Every field under counter_tui/ui resolves its own bound keys in the order typed.

Textual resolves a field's bound keys (Backspace, arrows, Home and End in an Input; Space
and arrows in an option list or a tick box) at the app, after a priority key typed later
(a dialog's Enter), so "abc⌫⏎" saved "abc" and "Space Enter" on a choice list was
refused. Our fields resolve them as they reach the field (`focus_keys.OwnKeysInOrder`):
text fields are `KeysInOrder`, option lists `ListInOrder` (or `ChoiceList`), tick boxes
`Tick`. This reads the source and fails, naming file and line, on a plain Textual field
constructed or subclassed without `OwnKeysInOrder`; and checks every field class of ours
puts `OwnKeysInOrder` before the Textual class that binds the keys.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, OptionList, RadioButton, Switch, TextArea

import counter_tui.ui
from counter_tui.ui.focus_keys import OwnKeysInOrder

UI = Path(counter_tui.ui.__file__).parent
#: Textual's fields that bind their own editing or choosing keys.
PLAIN_FIELDS = {
    "Input",
    "MaskedInput",
    "TextArea",
    "OptionList",
    "SelectionList",
    "Select",
    "Checkbox",
    "RadioButton",
    "RadioSet",
    "Switch",
    "ListView",
}
#: Bases that make a class resolve its keys in order.
IN_ORDER = {"OwnKeysInOrder", "KeysInOrder", "ListInOrder", "ChoiceList", "Tick"}
FIELD_CLASSES = (Input, TextArea, OptionList, Checkbox, RadioButton, Switch)


def name_of(node: ast.expr) -> str:
    """`Input` for `Input`, `widgets.Input` or `Input[int]`."""
    if isinstance(node, ast.Subscript):
        return name_of(node.value)
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def plain_fields(source: str) -> list[str]:
    """Where `source` constructs a plain Textual field, or subclasses one without
    `OwnKeysInOrder` (or a class built on it)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and name_of(node.func) in PLAIN_FIELDS:
            found.append(f"{node.lineno}: {name_of(node.func)}(...)")
        if isinstance(node, ast.ClassDef):
            bases = {name_of(base) for base in node.bases}
            if bases & PLAIN_FIELDS and not bases & IN_ORDER:
                found.append(f"{node.lineno}: class {node.name}({', '.join(sorted(bases))})")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "Input(id='name')",
        "widgets.OptionList(*options)",
        "TextArea()",
        "class Box(Guarded, Input): pass",
        "class Picker(OptionList, Generic[T]): pass",
        "class Yes(Checkbox): pass",
    ],
)
def test_the_guard_sees_a_plain_field(source: str) -> None:
    assert plain_fields(source)


@pytest.mark.parametrize(
    "source",
    [
        "KeysInOrder(id='name')",
        "ListInOrder(*options)",
        "class Box(Guarded, KeysInOrder): pass",
        "class Picker(Guarded, OwnKeysInOrder, OptionList): pass",
        "isinstance(x, Input)",
        "query_one('#name', Input)",
    ],
)
def test_the_guard_lets_fields_in_order_through(source: str) -> None:
    assert not plain_fields(source)


def test_no_plain_field_under_ui() -> None:
    found = [
        f"{path.relative_to(UI).as_posix()}:{problem}"
        for path in sorted(UI.rglob("*.py"))
        for problem in plain_fields(path.read_text(encoding="utf-8"))
    ]
    assert not found, (
        "Plain Textual fields (their Backspace/arrows/Space land after a dialog's Enter; use "
        "focus_keys.KeysInOrder, ListInOrder, widgets.choice.ChoiceList or Tick):\n" + "\n".join(found)
    )


def test_every_field_class_of_ours_resolves_its_keys_first() -> None:
    """Checked on the classes too (an alias or a base from elsewhere slips past the source):
    `OwnKeysInOrder` comes before the Textual field in the method order, so its key
    handling runs first."""
    offenders = []
    for module in pkgutil.walk_packages(counter_tui.ui.__path__, "counter_tui.ui."):
        imported = importlib.import_module(module.name)
        for value in vars(imported).values():
            if not (isinstance(value, type) and value.__module__ == module.name):
                continue
            fields = [base for base in FIELD_CLASSES if issubclass(value, base)]
            if not fields:
                continue
            mro = value.__mro__
            if OwnKeysInOrder not in mro or any(mro.index(OwnKeysInOrder) > mro.index(f) for f in fields):
                offenders.append(f"{module.name}.{value.__name__}")
    assert offenders == []
