"""The binding ids a settings file's `[keys]` table may remap, read from the UI's source.

The ids are the `id=` of every `Binding(...)` under `counter_tui/ui`, found with `ast`
rather than by importing the screens: importing Textual reads `TEXTUAL*` variables,
which the kiosk must remove first, and reading the source means a new binding can be
remapped without being listed anywhere else. An id built with an f-string
(`f"kiosk.choice.{number}"`) becomes a pattern. A test checks the result against
the bindings the running app really has.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

UI_SOURCE = Path(__file__).resolve().parent / "ui"


@dataclass(frozen=True)
class BindingIds:
    """Ids written out in full, and patterns for the ids built from a template."""

    exact: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]

    def __contains__(self, binding_id: object) -> bool:
        return isinstance(binding_id, str) and (
            binding_id in self.exact or any(pattern.fullmatch(binding_id) for pattern in self.patterns)
        )


@cache
def known_binding_ids() -> BindingIds:
    """Every binding id of the staff app and the kiosk."""
    exact: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for path in sorted(UI_SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and _called_name(node) == "Binding"):
                continue
            for keyword in node.keywords:
                if keyword.arg != "id":
                    continue
                if isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                    exact.add(keyword.value.value)
                elif isinstance(keyword.value, ast.JoinedStr):
                    patterns.append(_template_pattern(keyword.value))
    return BindingIds(frozenset(exact), tuple(patterns))


def binding_id_problem(binding_id: str) -> str | None:
    """Why `binding_id` cannot be remapped (with the nearest real id), or None if it can."""
    known = known_binding_ids()
    if binding_id in known:
        return None
    close = difflib.get_close_matches(binding_id, sorted(known.exact), n=1)
    hint = f"did you mean {close[0]}?" if close else "the README's keys table lists them."
    return f'"{binding_id}" is not a binding id; {hint}'


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _template_pattern(template: ast.JoinedStr) -> re.Pattern[str]:
    """`f"kiosk.choice.{number}"` -> `kiosk\\.choice\\.[a-z0-9_]+`."""
    parts = [
        re.escape(part.value)
        if isinstance(part, ast.Constant) and isinstance(part.value, str)
        else "[a-z0-9_]+"
        for part in template.values
    ]
    return re.compile("".join(parts))
