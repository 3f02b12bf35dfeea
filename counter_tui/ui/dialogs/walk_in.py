"""New walk-in: a short description, what they need, and whether you are greeting them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.services.labels import NEED_LABELS
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.widgets.choice import ChoiceList, Tick


@dataclass(frozen=True)
class WalkIn:
    """What the dialog collected."""

    description: str
    needs: tuple[str, ...]
    claim: bool


def need_choices(selected: set[str] | None = None) -> ChoiceList[str]:
    """A list of every need to tick, with `selected` ticked."""
    return ChoiceList(list(NEED_LABELS.items()), multiple=True, ticked=selected or (), id="needs")


class NewWalkInDialog(FormDialog[WalkIn]):
    """Record a customer who just came in."""

    TITLE_TEXT = "New walk-in"

    def fields(self) -> ComposeResult:
        yield Label("Who (a short description, e.g. 'red coat, looking at kettles')")
        yield KeysInOrder(placeholder="walk-in", id="description")
        yield Label("What they need (space to tick)")
        yield need_choices()
        yield Tick("I'm greeting them now — they're mine for this visit", True, id="claim")

    def collect(self) -> WalkIn:
        return WalkIn(
            description=self.query_one("#description", Input).value,
            needs=self.query_one("#needs", ChoiceList).values,
            claim=self.query_one("#claim", Tick).value,
        )
