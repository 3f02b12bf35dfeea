"""Screens never re-derive a rule of who may do what: they ask services/permissions.py.

Reads the source of counter_tui/ui and fails, naming file and line, wherever a screen's
`check_action` (the method that decides which keys to offer) looks at a role (`is_lead`,
`role`), at ownership flags a service worked out (`is_owner`, `can_act`), or compares
someone's staff id. Such checks drifted from the services before (a helper was offered
End, which the service refused; anyone was offered to check off a colleague's
follow-up); asking `permissions.allows` keeps the two the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

import counter_tui.ui

UI = Path(counter_tui.ui.__file__).parent
ROLE_ATTRIBUTES = {"is_lead", "role", "is_owner", "can_act"}
ID_ATTRIBUTES = {"staff_id", "owner_id", "from_staff_id"}


def _compares_ids(node: ast.Compare) -> bool:
    """`a.owner_id == b.staff_id` and the like: someone's id compared with another value
    read off an object (not `owner_id is None`, which is the state of the thing shown)."""
    sides = [node.left, *node.comparators]
    ids = [side for side in sides if isinstance(side, ast.Attribute) and side.attr in ID_ATTRIBUTES]
    return bool(ids) and sum(isinstance(side, ast.Attribute) for side in sides) >= 2


def rules_in(tree: ast.AST, filename: str) -> list[str]:
    """`file:line what` for every rule worked out inside a `check_action` of `tree`."""
    found = []
    for function in ast.walk(tree):
        if not (isinstance(function, ast.FunctionDef) and function.name == "check_action"):
            continue
        for node in ast.walk(function):
            where = f"{filename}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Attribute) and node.attr in ROLE_ATTRIBUTES:
                found.append(f"{where} looks at .{node.attr}")
            if isinstance(node, ast.Compare) and _compares_ids(node):
                found.append(f"{where} compares staff ids")
    return found


def test_screens_ask_the_permissions_instead_of_checking_roles_or_owners() -> None:
    found = []
    for path in sorted(UI.rglob("*.py")):
        found += rules_in(ast.parse(path.read_text(), filename=str(path)), str(path.relative_to(UI.parent)))
    assert found == []


def test_the_guard_sees_a_rule_written_in_a_screen() -> None:
    source = (
        "class S:\n"
        "    def check_action(self, action, parameters):\n"
        "        if self.visit.owner_id is None:\n"
        "            return True\n"
        "        return self.actor.is_lead or self.visit.owner_id == self.actor.staff_id\n"
    )
    assert rules_in(ast.parse(source), "s.py") == ["s.py:5 looks at .is_lead", "s.py:5 compares staff ids"]
