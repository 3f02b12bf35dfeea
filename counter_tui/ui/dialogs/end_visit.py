"""End a visit: how it ended, and on a purchase the thank-you's personal line."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.db.models import Outcome
from counter_tui.errors import InvalidInput
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.safe_text import compose
from counter_tui.ui.widgets.choice import ChoiceList

CHOICES = (
    (Outcome.PURCHASE, "Purchase"),
    (Outcome.NO_PURCHASE, "No purchase"),
    (Outcome.LEFT_UNSERVED, "Left unserved"),
)


@dataclass(frozen=True)
class EndChoice:
    """The outcome and the personal line (may be empty; it is needed before the thank-you is done)."""

    outcome: str
    personal_line: str


class EndVisitDialog(FormDialog[EndChoice]):
    """Ask how the visit ended."""

    TITLE_TEXT = "End this visit"
    FIELD_IDS: ClassVar[dict[str, str]] = {"personal_line": "personal"}

    def __init__(self, *, on_file: bool, template: str = "", outcomes: Collection[str] = ()) -> None:
        """`outcomes` are the ones offered (all when empty): the screen passes those the
        permissions let this person end the visit with."""
        super().__init__()
        self._on_file = on_file
        self._template = template
        self._choices = tuple(choice for choice in CHOICES if not outcomes or choice[0] in outcomes)
        self._thanks = on_file and any(outcome == Outcome.PURCHASE for outcome, _label in self._choices)
        """Whether a purchase, which alone queues a thank-you, is among the choices."""

    def fields(self) -> ComposeResult:
        yield Label("How did it end? (arrows choose; nothing is chosen for you)")
        yield ChoiceList(self._choices, id="outcome")
        if self._thanks:
            yield Label("Thank-you personal line (on a purchase; you can add it later)")
            if self._template:
                yield Label(compose("Template: $template", template=self._template), classes="dim")
            yield KeysInOrder(
                placeholder="e.g. Hope the blue kettle suits the new kitchen",
                id="personal",
            )
        elif not self._on_file:
            yield Label("Not on file: no thank-you will be queued (add them with 'a' first to send one).")

    def collect(self) -> EndChoice:
        outcome = self.query_one("#outcome", ChoiceList).value
        if outcome is None:
            raise InvalidInput("Pick how the visit ended: arrows to choose, then Enter.", field="outcome")
        personal = self.query_one("#personal", Input).value.strip() if self._thanks else ""
        return EndChoice(outcome, personal)
