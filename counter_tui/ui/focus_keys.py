"""Tab and Shift+Tab as priority keys of the staff app and the kiosk, so they move the
focus before any key typed after them is handed to a field.

Textual hands each key to the focused field's own queue; a Tab the field does not use
comes back up to the screen later. Keys typed in one burst after it (a fast typist, a
scanner, a paste without bracketed paste) were by then already in the old field's
queue, so "Bob⇥07700" put "Bob07700" in the name. A priority binding is decided as the
key arrives, before the next one is handed on.

The opposite holds for a priority key that reads the fields (a dialog's Enter): the keys
typed just before it may still wait in a field's queue. Such an action first awaits
`keys_landed(screen)`, so what it reads holds every key typed before it. A field's own
editing keys (Backspace, Delete, arrows) are bindings, which Textual resolves only once
the key has gone up to the app, after the priority key: our fields resolve them as they
reach the field (`OwnKeysInOrder`), so that they have landed too ("Ann⌫⏎" reads "An",
"Space Enter" on a choice list chooses). Every text field of ours is a `KeysInOrder`,
every option list a `ListInOrder` (or the `ChoiceList` built on it); a guard test
(tests/unit/test_keys_in_order_guard.py) refuses a plain Input, OptionList or TextArea
under counter_tui/ui.

A priority key that moves on to another screen (the kiosk's steps) awaits the move
(`await app.push_screen(...)`, which returns once the screen is mounted with its first
field focused): the app hands on no key meanwhile, so the keys typed after it go to the
new screen's field, not to a screen still without focus (lost) nor to the old field.

A handler that moves the focus in answer to a key (Enter refused beside another field, a
choice made, `/` opening a filter) moves it with `focus_now`: `Widget.focus()` waits its
turn behind the keys already typed, which then land in the field being left ("⏎Rita" after
a refused Enter ended the email instead of filling the name it asked for). A guard test
refuses `.focus()` under counter_tui/ui outside `on_mount`, where nothing is typed yet.

A key for an action that needs the record a screen reads in a worker (the customer
screen's e, x, …), typed in the burst that opened the screen, waits for that record
(`CounterScreen.RECORD_ACTIONS`): the action awaits the read, so the app hands on no key
meanwhile, then runs and awaits the dialog it opened (`screen_ready`), so the keys typed
after it reach that dialog's field.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual import events
from textual._context import active_message_pump
from textual.binding import Binding, BindingType
from textual.widget import AwaitMount
from textual.widgets import Input, OptionList

from counter_tui.ui.guarded_app import Guarded

if TYPE_CHECKING:
    from textual.message_pump import MessagePump
    from textual.screen import Screen
    from textual.widget import Widget

FOCUS_KEYS: list[BindingType] = [
    Binding(
        "tab",
        "focus_next",
        "Next field",
        show=False,
        priority=True,
        id="app.focus_next",
        tooltip="Move to the next field or list.",
    ),
    Binding(
        "shift+tab",
        "focus_previous",
        "Previous field",
        show=False,
        priority=True,
        id="app.focus_previous",
        tooltip="Move back to the previous field or list.",
    ),
]


if TYPE_CHECKING:
    _FieldBase = Widget
else:
    _FieldBase = object  # not a DOMNode: Textual takes CSS and component classes from the first one


class OwnKeysInOrder(_FieldBase):
    """Mix into a field (before the Textual class): it resolves its own bound keys
    (Backspace, Delete, arrows, Home, End; Space and arrows in a list) as they reach it,
    among the characters typed, instead of passing them up to the app, where they wait
    behind a priority key that reads this field (`keys_landed`). The app's keymap applies
    as it does there; a key the field does not bind goes on as before."""

    async def _on_key(self, event: events.Key) -> None:
        if await self._run_own_binding(event.key):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    async def _run_own_binding(self, key: str) -> bool:
        bindings, keymap = self._bindings, self.app._keymap
        if keymap:  # a copy with the keymap applied; without one, the field's own map as it is
            bindings = bindings.copy()
            bindings.apply_keymap(keymap)
        for binding in bindings.key_to_bindings.get(key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                return True
        return False


class KeysInOrder(Guarded, OwnKeysInOrder, Input):
    """The text field of the staff app and the kiosk: an Input whose editing keys land in
    the order typed, before a priority Enter typed after them reads it."""


class ListInOrder(Guarded, OwnKeysInOrder, OptionList):
    """The option list of the staff app and the kiosk: arrows (and Space in a
    `ChoiceList`) land in the order typed, before a priority Enter typed after them reads
    what is highlighted."""


class HandsKeysToPin:
    """A field of a sign-in or lead PIN dialog that, once a PIN has begun from it (a digit
    typed, or Enter on the name), hands the keys after it to the PIN box until it has focus
    again: typed fast, they were on their way to it already, Enter included."""

    handing_to_pin = False

    def on_focus(self) -> None:
        """Focus back here: keys are this field's again."""
        self.handing_to_pin = False


def type_into(box: Input, event: events.Key) -> None:
    """Type one key handed on (a character, or Backspace) into `box`, where it would have
    gone had `box` had focus."""
    if event.key == "backspace":
        box.action_delete_left()
    elif event.is_printable and event.character is not None:
        box.insert_text_at_cursor(event.character)


def focus_now(widget: Widget) -> None:
    """Give `widget` the keys at once: the keys typed after the one being handled go to it."""
    widget.screen.set_focus(widget)


async def keys_landed(screen: Screen[Any]) -> None:
    """Wait until every field of `screen` has handled the keys already handed to it, then
    the focused field's containers and the screen (a key a field does not use, and what
    typing says, such as Input.Changed, go up to them while the field handles it)."""
    fields = [widget for widget in screen.query("*") if widget.can_focus]
    await asyncio.gather(*(_queue_handled(field) for field in fields))
    focused = screen.focused
    containers = focused.ancestors_with_self[1:] if focused is not None else [screen]
    for container in containers:
        await _queue_handled(container)
        if container is screen:
            break


async def _queue_handled(pump: MessagePump) -> None:
    """Wait until `pump` has handled the messages already in its queue (`call_later` runs
    after them). Not for the pump running this code, whose queue waits for it; nor past
    the pump's closing, after which its queue is never handled."""
    if pump is active_message_pump.get(None) or not pump.is_running:
        return
    handled: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def mark() -> None:
        if not handled.done():
            handled.set_result(None)

    if pump.call_later(mark):
        await asyncio.wait([handled, pump.task], return_when=asyncio.FIRST_COMPLETED)


async def screen_ready(screen: Screen[Any]) -> None:
    """Wait until `screen`, just pushed without awaiting it (a dialog opened by `ask`), is
    mounted and has handled what it was sent (its ScreenResume, which focuses its first
    field): for an action that holds the keys typed after it (waiting for a record), so
    that they go to that field once handed on, not to a screen still without focus."""
    await AwaitMount(screen, [screen])
    await _queue_handled(screen)
