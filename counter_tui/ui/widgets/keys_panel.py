"""The Keys panel (F1 or ?): the app's one list of every key the screen on show offers,
those its footer shows and those it has no room for (the customer screen's t, s, k, u).

Textual's key panel gives each key its description and tooltip wrapped in a third of the
terminal, and cannot be scrolled by keys (it never takes the focus, so the screen's keys
keep working while it is open). At 80×24 that was six keys of a customer screen's twenty:
status updates, preferences, contact choices and edit details were found by nobody. This
panel lays the same list out to fit the room it has, the first of these that fits:

- each key with its description and tooltip, wrapped (Textual's look, on a tall screen);
- one line a key, the tooltip cut to the line;
- one line a key without the tooltip, in as many columns as it takes.

The screen's own keys come first, then the app's, then the focused field's (moving,
scrolling, editing), as `own_keys_first` orders them; a key the screen offers but that
does nothing now is dimmed, as in the footer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import HelpPanel

from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.safe_text import join, plain

GROUPS = ("This screen", "Everywhere", "Here")
"""The headings of the screen's own keys, the app's, and the focused field's."""
COLUMN_GAP = 2


@dataclass(frozen=True)
class ListedKey:
    """One action's keys as the panel lists them."""

    keys: str
    """How they are written, "f1 ?" for an action on two keys."""
    description: str
    tooltip: str
    enabled: bool
    group: int
    """Index into `GROUPS`."""

    def short(self) -> Text:
        """`keys description`, on one line."""
        return self._styled(plain(f"{self.keys} {self.description}".strip()))

    def _styled(self, text: Text) -> Text:
        text.stylize("bold", 0, len(self.keys))
        if not self.enabled:
            text.stylize("dim")
        return text


def listed_keys(screen: Screen[object]) -> list[ListedKey]:
    """The keys `screen` offers now, one entry an action, in its order: its own, the
    app's, the focused widget's (Textual's system keys left out, as its panel does)."""
    found: dict[tuple[int, str], list[str]] = {}
    firsts: dict[tuple[int, str], ListedKey] = {}
    display = screen.app.get_key_display
    for node, binding, enabled, tooltip in screen.active_bindings.values():
        if binding.system:
            continue
        group = 2 if binding.id is None else 0 if node is screen else 1 if node is screen.app else 2
        where = (group, f"{id(node)}:{binding.action}")
        shown = display(binding)
        if where in firsts:
            if shown not in found[where]:
                found[where].append(shown)
            continue
        found[where] = [shown]
        firsts[where] = ListedKey("", binding.description, tooltip or binding.tooltip, enabled, group)
    listed = [
        ListedKey(" ".join(found[where]), key.description, key.tooltip, key.enabled, key.group)
        for where, key in firsts.items()
    ]
    return sorted(listed, key=lambda key: key.group)  # stable: each group in the screen's order


def by_group(keys: list[ListedKey]) -> Iterator[tuple[str, list[ListedKey]]]:
    """The keys under their group's heading, groups in order, empty ones left out."""
    for index, heading in enumerate(GROUPS):
        members = [key for key in keys if key.group == index]
        if members:
            yield heading, members


class KeyList(Guarded, Widget):
    """The list itself, drawn to fit its size; drawn again when the screen's keys change."""

    DEFAULT_CSS = """
    KeyList { width: 1fr; height: 1fr; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys_changed(self, screen: Screen[object]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        width, height = self.size
        keys = listed_keys(self.screen)
        if not keys or width <= 0 or height <= 0:
            return Text()
        for lines in (self._wrapped(keys, width), self._one_line_each(keys, width)):
            if len(lines) <= height:
                return join(lines, "\n")
        return join(self._columns(keys, width, height), "\n")

    def _wrapped(self, keys: list[ListedKey], width: int) -> list[Text]:
        """Each key's description and dim tooltip wrapped beside it, keys right-aligned in
        a column; a group's heading above its keys."""
        key_width = max(cell_len(key.keys) for key in keys)
        room = width - key_width - 1
        if room < 10:
            return [Text()] * 10_000  # too narrow to wrap: never chosen
        lines: list[Text] = []
        for heading, members in by_group(keys):
            lines.append(plain(heading, style="bold underline"))
            for key in members:
                words = plain(key.description)
                if key.tooltip:
                    words.append_text(plain(f" {key.tooltip}", style="dim"))
                if not key.enabled:
                    words.stylize("dim")
                wrapped = words.wrap(self.app.console, room)
                for index, part in enumerate(wrapped):
                    part.rstrip()
                    shown = key.keys if index == 0 else ""
                    lines.append(join([plain(shown.rjust(key_width), style="bold"), plain(" "), part]))
        return lines

    def _one_line_each(self, keys: list[ListedKey], width: int) -> list[Text]:
        """Each key on one line: its keys, description and as much of its tooltip as fits."""
        lines: list[Text] = []
        for heading, members in by_group(keys):
            lines.append(plain(heading, style="bold underline"))
            for key in members:
                text = key.short()
                if key.tooltip and width - text.cell_len > 12:
                    text.append_text(plain(f"  {key.tooltip}", style="dim"))
                text.truncate(width, overflow="ellipsis")
                lines.append(text)
        return lines

    def _columns(self, keys: list[ListedKey], width: int, height: int) -> list[Text]:
        """Every key on one line with its description only, down one column and on into
        the next, as many columns as the keys need (each cut with "…" if it must be)."""
        count = ceil(len(keys) / height)
        column_width = max(1, (width - COLUMN_GAP * (count - 1)) // count)
        per_column = ceil(len(keys) / count)
        cells = [key.short() for key in keys]
        for cell in cells:
            cell.truncate(column_width, overflow="ellipsis", pad=True)
        rows: list[Text] = []
        for row in range(per_column):
            parts = [cells[at] for at in range(row, len(cells), per_column)]
            rows.append(join(parts, " " * COLUMN_GAP))
        return rows


class KeysPanel(Guarded, HelpPanel):
    """The panel F1 and ? open beside the screen: `KeyList` in Textual's help panel frame
    (a `HelpPanel`, so everything that looks for the key panel finds it)."""

    def compose(self) -> ComposeResult:
        yield KeyList()

    def update_help(self, focused_widget: Widget | None) -> None:
        """No widget help: this app's widgets have none, and its room is the keys'."""
