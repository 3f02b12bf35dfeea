"""The services never name a key: which key does something depends on the screen the
person is on (and on the terminal's own key map), which only the screen knows.

A hand-off request's notice said "Press h to approve or deny" on every screen, but h is
due history on Lead review and My follow-ups. A notice says what it asks of the person
(`Notice.asks`) and the screen adds its key (`handoff_decisions.how_to_decide`). This reads
every string in counter_tui/services and fails, naming file and line, on one telling the
person to press a key."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import counter_tui.services

SERVICES = Path(counter_tui.services.__file__).parent
PRESS_A_KEY = re.compile(r"\b[Pp]ress (?:[a-zA-Z0-9]|ctrl\+\w+)\b")
"""A screen's own key: a letter, a digit or a control key ("press Enter again" in a dialog
is the dialog's one save key, the same in every dialog)."""


def keys_named(source: str) -> list[int]:
    """The lines of `source` holding a string (an f-string's text too) that says to press a key."""
    return sorted(
        {
            node.lineno
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and PRESS_A_KEY.search(node.value)
        }
    )


def test_the_guard_sees_a_key_named() -> None:
    source = 'def notice():\n    return join_sentences(f"{asker} asks", "Press h to approve or deny")\n'
    assert keys_named(source) == [2]
    assert keys_named('x = "Pressure on the till; press the issue with the landlord"\n') == []
    assert keys_named('AGAIN = "check the list and press Enter again to close."\n') == []


def test_no_service_tells_the_person_which_key_to_press() -> None:
    found = [
        f"{path.relative_to(SERVICES.parent).as_posix()}:{line}"
        for path in sorted(SERVICES.rglob("*.py"))
        for line in keys_named(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "Name the key in the screen, which knows it (see Notice.asks):\n" + "\n".join(found)
