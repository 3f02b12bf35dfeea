"""Helpers for driving the staff app with Pilot: settle workers, sign in, read the screen."""

from __future__ import annotations

from typing import Any, TypeVar

from rich.text import Text
from textual import events
from textual.content import Content
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static

from counter_tui.services import staff
from counter_tui.services.context import ShopContext
from counter_tui.ui.app import CounterApp
from counter_tui.ui.dialogs.walk_in import NewWalkInDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.followups import FollowUpsScreen
from counter_tui.ui.screens.sign_in import SignInScreen

SIZE = (120, 40)
ShownScreen = TypeVar("ShownScreen", bound=Screen[Any])


class StaffApp(CounterApp):
    """The staff app without the background change feed, keeping every message it showed."""

    def __init__(self, ctx: ShopContext, *, demo_pins: dict[str, str] | None = None) -> None:
        super().__init__(ctx, demo_pins=demo_pins, live=False)
        self.messages: list[str] = []

    def notify(self, message: str, **options: Any) -> None:
        """Show the notification, and remember its text for assertions."""
        self.messages.append(message)
        super().notify(message, **options)


async def settle(pilot: Pilot[None]) -> None:
    """Let every service call finish and its result reach the screen (or, once the app
    has closed, let it finish closing: its workers were cancelled as it closed)."""
    await pilot.pause()
    for _ in range(2):
        if not pilot.app.is_running:
            return
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_record(pilot: Pilot[None], customer_id: int) -> CustomerScreen:
    """Open a customer's record, as from the find screen, and wait for it to load."""
    screen = CustomerScreen(customer_id=customer_id)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type `text` into the focused widget, one key per character."""
    keys = ["space" if char == " " else char for char in text]
    await pilot.press(*keys)


BURST_KEYS = {"\n": "enter", "\x1b": "escape", "\x7f": "backspace"}
"""Characters `burst` sends as the keys that type no character."""


async def burst(pilot: Pilot[None], text: str) -> None:
    """Send `text` as one burst of keys (`\n` is Enter, `\x1b` Esc, `\x7f` Backspace), all
    queued before the app handles the first, as from a fast typist or a paste without
    bracketed paste mode; then settle."""
    for char in text:
        key = BURST_KEYS.get(char) or _character_to_key(char)
        pilot.app.post_message(events.Key(key, None if char in BURST_KEYS else char))
    await settle(pilot)


async def sign_in(pilot: Pilot[None], name: str, pin: str) -> None:
    """Pick `name` on the sign-in screen, type `pin`, and wait for the floor board."""
    await settle(pilot)
    await type_text(pilot, name)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await settle(pilot)


async def quick_sign_in(pilot: Pilot[None], name: str, pin: str) -> None:
    """Sign in as the first person whose name holds `name`, as `sign_in` picks them, through
    what the sign-in screen calls on Enter (`staff.sign_in`, then the app's `signed_in`), but
    without typing: for tests that are not about signing in, which need not pay for
    handling and repainting every key of a name and a PIN. Then wait for the floor board."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, CounterApp) and isinstance(app.screen, SignInScreen), app.screen
    needle = name.strip().lower()
    person = next(p for p in staff.list_staff(app.ctx) if needle in p.name.lower())
    actor = staff.sign_in(app.ctx, person.id, pin)
    app.call_later(app.signed_in, actor)  # in the app's own loop, as the screen's callback is
    await settle(pilot)


async def sam_presses(pilot: Pilot[None], key: str, opens: type[ShownScreen]) -> ShownScreen:
    """Sign in as Sam (`quick_sign_in`) and press `key` on the floor board: the screen or
    dialog it opens, checked to be an `opens`."""
    await quick_sign_in(pilot, "sam", "2222")
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, opens), screen
    return screen


async def open_walk_in(pilot: Pilot[None]) -> NewWalkInDialog:
    """Sign in as Sam and press n: the new walk-in dialog."""
    return await sam_presses(pilot, "n", NewWalkInDialog)


async def open_followups(pilot: Pilot[None]) -> FollowUpsScreen:
    """Sign in as Sam and press f: Sam's follow-ups."""
    return await sam_presses(pilot, "f", FollowUpsScreen)


def plain(value: object) -> str:
    """The characters of a rendered value (Content or rich Text), without styles."""
    if isinstance(value, Content | Text):
        return value.plain
    return str(value)


def table_rows(table: DataTable[Text]) -> list[list[str]]:
    """Every row of a table as plain strings."""
    return [[plain(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def option_labels(options: OptionList) -> list[str]:
    """Every option of a list (a ChoiceList too) as plain strings, glyphs included."""
    return [plain(options.get_option_at_index(index).prompt) for index in range(options.option_count)]


def screen_text(screen: Screen[object]) -> str:
    """Everything the screen's Static/Label widgets and tables show, one line each."""
    lines: list[str] = []
    for static in screen.query(Static):
        if static.display:
            lines.append(plain(static.visual))
    for table in screen.query(DataTable):
        lines.extend(" | ".join(row) for row in table_rows(table))
    return "\n".join(lines)
