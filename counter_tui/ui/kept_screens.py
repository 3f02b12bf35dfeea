"""Each person's open screens, kept for them while someone else uses the terminal.

A lock puts the sign-in screen over what its person has open, a half-typed dialog
included. When someone else signs in there, those screens are set aside, still under
their lock screen, in a screen stack of their own (a Textual mode), and the newcomer
works in a fresh one. The first person signing in again gets theirs back as they left
them, told that anything may have changed meanwhile, so each screen reads again. Nobody
sees another's screens: only the current stack is ever shown, and screens set aside
start no reads (`ShopAccess.signed_in` is false for them). Typing is never thrown away
because someone else came to the terminal; closing the app closes what is kept too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.screen import Screen

from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.messages import DataChanged

if TYPE_CHECKING:
    from textual.widget import Widget

    from counter_tui.services.context import Actor

KEPT_ABOVE = 3
"""A stack holds work worth keeping when it has more than the screen under all others,
the floor board and the lock screen."""


@dataclass(frozen=True)
class Kept:
    """One person's screens, set aside under their lock screen in a mode of their own."""

    name: str
    mode: str
    screens: tuple[Screen[Any], ...]


class UnderEveryScreen(Guarded, Screen[None]):
    """The screen at the bottom of every stack: always under sign-in or the floor board,
    never shown."""

    def _extend_compose(self, widgets: list[Widget]) -> None:
        """None of Textual's own widgets (a toast rack and a tooltip, ~2 ms of the first
        frame): this screen is never on top to show them."""


class KeptScreens(App[None]):
    """Mix into the staff app: `set_aside`, `take_back` and `is_open`."""

    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {App.DEFAULT_MODE: UnderEveryScreen}
    """The first stack's base screen too (named, so that a person can be switched back
    to that stack: Textual switches only to modes it was given)."""

    def __init__(self) -> None:
        super().__init__()
        self._kept: dict[int, Kept] = {}
        """Whose screens wait (by staff id), in which mode, and which screens they are."""
        self._mode_numbers = count(1)

    def kept_for(self) -> tuple[str, ...]:
        """The names of the people whose screens wait on this terminal."""
        return tuple(kept.name for kept in self._kept.values())

    def is_open(self, screen: Screen[Any]) -> bool:
        """Whether `screen` is still open: on show, or kept for its person."""
        return screen in self.screen_stack or any(screen in kept.screens for kept in self._kept.values())

    def set_aside(self, locked_for: Actor | None) -> bool:
        """Before someone other than `locked_for` starts work: keep the screens of
        `locked_for` (under their lock screen) and switch to a fresh stack holding only
        the base screen. False, and nothing moved, when there is nothing worth keeping."""
        if not self._keep_current(locked_for):
            return False
        name = f"work-{next(self._mode_numbers)}"
        self.add_mode(name, UnderEveryScreen)
        self.switch_mode(name)
        return True

    def take_back(self, actor: Actor, locked_for: Actor | None) -> bool:
        """`actor` signs in: bring back the screens kept for them (their lock screen
        taken off), keeping those of `locked_for` in turn or closing the current ones, and
        tell every screen to read again. False when nothing was kept for them."""
        from counter_tui.ui.screens.base import CounterScreen

        kept = self._kept.pop(actor.staff_id, None) if actor.staff_id is not None else None
        if kept is None:
            return False
        leaving = self.current_mode
        keeping = self._keep_current(locked_for)
        while not keeping and len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_mode(kept.mode)
        if not keeping:
            self.remove_mode(leaving)
        self.pop_screen()
        everything = DataChanged((), resumed=True)
        for covered in kept.screens[:-2]:
            if isinstance(covered, CounterScreen):
                covered.note_while_covered(everything)
        kept.screens[-2].post_message(everything)
        return True

    def _keep_current(self, locked_for: Actor | None) -> bool:
        """Keep the current stack for `locked_for` if it holds work worth keeping."""
        if locked_for is None or locked_for.staff_id is None or len(self.screen_stack) <= KEPT_ABOVE:
            return False
        self._kept[locked_for.staff_id] = Kept(locked_for.name, self.current_mode, tuple(self.screen_stack))
        return True
