"""The keys of a screen in the order a person looks for them: the screen's own first,
then the app's (sign out, lock, keys), then the focused widget's (scrolling, cursor
movement, text editing). Textual lists them from the focused widget up, so the help
panel (F1) opened on a table started with generic scroll keys, and at 80×24 the
screen's own keys fell below the fold."""

from __future__ import annotations

from typing import Any

from textual.binding import ActiveBinding
from textual.screen import Screen


def own_keys_first(screen: Screen[Any], bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """`bindings` (a screen's active bindings) reordered: `screen`'s own, the app's, the
    rest. Ours are the ones with a binding id (every key this app declares has one, for
    remapping); Textual's generic keys (Tab, copy, scrolling, editing) have none."""

    def rank(item: tuple[str, ActiveBinding]) -> int:
        active = item[1]
        if active.binding.id is None:
            return 2
        return 0 if active.node is screen else 1 if active.node is screen.app else 2

    return dict(sorted(bindings.items(), key=rank))
