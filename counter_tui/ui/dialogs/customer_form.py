"""Put a customer on file: name, phone, email, and which channels they agreed to."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.db.models import Channel
from counter_tui.ui.dialogs.form import FormDialog, required
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.safe_text import clean
from counter_tui.ui.widgets.choice import Tick


@dataclass(frozen=True)
class NewCustomer:
    """The details typed, and the channels the customer opted in to just now."""

    name: str
    phone: str
    email: str
    opted_in: tuple[str, ...]


class CustomerFormDialog(FormDialog[NewCustomer]):
    """Add a customer. Opt-in is off until the customer says yes (a real choice)."""

    TITLE_TEXT = "Customer details"

    def __init__(
        self, name: str = "", *, phone: str = "", email: str = "", ask_consent: bool = True, title: str = ""
    ) -> None:
        super().__init__()
        if title:
            self.TITLE_TEXT = title
        self._initial_name = name
        self._initial_phone = phone
        self._initial_email = email
        self._ask_consent = ask_consent

    def fields(self) -> ComposeResult:
        yield Label("Name")
        name = KeysInOrder(id="name")
        name.value = clean(self._initial_name)
        yield name
        yield Label("Phone (optional)")
        phone = KeysInOrder(id="phone")
        phone.value = clean(self._initial_phone)
        yield phone
        yield Label("Email (optional)")
        email = KeysInOrder(id="email")
        email.value = clean(self._initial_email)
        yield email
        if self._ask_consent:
            yield Label("Ask: may we contact you? Tick only what they agreed to.")
            yield Tick("Phone calls", False, id="opt-phone")
            yield Tick("Text messages", False, id="opt-sms")
            yield Tick("Email", False, id="opt-email")

    def collect(self) -> NewCustomer:
        opted: tuple[str, ...] = tuple(
            str(channel)
            for channel, widget_id in (
                (Channel.PHONE, "#opt-phone"),
                (Channel.SMS, "#opt-sms"),
                (Channel.EMAIL, "#opt-email"),
            )
            if self._ask_consent and self.query_one(widget_id, Tick).value
        )
        return NewCustomer(
            name=required(
                self.query_one("#name", Input).value,
                "Give the customer's name (a first name is enough).",
                field="name",
            ),
            phone=self.query_one("#phone", Input).value,
            email=self.query_one("#email", Input).value,
            opted_in=opted,
        )
