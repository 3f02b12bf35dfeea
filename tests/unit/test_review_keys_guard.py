"""A review key that acts on a row (approve, deny, reassign, acknowledge, reopen…) takes
the row the lead picked (`FittedTable.pick` / `ReviewPane.pick`), never the row under the
cursor as it happens to be.

With the focus on the tab bar, the first pending request was highlighted, ↓ moved
nothing, and a approved that first request while the lead meant the second; a request
decided at another till left the highlight on whichever request took its place. This reads
the methods the review screen's keys run (review.PANE_ACTIONS) and the hand-offs screen's
a, d and w, following the methods of their own class they call, and fails on one that
reads the cursor (`row_key`, `cursor_row_key`, `cursor_coordinate`, `cursor_row`,
`coordinate_to_cell_key`) or never reaches `pick`.
"""

from __future__ import annotations

import ast
import inspect
import textwrap

from counter_tui.ui.screens.handoffs import HandoffsScreen
from counter_tui.ui.screens.review import PANE_ACTIONS, TABS

CURSOR_READS = {"row_key", "cursor_row_key", "cursor_coordinate", "cursor_row", "coordinate_to_cell_key"}
ROW_KEYS = {"approve", "deny", "reassign", "due_history", "acknowledge", "act_on", "reopen", "mark_reviewed"}
"""The pane methods whose keys act on a highlighted row."""


def reached_names(cls: type, method: str) -> set[str]:
    """Every name and attribute `cls.method` uses, following `self.other()` calls into
    methods of `cls` (and its bases)."""
    names: set[str] = set()
    todo, seen = [method], set()
    while todo:
        name = todo.pop()
        if name in seen or not hasattr(cls, name):
            continue
        seen.add(name)
        try:
            source = textwrap.dedent(inspect.getsource(getattr(cls, name)))
        except (OSError, TypeError):
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
                if isinstance(node.value, ast.Name) and node.value.id == "self":
                    todo.append(node.attr)
    return names


def row_actions() -> list[tuple[type, str]]:
    panes = {tab_id: pane for tab_id, _label, _name, pane in TABS}
    found = [(panes[tab], method) for tab, method in PANE_ACTIONS.values() if method in ROW_KEYS]
    found += [(HandoffsScreen, f"action_{key}") for key in ("approve", "deny", "withdraw")]
    return found


def test_the_row_actions_are_found() -> None:
    assert len(row_actions()) == len(ROW_KEYS) + 3


def test_every_review_key_acting_on_a_row_takes_the_row_picked() -> None:
    wrong = []
    for cls, method in row_actions():
        names = reached_names(cls, method)
        if names & CURSOR_READS:
            wrong.append(f"{cls.__name__}.{method} reads the cursor: {sorted(names & CURSOR_READS)}")
        if "pick" not in names:
            wrong.append(f"{cls.__name__}.{method} never asks for the row picked (pick)")
    assert wrong == []
