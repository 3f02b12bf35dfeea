"""The shop's settings, for shift leads: every shop-wide rule (hours, holidays, time zone,
thresholds, targets, kiosk choices) and its value; Enter changes the highlighted one.

Keyboard only. The screen asks and shows; the checks, the permission, the audit and the
follow-ups moved by a change of hours are in `services/shop_settings.py`. A change
reaches every terminal through the change feed, and this screen reloads when another
terminal changes a setting.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from counter_tui.sentences import join_sentences
from counter_tui.services import shop_settings
from counter_tui.services.due_moves import moved_said
from counter_tui.services.shop_settings import SettingsChanged, SettingView
from counter_tui.shop_rules import describe
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.setting import SettingDialog
from counter_tui.ui.safe_text import line, plain
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.shop_access import done
from counter_tui.ui.widgets.keys_footer import KeysFooter

KEY_WIDTH = 38
VALUE_WIDTH = 36
"""Fixed widths, so 80 columns show both whole; a longer value shows whole in its dialog."""
SUMMARY = "The same on every terminal. Enter changes the highlighted setting."


class ShopSettingsScreen(CounterScreen):
    """Every shop-wide setting with its value, as it would be typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="shop_settings.back", tooltip="Back to the floor board."),
        Binding(
            "e",
            "change",
            "Change",
            id="shop_settings.change",
            tooltip="Change the highlighted setting (Enter does too).",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.settings: list[SettingView] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(SUMMARY), id="shop-settings-summary")
        table: DataTable[Text] = DataTable(id="shop-settings-table", cursor_type="row", zebra_stripes=True)
        table.add_column(plain("Setting"), key="key", width=KEY_WIDTH)
        table.add_column(plain("Value"), key="value", width=VALUE_WIDTH)
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        """Load the settings."""
        self.sub_title = "Shop settings"
        self.query_one(DataTable).focus()
        self.reload()

    def reload(self) -> None:
        """Read every setting as the database holds it now."""
        self.load("shop_settings", shop_settings.listing, self.ctx, then=self.show)

    def show(self, settings: list[SettingView]) -> None:
        """Redraw the table, keeping the cursor where it was."""
        table: DataTable[Text] = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.settings = settings
        repaired = [setting.key for setting in settings if setting.repaired]
        summary = SUMMARY
        if repaired:
            summary += (
                f" Out of range in the database, so the nearest allowed value is used until "
                f"you set it: {', '.join(repaired)}."
            )
        self.query_one("#shop-settings-summary", Static).update(plain(summary))
        for setting in settings:
            table.add_row(line(setting.key), line(setting.text, VALUE_WIDTH), key=setting.key)
        if settings:
            table.move_cursor(row=min(max(row, 0), len(settings) - 1))

    def on_data_table_row_selected(self, _message: DataTable.RowSelected) -> None:
        """Enter on a setting changes it."""
        self.action_change()

    def action_change(self) -> None:
        """Ask for the highlighted setting's new value, starting from the current one."""
        table: DataTable[Text] = self.query_one(DataTable)
        if not self.settings or table.row_count == 0:
            return
        setting = self.settings[table.cursor_row]
        key = setting.key
        ask(
            self,
            SettingDialog(key, describe(key), setting.text),
            lambda actor, typed: shop_settings.change(self.ctx, actor, {key: typed}),
            then=lambda changed: self._changed(key, changed),
        )

    def _changed(self, key: str, changed: SettingsChanged) -> None:
        """Say the change is made, and how many open follow-ups it moved off times the
        shop is now shut (their owners hear it on their own terminals)."""
        done(self, join_sentences(f"{key} changed, for every terminal", moved_said(changed.followups_moved)))

    def action_back(self) -> None:
        """Back to the floor board."""
        self.dismiss()
