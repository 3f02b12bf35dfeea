"""Start keeping a customer up to date on an open order or repair: what it is, how they
will hear, and every how many days."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.db.models import Channel
from counter_tui.services.status_updates import MOST_DAYS, every_days_from
from counter_tui.ui.dialogs.followup_forms import channel_choice, chosen_channel
from counter_tui.ui.dialogs.form import FormDialog, required
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.safe_text import plain
from counter_tui.ui.widgets.choice import ChoiceList


@dataclass(frozen=True)
class StatusUpdateRequest:
    """Which order or repair, how the customer will hear, and every how many days."""

    about: str
    channel: str
    every_days: int


class StatusUpdateDialog(FormDialog[StatusUpdateRequest]):
    """Keep them up to date: each update comes back to you every N days until it is done."""

    TITLE_TEXT = "Keep them up to date"
    FIELD_IDS: ClassVar[dict[str, str]] = {"every_days": "every-days"}
    CHANNELS = (Channel.IN_PERSON, Channel.PHONE, Channel.SMS, Channel.EMAIL)

    def __init__(self, consented: set[str], every_days: int) -> None:
        super().__init__()
        self._consented = consented
        self._every_days = every_days

    def fields(self) -> ComposeResult:
        yield Label("Which open order or repair? (e.g. 'Watch repair, new crown ordered')")
        yield KeysInOrder(id="about")
        yield Label("How will they hear?")
        yield channel_choice(self.CHANNELS, self._consented)
        yield Label(plain(f"Every how many days? (1 to {MOST_DAYS})"))
        days = KeysInOrder(id="every-days", restrict=r"[0-9]*", max_length=2, select_on_focus=False)
        days.value = str(self._every_days)
        yield days

    def collect(self) -> StatusUpdateRequest:
        about = required(
            self.query_one("#about", Input).value, "Say which order or repair it is.", field="about"
        )
        channel = chosen_channel(self.query_one("#channel", ChoiceList), self._consented, key_hint=" (k)")
        every_days = every_days_from(self.query_one("#every-days", Input).value)
        return StatusUpdateRequest(about, channel, every_days)
