"""Sign-in: pick yourself (type to filter), then your PIN."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.services import staff
from counter_tui.services.staff import StaffSummary
from counter_tui.text import one_line
from counter_tui.ui.screens.base import CounterScreen


class SignInScreen(CounterScreen):
    """Who is at the terminal: a filtered staff list and a PIN box."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Start again", id="sign_in.clear", tooltip="Clear the name and PIN."),
        Binding("down", "next_person", "Next", show=False, id="sign_in.next"),
        Binding("up", "previous_person", "Previous", show=False, id="sign_in.previous"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._staff: list[StaffSummary] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="sign-in-box"):
            with Vertical(id="sign-in-who"):
                yield Label("Who are you?", classes="heading")
                yield Input(placeholder="Type your name to filter", id="staff-filter", max_length=40)
                yield OptionList(id="staff-list")
            with Vertical(id="sign-in-pin"):
                yield Label("PIN", classes="heading")
                yield Input(
                    placeholder="Your PIN, then Enter",
                    password=True,
                    id="pin",
                    max_length=12,
                    restrict=r"[0-9]*",
                )
                yield Static(id="demo-pins")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Load the staff list and show demo PINs when this is the demo shop."""
        pins = self.counter.demo_pins
        demo = self.query_one("#demo-pins", Static)
        if pins:
            lines = ["Demo shop — PINs:"] + [f"  {name}: {pin}" for name, pin in pins.items()]
            demo.update(Text("\n".join(lines)))
        else:
            demo.display = False
        self.call(staff.list_staff, self.ctx, then=self._show_staff)
        self.query_one("#staff-filter", Input).focus()

    def _show_staff(self, people: list[StaffSummary]) -> None:
        self._staff = people
        self._filter(self.query_one("#staff-filter", Input).value)

    def _filter(self, typed: str) -> None:
        needle = typed.strip().lower()
        options = self.query_one("#staff-list", OptionList)
        options.clear_options()
        matches = [p for p in self._staff if needle in p.name.lower()]
        for person in matches:
            suffix = "  (lead)" if person.role == "lead" else ""
            options.add_option(Option(Text(one_line(person.name) + suffix), id=str(person.id)))
        if matches:
            options.highlighted = 0

    @on(Input.Changed, "#staff-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    @on(Input.Submitted, "#staff-filter")
    def _pick_highlighted(self) -> None:
        if self._chosen() is None:
            self.notify("Nobody matches that name. Check the spelling or ask a shift lead.", markup=False)
            return
        self.query_one("#pin", Input).focus()

    @on(OptionList.OptionSelected, "#staff-list")
    def _picked(self) -> None:
        self.query_one("#pin", Input).focus()

    def _chosen(self) -> StaffSummary | None:
        options = self.query_one("#staff-list", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        return next((p for p in self._staff if str(p.id) == option_id), None)

    @on(Input.Submitted, "#pin")
    def _sign_in(self, event: Input.Submitted) -> None:
        person = self._chosen()
        if person is None:
            self.notify("Pick your name first.", markup=False)
            self.query_one("#staff-filter", Input).focus()
            return
        pin = event.value
        event.input.value = ""
        if not pin:
            self.notify("Type your PIN, then Enter.", markup=False)
            return
        self.call(staff.sign_in, self.ctx, person.id, pin, then=self.counter.signed_in)

    def action_next_person(self) -> None:
        """Move down the staff list while typing."""
        self.query_one("#staff-list", OptionList).action_cursor_down()

    def action_previous_person(self) -> None:
        """Move up the staff list while typing."""
        self.query_one("#staff-list", OptionList).action_cursor_up()

    def action_clear(self) -> None:
        """Start again with an empty name and PIN."""
        self.query_one("#pin", Input).value = ""
        name = self.query_one("#staff-filter", Input)
        name.value = ""
        name.focus()
