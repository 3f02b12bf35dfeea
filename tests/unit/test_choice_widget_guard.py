"""Every choice in a dialog is the one choice widget (`ui/widgets/choice.ChoiceList`), so
arrows, Space and Enter behave the same everywhere and nothing is chosen for the person.
The deactivate dialog used a plain option list with its first colleague highlighted, and
one Enter passed someone's customers to a colleague nobody had chosen."""

from __future__ import annotations

import ast
from pathlib import Path

DIALOGS = Path(__file__).resolve().parents[2] / "counter_tui" / "ui" / "dialogs"
OTHER_CHOICES = {"ListInOrder", "OptionList", "RadioSet", "RadioButton", "SelectionList", "Select"}


def other_choice_widgets(source: str, name: str) -> list[str]:
    """Where `source` builds a choice widget other than ChoiceList (file:line: class)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if called in OTHER_CHOICES:
                found.append(f"{name}:{node.lineno}: {called}")
    return found


def test_dialogs_choose_only_with_the_choice_widget() -> None:
    found = [
        place
        for path in sorted(DIALOGS.glob("*.py"))
        for place in other_choice_widgets(path.read_text(encoding="utf-8"), path.name)
    ]
    assert found == [], "Offer choices with widgets.choice.ChoiceList:\n" + "\n".join(found)


def test_the_guard_sees_a_plain_option_list() -> None:
    source = "def fields(self):\n    yield ListInOrder(*options, id='pass-to')\n"
    assert other_choice_widgets(source, "deactivate.py") == ["deactivate.py:2: ListInOrder"]
