"""Record how a customer wants to be contacted: a real choice per channel, with its source."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.db.models import Channel
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.ui.dialogs.form import FormDialog, required
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.widgets.choice import Tick

CHANNELS = (Channel.PHONE, Channel.SMS, Channel.EMAIL)


class ConsentDialog(FormDialog[tuple[dict[str, bool], str]]):
    """Tick exactly what the customer agreed to; untick to record a withdrawal."""

    TITLE_TEXT = "How may we contact them?"

    def __init__(self, granted: set[str]) -> None:
        super().__init__()
        self._granted = granted

    def fields(self) -> ComposeResult:
        yield Label("Ask the customer. Nothing is ticked unless they said yes.")
        for channel in CHANNELS:
            yield Tick(
                CHANNEL_LABELS[channel].capitalize(), channel in self._granted, id=f"consent-{channel}"
            )
        yield Label("How did they tell you?")
        source = KeysInOrder(id="source")
        source.value = "asked at the counter"
        yield source

    def collect(self) -> tuple[dict[str, bool], str]:
        answers = {str(channel): self.query_one(f"#consent-{channel}", Tick).value for channel in CHANNELS}
        return answers, required(
            self.query_one("#source", Input).value, "Say how they told you.", field="source"
        )
