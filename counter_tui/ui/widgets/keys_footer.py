"""The footer of every staff screen and dialog: one line listing the keys the screen offers,
drawn by one widget. On a staff screen the app's Sign out and Keys are pinned at its right
edge and the screen's keys fill the rest.

Textual's footer mounts a widget for every key and mounts them all again whenever the keys
change: each change of screen, each dialog, signing in. Mounting and styling a dozen keys
was a quarter of the CPU of going from screen to screen (and of the test suite), for one
line of text. This footer draws the line itself, in the same colours and places, and only
redraws when the keys it would show change (not on every focus change or cursor move that
offers the same keys). A click on a key presses it, as on Textual's footer.

Textual's footer also lays keys out in one row and cuts whatever passes the right edge, so
at 80×24 a screen with many keys pushed Sign out and Keys (the way to every other key) off
the screen; shortening labels only moved the cut. The screen's keys come in its order of
importance, so those that do not fit whole before Sign out and Keys are left off (the Keys
panel lists them) rather than cut mid-word."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.safe_text import plain

PINNED_IDS = frozenset({"app.sign_out", "app.help"})
"""The app's keys a person must always find: to leave, and to see every other key."""


class ShownKey(NamedTuple):
    """One key as the footer shows it."""

    key: str
    """The key pressed (Textual's name: "enter", "ctrl+l")."""
    display: str
    """How the key is written ("⏎", "^l")."""
    description: str
    action: str
    enabled: bool
    """False when the screen offers the key but it does nothing now: drawn dimmed."""
    tooltip: str
    pinned: bool
    """Drawn at the right edge whatever else fits (`PINNED_IDS`)."""

    @property
    def width(self) -> int:
        """The columns it takes: its key, a space and its description."""
        return cell_len(f"{self.display} {self.description}" if self.description else self.display)


class PlacedKey(NamedTuple):
    """A key and the column it starts at."""

    key: ShownKey
    x: int


class SteadyFooter(Guarded, Widget, can_focus=False):
    """The keys of the screen in one line, one column apart, in the screen's order (a
    dialog's footer). Redrawn only when the keys offered change."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--hover"}
    DEFAULT_CSS = """
    SteadyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """
    """The keys' own colours are in app.tcss, beside every other component class's."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[ShownKey, ...] = ()
        """Every key the screen offers, in its order (`placed` says which are drawn)."""
        self._hovered: ShownKey | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Redraw when the keys offered changed. Ignored while the terminal's window is
        not focused, as Textual's footer does: the keys of the focused field come back
        with the focus."""
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        keys = self.offered(screen)
        if keys != self.keys:
            self.keys = keys
            self.refresh()

    def offered(self, screen: Screen[object]) -> tuple[ShownKey, ...]:
        """The keys `screen` shows now: the first binding of each action (Textual splits
        "f1,question_mark" into two), in the screen's order."""
        keys: dict[str, ShownKey] = {}
        display = self.app.get_key_display
        for node, binding, enabled, tooltip in screen.active_bindings.values():
            if binding.show and binding.action not in keys:
                pinned = node is self.app and binding.id in PINNED_IDS
                keys[binding.action] = ShownKey(
                    binding.key,
                    display(binding),
                    binding.description,
                    binding.action,
                    enabled,
                    tooltip,
                    pinned,
                )
        return tuple(keys.values())

    def placed(self) -> list[PlacedKey]:
        """The keys drawn and where: all of them, one column apart (past the right edge
        they are cut, as Textual's footer does)."""
        return in_a_row(self.keys, 0)

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="crop", end="")
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        hover = Style(bgcolor=self.get_component_rich_style("footer-key--hover").bgcolor)
        x = 0
        for key, start in self.placed():
            extra = Style.null()
            if not key.enabled:
                extra += Style(dim=True)
            if key == self._hovered:
                extra += hover
            line.append_text(plain(" " * (start - x)))
            line.append_text(plain(key.display, key_style + extra))
            if key.description:
                line.append_text(plain(f" {key.description}", description_style + extra))
            x = start + key.width
        return line

    def key_at(self, x: int) -> ShownKey | None:
        """The key drawn at column `x`, if any."""
        return next((key for key, start in self.placed() if start <= x < start + key.width), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Press the key clicked, or ring the bell when it does nothing now."""
        key = self.key_at(event.x)
        if key is not None and key.enabled:
            self.app.simulate_key(key.key)
        elif key is not None:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self.key_at(event.x))

    def on_leave(self) -> None:
        self._hover(None)

    def _hover(self, key: ShownKey | None) -> None:
        """Highlight the key under the mouse and give its tooltip."""
        if key != self._hovered:
            self._hovered = key
            self.tooltip = key.tooltip if key is not None and key.tooltip else None
            self.refresh()


class KeysFooter(SteadyFooter):
    """A staff screen's footer: Sign out and Keys at the right edge, never cut, and the
    screen's keys before them, as many as fit whole."""

    def placed(self) -> list[PlacedKey]:
        """Pinned keys at the right edge; the screen's keys from the left while each fits
        whole before them (one column between each, and before the pinned ones). The keys
        come in the screen's order of importance, so the first that does not fit ends the
        row: a later, shorter one is not drawn in its place."""
        pinned = [key for key in self.keys if key.pinned]
        pinned_x = self.size.width - sum(key.width + 1 for key in pinned)
        room = pinned_x - 1 if pinned else self.size.width
        fitting = []
        for key in self.keys:
            if key.pinned:
                continue
            room -= key.width + 1
            if room < 0:
                break
            fitting.append(key)
        return in_a_row(fitting, 0) + in_a_row(pinned, pinned_x)


def in_a_row(keys: Iterable[ShownKey], x: int) -> list[PlacedKey]:
    """`keys` one column apart, the first at column `x`."""
    placed = []
    for key in keys:
        placed.append(PlacedKey(key, x))
        x += key.width + 1
    return placed
