"""New walk-in: a short description, what they need, and whether you are greeting them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label, SelectionList

from counter_tui.services.labels import NEED_LABELS
from counter_tui.ui.dialogs.form import FormDialog


@dataclass(frozen=True)
class WalkIn:
    """What the dialog collected."""

    description: str
    needs: tuple[str, ...]
    claim: bool


def need_choices(selected: set[str] | None = None) -> SelectionList[str]:
    """A list of every need, with `selected` ticked."""
    chosen = selected or set()
    return SelectionList[str](
        *[(label, kind, kind in chosen) for kind, label in NEED_LABELS.items()], id="needs"
    )


class NewWalkInDialog(FormDialog[WalkIn]):
    """Record a customer who just came in."""

    TITLE_TEXT = "New walk-in"

    def fields(self) -> ComposeResult:
        yield Label("Who (a short description, e.g. 'red coat, looking at kettles')")
        yield Input(placeholder="walk-in", max_length=200, id="description")
        yield Label("What they need (space to tick)")
        yield need_choices()
        yield Checkbox("I'm greeting them now — they're mine for this visit", True, id="claim")

    def collect(self) -> WalkIn:
        return WalkIn(
            description=self.query_one("#description", Input).value,
            needs=tuple(self.query_one("#needs", SelectionList).selected),
            claim=self.query_one("#claim", Checkbox).value,
        )
