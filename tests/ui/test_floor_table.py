"""The floor board's flags and badges take their looks from the table's component classes
as app.tcss styles them (issue 14), worked out again when the theme changes, not on every
focus change."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.color import Color
from textual.widgets import Input

import counter_tui.ui.app
from counter_tui.themes import HIGH_CONTRAST, high_contrast_theme
from counter_tui.ui.widgets.floor_cells import COLUMNS
from counter_tui.ui.widgets.floor_table import FloorTable


class BoardApp(App[None]):
    CSS_PATH = Path(counter_tui.ui.app.__file__).with_name("app.tcss")

    def compose(self) -> ComposeResult:
        yield FloorTable(COLUMNS)
        yield Input()

    def on_mount(self) -> None:
        self.register_theme(high_contrast_theme())


def theme_colour(app: App[None], variable: str) -> str:
    return Color.parse(app.theme_variables[variable]).hex.lower()


async def test_the_looks_follow_the_stylesheet_and_the_theme() -> None:
    app = BoardApp()
    async with app.run_test() as pilot:
        table = app.query_one(FloorTable)
        looks = table.looks()
        alarm = looks["flag-alarm"]
        assert alarm.bold and alarm.bgcolor is not None
        assert alarm.bgcolor.triplet is not None and alarm.bgcolor.triplet.hex == theme_colour(app, "error")
        assert looks["flag-warning"].bgcolor is None, "a flag without a background shows the row's stripe"
        assert looks["badge-other"].reverse

        app.query_one(Input).focus()
        await pilot.pause()
        table.focus()
        await pilot.pause()
        assert table.looks() is looks, "a focus change leaves the looks as they were"

        app.theme = HIGH_CONTRAST
        await pilot.pause()
        changed = table.looks()
        assert changed is not looks
        assert changed["flag-alarm"].bgcolor is not None and changed["flag-alarm"].bgcolor.triplet is not None
        assert changed["flag-alarm"].bgcolor.triplet.hex == theme_colour(app, "error")
