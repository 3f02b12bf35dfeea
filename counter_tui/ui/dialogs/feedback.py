"""Record what a customer said: open-ended, with an optional rating and topic tags."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.errors import InvalidInput
from counter_tui.ui.dialogs.form import FormDialog, required
from counter_tui.ui.focus_keys import KeysInOrder


@dataclass(frozen=True)
class FeedbackEntry:
    """The customer's words, an optional 1-5 rating, and topics separated by commas."""

    body: str
    rating: int | None
    topics: str


class FeedbackDialog(FormDialog[FeedbackEntry]):
    """Ask openly ("How could we do better?") and write down what they said."""

    TITLE_TEXT = "Customer feedback"

    def fields(self) -> ComposeResult:
        yield Label("What did they say? (their words)")
        yield KeysInOrder(id="body")
        yield Label("Rating 1-5 (optional)")
        yield KeysInOrder(max_length=1, restrict=r"[1-5]?", id="rating")
        yield Label("Topics, separated by commas (e.g. parking, opening hours)")
        yield KeysInOrder(id="topics")

    def collect(self) -> FeedbackEntry:
        body = required(
            self.query_one("#body", Input).value, "Write down what the customer said.", field="body"
        )
        rating_text = self.query_one("#rating", Input).value.strip()
        if rating_text and not rating_text.isdigit():
            raise InvalidInput("The rating is a number from 1 to 5, or leave it empty.", field="rating")
        return FeedbackEntry(
            body, int(rating_text) if rating_text else None, self.query_one("#topics", Input).value
        )
