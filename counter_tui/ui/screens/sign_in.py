"""Sign-in: pick yourself (type to filter), then your PIN.

A PIN is never shown in clear: once Enter is pressed in the name box, every key after
it belongs to the PIN box, even when it arrives before focus has moved (a fast typist,
or a pasted name and PIN); and the name box takes no digits at all (PINs are digits;
names are found by their letters), so a PIN typed there by mistake goes to the PIN box
too. The name box decides this itself, in the order its keys arrive, so it does not
depend on when the screen handles its messages.

The screen is painted before the shop is open (the app opens it after the first frame);
the staff list comes early where it can be read cheaply (`show_early_roster`), else when
the shop is open (`load_staff`); a name and PIN typed before that wait for it. The
services are imported where they are called, not before the first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.ui.focus_keys import (
    HandsKeysToPin,
    KeysInOrder,
    ListInOrder,
    focus_now,
    keys_landed,
    type_into,
)
from counter_tui.ui.safe_text import one_line
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from counter_tui.services.staff import StaffSummary
    from counter_tui.services.views import FloorRow


class StaffNameBox(HandsKeysToPin, KeysInOrder):
    """The name filter. Enter picks the person; the keys after it, and any digit, go to
    the PIN box (the keys after Enter until this box has focus again)."""

    def __init__(self) -> None:
        super().__init__(placeholder="Type your name to filter", id="staff-filter", max_length=40)

    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        digit = event.character is not None and event.character.isdigit()
        if not isinstance(screen, SignInScreen) or not (self.handing_to_pin or digit or event.key == "enter"):
            await super()._on_key(event)
            return
        if event.key == "escape":
            return
        event.stop()
        event.prevent_default()
        if self.handing_to_pin or digit:
            screen.type_ahead_into_pin(event)
        else:
            self.handing_to_pin = screen.pick(self.value)

    def _on_paste(self, event: events.Paste) -> None:
        """A pasted name keeps its letters here; its digits go to the PIN box."""
        line = event.text.splitlines()[0] if event.text else ""
        name = "".join(char for char in line if not char.isdigit())
        digits = "".join(char for char in line if char.isdigit())
        self.insert_text_at_cursor(name)
        screen = self.screen
        if digits and isinstance(screen, SignInScreen):
            screen.query_one("#pin", Input).insert_text_at_cursor(digits)
        event.stop()


class StaffList(HandsKeysToPin, ListInOrder):
    """The staff list. A digit typed here begins the PIN of the name highlighted: it and the
    keys after it go to the PIN box (until this list has focus again), so name, Tab, PIN,
    Enter signs in, as one Tab does in most sign-in forms (the digits were dropped)."""

    def __init__(self) -> None:
        super().__init__(id="staff-list")

    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        digit = event.character is not None and event.character.isdigit()
        handing = self.handing_to_pin or digit
        if not isinstance(screen, SignInScreen) or not handing or event.key == "escape":
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        if not self.handing_to_pin:
            self.handing_to_pin = True
            await screen.begin_pin_from_list()
        screen.type_ahead_into_pin(event)


class SignInScreen(CounterScreen):
    """Who is at the terminal: a filtered staff list and a PIN box."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Start again", id="sign_in.clear", tooltip="Clear the name and PIN."),
        Binding("down", "next_person", "Next", show=False, id="sign_in.next"),
        Binding("up", "previous_person", "Previous", show=False, id="sign_in.previous"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._staff: list[StaffSummary] | None = None
        self._filtered_for: str | None = None
        self._picked: StaffSummary | None = None
        self._waiting: tuple[str, str | None] | None = None
        """(name, PIN or None) typed ahead before the staff list had loaded."""
        self._pin_waiting: str | None = None
        """A PIN entered while the shop was still opening: checked once it is open."""
        self._board_ahead: tuple[int, list[FloorRow]] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="sign-in-box"):
            with Vertical(id="sign-in-who"):
                yield Label("Who are you?", classes="heading")
                yield StaffNameBox()
                yield StaffList()
            with Vertical(id="sign-in-pin"):
                yield Label("PIN", classes="heading")
                yield KeysInOrder(
                    placeholder="Your PIN, then Enter",
                    password=True,
                    id="pin",
                    # Digits typed ahead are already in it when it gets focus: not selected,
                    # or the next digit would replace them.
                    select_on_focus=False,
                    max_length=12,
                    restrict=r"[0-9]*",
                )
                yield Static(id="demo-pins")
        yield KeysFooter()

    def on_mount(self) -> None:
        """Load the staff list (once the shop is open) and show demo PINs when this is the demo shop."""
        pins = self.counter.demo_pins
        demo = self.query_one("#demo-pins", Static)
        if pins:
            lines = ["Demo shop — PINs:"] + [f"  {name}: {pin}" for name, pin in pins.items()]
            demo.update(Text("\n".join(lines)))
        else:
            demo.display = False
        if self.counter.shop_open:
            self.load_staff()
        self.query_one("#staff-filter", Input).focus()

    def load_staff(self) -> None:
        """List the staff who can sign in (the app calls this when the shop has opened),
        and load what the floor board will need meanwhile (`warm_up`)."""
        from counter_tui.services import staff
        from counter_tui.ui.warm_up import warm_up_floor

        self.call(staff.list_staff, self.ctx, then=self._show_staff)
        self.call(warm_up_floor, self.ctx, quiet=True)

    def show_early_roster(self, people: list[StaffSummary]) -> None:
        """The staff list read before the shop opened (the app's), unless one is shown."""
        if self._staff is None:
            self._show_staff(people)

    def _show_staff(self, people: list[StaffSummary]) -> None:
        self._staff = people
        if self._picked is not None and self._picked not in people:
            self._picked, self._pin_waiting = None, None
        self._filter(self.query_one("#staff-filter", Input).value)
        if self._waiting is not None:
            name, pin = self._waiting
            self._waiting = None
            if self.pick(name) and pin is not None:
                self.sign_in_with(pin)
        elif self._pin_waiting is not None and self.counter.shop_open:
            pin, self._pin_waiting = self._pin_waiting, None
            self.sign_in_with(pin)

    def _filter(self, typed: str) -> None:
        needle = typed.strip().lower()
        options = self.query_one("#staff-list", OptionList)
        options.clear_options()
        matches = [p for p in self._staff or [] if needle in p.name.lower()]
        for person in matches:
            suffix = "  (lead)" if person.role == "lead" else ""
            options.add_option(Option(Text(one_line(person.name) + suffix), id=str(person.id)))
        if matches:
            options.highlighted = 0
        self._filtered_for = typed

    @on(Input.Changed, "#staff-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # The box's value now, not the event's: changes queued behind a burst are stale.
        typed = event.input.value
        if typed != self._filtered_for:
            self._filter(typed)

    def pick(self, typed: str) -> bool:
        """Enter in the name box: pick the highlighted match for `typed` and move to the PIN.
        Returns whether the next keys belong to the PIN box."""
        if self._staff is None:
            self._waiting = (typed, None)
            return True
        if typed != self._filtered_for:
            self._filter(typed)
        self._picked = self._chosen()
        if self._picked is None:
            self.notify("Nobody matches that name. Check the spelling or ask a shift lead.", markup=False)
            self.query_one("#pin", Input).value = ""
            name_box = self.query_one(StaffNameBox)
            name_box.handing_to_pin = False
            focus_now(name_box)
            return False
        focus_now(self.query_one("#pin", Input))
        return True

    async def begin_pin_from_list(self) -> None:
        """A digit typed in the staff list begins the PIN: it is for the name highlighted
        once the keys typed before it have landed (the name typed filters the list), and
        the PIN box gets the keys from now on."""
        await keys_landed(self)
        self._picked = self._chosen()
        focus_now(self.query_one("#pin", Input))

    def type_ahead_into_pin(self, event: events.Key) -> None:
        """A key typed after Enter in the name box or a digit in the list, before the PIN
        box had focus."""
        pin = self.query_one("#pin", Input)
        if event.key == "enter":
            typed, pin.value = pin.value, ""
            if self._waiting is not None:
                self._waiting = (self._waiting[0], typed)
            else:
                self.sign_in_with(typed)
        else:
            type_into(pin, event)

    @on(OptionList.OptionSelected, "#staff-list")
    def _picked_from_list(self) -> None:
        self._picked = self._chosen()
        focus_now(self.query_one("#pin", Input))

    @on(events.DescendantFocus)
    def _pin_box_focused(self, event: events.DescendantFocus) -> None:
        """The PIN box got the keys, by Enter, Tab or the mouse: the PIN is for the name
        highlighted now (Tab past the list picked nobody, and the PIN typed was refused)."""
        if event.widget.id == "pin" and self._staff is not None:
            self._picked = self._chosen()

    def _chosen(self) -> StaffSummary | None:
        options = self.query_one("#staff-list", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        return next((p for p in self._staff or [] if str(p.id) == option_id), None)

    @on(Input.Changed, "#pin")
    def _pin_changed(self, event: Input.Changed) -> None:
        """Check the PIN while it is typed (`staff.check_pin_ahead`), so that Enter does
        not wait for the slow check; nothing is said until Enter."""
        person = self._picked
        if person is not None and self.counter.shop_open and event.value:
            from counter_tui.services import floor_changes, staff

            self.call(staff.check_pin_ahead, self.ctx, person.id, event.value, quiet=True)
            if len(event.value) == 1:
                self.call(floor_changes.whole_board, self.ctx, then=self._read_ahead, quiet=True)

    def _read_ahead(self, board: tuple[int, list[FloorRow]]) -> None:
        self._board_ahead = board

    def take_board_ahead(self) -> tuple[int, list[FloorRow]] | None:
        """The floor board read as the PIN was typed (with its mark), once: the floor
        shows it at once and catches up from its mark."""
        board, self._board_ahead = self._board_ahead, None
        return board

    @on(Input.Submitted, "#pin")
    def _pin_submitted(self, event: Input.Submitted) -> None:
        pin = event.value
        event.input.value = ""
        self.sign_in_with(pin)

    def sign_in_with(self, pin: str) -> None:
        """Check `pin` for the person picked."""
        person = self._picked
        if person is None:
            self.notify("Pick your name first.", markup=False)
            focus_now(self.query_one("#staff-filter", Input))
            return
        if not pin:
            self.notify("Type your PIN, then Enter.", markup=False)
            return
        if not self.counter.shop_open:
            self._pin_waiting = pin
            return
        from counter_tui.services import staff

        self.call(staff.sign_in, self.ctx, person.id, pin, then=self.counter.signed_in)

    def action_next_person(self) -> None:
        """Move down the staff list while typing."""
        self.query_one("#staff-list", OptionList).action_cursor_down()

    def action_previous_person(self) -> None:
        """Move up the staff list while typing."""
        self.query_one("#staff-list", OptionList).action_cursor_up()

    def action_clear(self) -> None:
        """Start again with an empty name and PIN."""
        self._picked = None
        self._waiting = None
        self._pin_waiting = None
        self.query_one("#pin", Input).value = ""
        name = self.query_one("#staff-filter", Input)
        name.value = ""
        focus_now(name)
