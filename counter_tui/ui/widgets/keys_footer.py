"""The footer of every staff screen: the app's Sign out and Keys pinned at its right edge,
the screen's keys filling the rest. Textual's footer lays keys out in one row and cuts
whatever passes the right edge, so at 80×24 a screen with many keys pushed Sign out and
Keys (the way to every other key) off the screen; shortening labels only moved the cut.
The screen's keys come in its order of importance, so those that do not fit whole before
Sign out and Keys are left off (the Keys panel lists them) rather than cut mid-word.

Textual's footer also lays its keys out again on every update of the screen's bindings (each
cursor move, each change of focus), mounting and styling a dozen keys each time, most of what
a cursor move on the floor board cost; `SteadyFooter`, which this one and every dialog's
footer are, does so only when the keys it would show changed."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, KeyGroup

from counter_tui.ui.guarded_app import Guarded, forget_closed_watchers

PINNED_IDS = frozenset({"app.sign_out", "app.help"})
"""The app's keys a person must always find: to leave, and to see every other key."""


class SteadyFooter(Guarded, Footer):
    """Textual's footer, laid out again only when the keys it would show changed (not on
    every focus change or cursor move that offers the same keys). Dialogs use it as it
    is; `KeysFooter` builds on it."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: tuple[object, ...] | None = None
        """What the last layout showed (`_shows`), to skip a layout that would show the same."""

    def _shows(self) -> tuple[object, ...]:
        """Everything the keys shown depend on: the width, and each shown binding's key,
        label, action, group, whether it is enabled, and its tooltip (and the palette's)."""
        display = self.app.get_key_display
        shown = tuple(
            (display(binding), binding.description, binding.action, binding.group, on, tooltip)
            for (_, binding, on, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )
        return (self.app.size.width, self.show_command_palette, shown)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Lay the keys out again, unless they would be the same as now."""
        same_screen = self.is_attached and screen is self.screen
        if self._bindings_ready and same_screen and self._shows() == self._shown:
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        """Textual's keys, noting what they show, each already in the footer's style. The
        keys of the last layout are removed by now: let go of them (Textual's footer binds
        each key to its `compact`, and would keep them all while the screen is open).

        Textual's keys mount plain, and their `compact` watcher then adds the class and
        styles each again: as much styling as every other widget mounting, on each change
        of screen. Given the class before they mount, the watcher has nothing to change."""
        forget_closed_watchers(self)
        self._shown = self._shows() if self._bindings_ready else None
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_class(self.compact, "-compact", update=False)
            yield widget


class KeysFooter(SteadyFooter):
    """A compact footer whose Sign out and Keys are docked right, never cut."""

    DEFAULT_CSS = """
    KeysFooter KeyGroup.-pinned {
        dock: right;
        padding-left: 1;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._laid_out_for = 0

    def compose(self) -> ComposeResult:
        """Textual's keys in the screen's order, less the pinned ones and those that would
        not fit whole beside them, then the pinned ones in a group docked at the right edge."""
        pinned_actions = {
            active.binding.action
            for active in self.screen.active_bindings.values()
            if active.node is self.app and active.binding.id in PINNED_IDS
        }
        pinned: list[FooterKey] = []
        flowing: list[Widget] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action in pinned_actions:
                pinned.append(widget)
            else:
                flowing.append(widget)
        self._laid_out_for = self.app.size.width
        room = self._laid_out_for - (1 + sum(key_width(key) for key in pinned) if pinned else 0)
        for widget in flowing:
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                room -= key_width(widget)
                if room < 0:
                    continue
            yield widget
        if pinned:
            with KeyGroup(classes="-pinned"):
                yield from pinned

    def on_resize(self) -> None:
        """Choose again which keys fit when the terminal's width changes."""
        if self.app.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)


def key_width(key: FooterKey) -> int:
    """The columns a compact footer key takes: its key, a space and its description, then
    the space after it."""
    description = f" {key.description}" if key.description else ""
    return cell_len(key.key_display + description) + 1
