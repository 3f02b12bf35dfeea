"""Add a callback or a promise for a customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label, Static

from counter_tui.db.models import Channel
from counter_tui.errors import InvalidInput
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.services.when import day_words, parse_due, read_due
from counter_tui.ui.dialogs.form import FormDialog, required
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.safe_text import plain
from counter_tui.ui.widgets.choice import ChoiceList, Tick


@dataclass(frozen=True)
class CallbackRequest:
    """What the call is about, how, and the consent given now (empty if already on file)."""

    about: str
    channel: str
    consent_source: str
    asked_by_customer: bool = True


@dataclass(frozen=True)
class PromiseRequest:
    """What was promised, by when, and how the customer will hear."""

    promise: str
    due_at: datetime
    channel: str


def channel_choice(channels: tuple[str, ...], consented: set[str]) -> ChoiceList[str]:
    """Pick one channel (the first to start with), marking those the customer has not agreed to."""
    return ChoiceList(
        [
            (
                channel,
                CHANNEL_LABELS[channel]
                + ("" if channel in consented or channel == Channel.IN_PERSON else " (no consent yet)"),
            )
            for channel in channels
        ],
        value=channels[0],
        id="channel",
    )


def chosen_channel(choice: ChoiceList[str], consented: set[str], *, key_hint: str = "") -> str:
    """The channel picked in a `channel_choice`, if the customer agreed to it (in person
    needs no consent); otherwise a sentence beside the field (`key_hint` e.g. " (k)")."""
    channel = choice.value
    if channel is None:
        raise InvalidInput("Pick how they will hear.", field="channel")
    if channel != Channel.IN_PERSON and channel not in consented:
        raise InvalidInput(
            f"No consent on file for {CHANNEL_LABELS[channel]}. Use 'in person', or record "
            f"their consent first{key_hint}.",
            field="channel",
        )
    return channel


def understood_due(typed: str, calendar: StoreCalendar, now: datetime) -> Text:
    """The due time as read from `typed` ("Due Fri 27 Nov, 17:30 (today)"; the year too
    when it is not this year's), so the person sees which day "fri" became, or that it
    moved off a time the shop is shut, before saving; or, in one sentence, what to type
    instead (a time already passed is refused here, as it is typed, not only on Enter)."""
    try:
        reading = read_due(typed, calendar, now)
    except InvalidInput as error:
        return plain(str(error), style="dim")
    due = reading.due
    days = (calendar.local_date(due) - calendar.local_date(now)).days
    near = {0: " (today)", 1: " (tomorrow)"}.get(days, "")
    moved = f" ({reading.moved})" if reading.moved else ""
    return plain(f"Due {day_words(calendar, due, now, at_time=True)}{near}{moved}", style="bold")


class CallbackDialog(FormDialog[CallbackRequest]):
    """A call back, due before close (next business day if asked in the last hour)."""

    TITLE_TEXT = "Call back"
    CHANNELS = (Channel.PHONE, Channel.SMS)

    def __init__(self, consented: set[str]) -> None:
        super().__init__()
        self._consented = consented

    def fields(self) -> ComposeResult:
        yield Label("What is the call about?")
        yield KeysInOrder(id="about")
        yield Label("How")
        yield channel_choice(self.CHANNELS, self._consented)
        yield Tick("The customer agreed just now to be contacted this way", False, id="agreed")
        yield Tick("They asked for this call (untick if the shop is calling them)", True, id="asked")

    def collect(self) -> CallbackRequest:
        about = required(self.query_one("#about", Input).value, "Say what the call is about.", field="about")
        channel = self.query_one("#channel", ChoiceList).value
        if channel is None:
            raise InvalidInput("Pick how to call back.", field="channel")
        agreed = self.query_one("#agreed", Tick).value
        if not agreed and channel not in self._consented:
            raise InvalidInput(
                f"No consent on file for {CHANNEL_LABELS[channel]}. Ask them: tick the box if they "
                "agree now, or pick another way.",
                field="channel",
            )
        return CallbackRequest(
            about,
            channel,
            "agreed at the counter when asking for a callback" if agreed else "",
            asked_by_customer=self.query_one("#asked", Tick).value,
        )


class PromiseDialog(FormDialog[PromiseRequest]):
    """Something promised, due when you said it would be done."""

    TITLE_TEXT = "Promise"
    FIELD_IDS: ClassVar[dict[str, str]] = {"due_at": "due"}
    CHANNELS = (Channel.IN_PERSON, Channel.PHONE, Channel.SMS, Channel.EMAIL)

    def __init__(self, consented: set[str], calendar: StoreCalendar, now: datetime) -> None:
        super().__init__()
        self._consented = consented
        self._calendar = calendar
        self._now = now

    def fields(self) -> ComposeResult:
        yield Label("What did you promise? (in the words you used)")
        yield KeysInOrder(id="promise")
        yield Label("By when? e.g. 'tomorrow 12:00', 'fri', 'in 2 working hours'")
        yield KeysInOrder(placeholder="next open day", id="due", max_length=40)
        yield Static(self.understood(""), id="due-understood")
        yield Label("How will they hear it was done?")
        yield channel_choice(self.CHANNELS, self._consented)

    def understood(self, typed: str) -> Text:
        """The due time as read from what is typed in the due box."""
        return understood_due(typed, self._calendar, self._now)

    @on(Input.Changed, "#due")
    def _due_typed(self, event: Input.Changed) -> None:
        self.query_one("#due-understood", Static).update(self.understood(event.value))

    def collect(self) -> PromiseRequest:
        promise = required(self.query_one("#promise", Input).value, "Say what was promised.", field="promise")
        due_text = self.query_one("#due", Input).value
        try:
            due_at = parse_due(due_text, self._calendar, self._now)
        except InvalidInput as error:  # already passed, too far ahead, or not a time
            raise InvalidInput(str(error), field="due") from None
        channel = chosen_channel(self.query_one("#channel", ChoiceList), self._consented)
        return PromiseRequest(promise, due_at, channel)
