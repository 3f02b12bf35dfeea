"""Ask for a shift lead's PIN before something only a lead may allow (closing the app).

The lead is picked from a list of the active leads (arrows), then the PIN; a wrong PIN
or an associate's keeps the dialog open with the reason under the PIN box. The PIN is
checked by the service passed in, in a worker thread. The list loads in a worker too; a
PIN typed and sent before it is there is kept, and checked once the lead is known.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.errors import DomainError
from counter_tui.services import staff
from counter_tui.services.context import Actor
from counter_tui.services.permissions import Action, allows
from counter_tui.services.staff import PIN_MAX, StaffSummary
from counter_tui.ui.dialog_notice import RefusalLine, dialog_foot
from counter_tui.ui.focus_keys import HandsKeysToPin, KeysInOrder, ListInOrder, focus_now, type_into
from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.own_keys_first import own_keys_first
from counter_tui.ui.safe_text import line, plain
from counter_tui.ui.shop_access import ShopAccess
from counter_tui.ui.tones import URGENT, tone
from counter_tui.ui.widgets.keys_footer import SteadyFooter

PinCheck = Callable[[int, str], Actor]
"""A service call taking (lead's staff id, PIN) and returning the lead, or refusing."""


class LeadList(HandsKeysToPin, ListInOrder):
    """The list of leads. A digit typed on it starts the highlighted lead's PIN: it and the
    keys after it go to the PIN box, Enter included, until the list has focus again (PINs
    are digits; the list has no use for them: a PIN typed straight away was lost, and an
    Enter typed fast after it only picked the lead again)."""

    async def _on_key(self, event: events.Key) -> None:
        digit = event.character is not None and event.character.isdigit()
        if not (self.handing_to_pin or digit) or event.key == "escape":
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        pin = self.screen.query_one("#lead-pin", Input)
        if not self.handing_to_pin:
            self.handing_to_pin = True
            focus_now(pin)
        if event.key == "enter":
            await pin.action_submit()
        else:
            type_into(pin, event)


class LeadPinDialog(Guarded, ShopAccess, ModalScreen[Actor | None]):
    """Pick a shift lead, type their PIN; dismissed with the lead once the PIN is right.
    Listed are the people the permissions let take `allowing`."""

    DEFAULT_CSS = "LeadPinDialog { align: center middle; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "check_pin",
            "Check PIN",
            id="lead_pin.check",
            tooltip="Check the PIN of the lead picked.",
        ),
        Binding("escape", "cancel", "Cancel", id="lead_pin.cancel", tooltip="Close without doing it."),
    ]

    def __init__(
        self, question: str, check: PinCheck, *, allowing: Action, preferred_lead: int | None = None
    ) -> None:
        super().__init__()
        self.question = question
        self.check = check
        self.allowing = allowing
        self.preferred_lead = preferred_lead
        self._leads_listed = False
        self._pin_waiting = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(plain(self.question), classes="dialog-title")
            yield Static(Text("A shift lead's PIN is needed. Shift lead (arrows to move):"))
            yield LeadList(id="leads")
            yield Label("PIN, then Enter")
            yield KeysInOrder(
                id="lead-pin", password=True, max_length=PIN_MAX, restrict=r"[0-9]*", select_on_focus=False
            )
            yield dialog_foot("Enter checks the PIN · Tab next field · Esc cancels")
        yield SteadyFooter()

    def on_mount(self) -> None:
        """Load the active leads. The PIN box has the keys when the lead is known (the one
        signed in, or the only one); otherwise the list does, to pick the lead, unless a PIN is
        being typed already (the list loads in a worker). The PIN box takes the keys at once: a
        deferred focus could land after the list had taken them, on a busy machine."""
        focus_now(self.query_one("#lead-pin", Input))
        self.call(staff.list_staff, self.ctx, then=self._show_leads)

    def _show_leads(self, people: list[StaffSummary]) -> None:
        leads = [
            person
            for person in people
            if allows(Actor(staff_id=person.id, name=person.name, role=person.role), self.allowing)
        ]
        self._leads_listed = True
        options = self.query_one("#leads", OptionList)
        options.clear_options()
        for lead in leads:
            options.add_option(Option(line(lead.name), id=str(lead.id)))
        if not leads:
            self._say("There is no active shift lead. Add one with: counter-tui staff add NAME --role lead")
            return
        self._notice().clear()  # "Finding the shift leads…"
        ids = [lead.id for lead in leads]
        preferred = ids.index(self.preferred_lead) if self.preferred_lead in ids else None
        known = preferred is not None or len(leads) == 1
        options.highlighted = preferred or 0
        pin = self.query_one("#lead-pin", Input)
        if self._pin_waiting and known:
            self._check_pin(pin)
        elif self._pin_waiting:
            focus_now(options)
            self._say("Pick the shift lead with the arrows, then Enter: the PIN typed is kept.")
        elif not known and not pin.value:
            focus_now(options)

    @on(OptionList.OptionSelected, "#leads")
    def _lead_picked(self) -> None:
        """Picking a lead moves to the PIN box, and checks a PIN already typed there."""
        pin = self.query_one("#lead-pin", Input)
        focus_now(pin)
        if pin.value:
            self._check_pin(pin)

    @on(Input.Submitted, "#lead-pin")
    def _pin_given(self, event: Input.Submitted) -> None:
        event.stop()
        self._check_pin(event.input)

    def _check_pin(self, box: Input) -> None:
        """Check the PIN in `box` for the lead highlighted. While the list still loads the
        PIN is kept and checked once the lead is known (a PIN typed fast was wiped)."""
        pin = box.value
        options = self.query_one("#leads", OptionList)
        if options.highlighted is None or options.option_count == 0:
            self._pin_waiting = bool(pin) and not self._leads_listed
            self._say("Finding the shift leads…" if not self._leads_listed else "Pick a shift lead first.")
            return
        self._pin_waiting = False
        if not pin:
            return
        box.value = ""
        lead_id = int(options.get_option_at_index(options.highlighted).id or 0)
        self._say("Checking…")
        self.call(self.check, lead_id, pin, then=self._accepted, refused=self._refused)

    def _accepted(self, lead: Actor) -> None:
        self.dismiss(lead)

    def _refused(self, error: DomainError) -> None:
        self._say(str(error))

    def _say(self, sentence: str) -> None:
        self._notice().say(plain(sentence, style=tone(URGENT)))

    def _notice(self) -> RefusalLine:
        """The line under the PIN box that says why nothing happened (or what is awaited)."""
        return self.query_one(".dialog-error", RefusalLine)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The dialog's keys first, Enter among them as "Check PIN": the PIN box's and the
        list's own Enter (unnamed: Textual shows it nowhere) hid this dialog's, so the
        footer offered only Esc."""
        bindings = super().active_bindings
        own = next(chain for namespace, chain in self._modal_binding_chain if namespace is self)
        for key, binding in own:
            if binding.id == "lead_pin.check":
                bindings[key] = ActiveBinding(self, binding, True, binding.tooltip)
        return own_keys_first(self, bindings)

    async def action_check_pin(self) -> None:
        """Check the PIN typed so far (the footer's Enter, or its remapped key)."""
        await self.query_one("#lead-pin", Input).action_submit()

    def action_cancel(self) -> None:
        """Close without a lead."""
        self.dismiss(None)
