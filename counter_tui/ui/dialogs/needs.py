"""Set a visit's needs: tick what applies, optionally remember them for next time."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.services.views import NeedView
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.dialogs.walk_in import need_choices
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.widgets.choice import ChoiceList, Tick


@dataclass(frozen=True)
class NeedsChange:
    """Needs to add and to clear, a detail for the added ones, and whether to remember them."""

    add: tuple[str, ...]
    clear: tuple[str, ...]
    detail: str
    remember: bool


class NeedsDialog(FormDialog[NeedsChange]):
    """Tick the needs that apply now."""

    TITLE_TEXT = "What does this customer need?"

    def __init__(self, current: tuple[NeedView, ...], *, can_remember: bool) -> None:
        super().__init__()
        self._current = {need.kind for need in current}
        self._can_remember = can_remember

    def fields(self) -> ComposeResult:
        yield Label("Space ticks or unticks · browse privately and needs help replace each other")
        yield need_choices(self._current)
        yield Label("Detail (e.g. language spoken, wheelchair, order number)")
        yield KeysInOrder(id="detail")
        remember = Tick("Remember for their next visits", False, id="remember")
        remember.display = self._can_remember
        yield remember

    def collect(self) -> NeedsChange:
        chosen = set(self.query_one("#needs", ChoiceList).values)
        return NeedsChange(
            add=tuple(sorted(chosen - self._current)),
            clear=tuple(sorted(self._current - chosen)),
            detail=self.query_one("#detail", Input).value,
            remember=self._can_remember and self.query_one("#remember", Tick).value,
        )
