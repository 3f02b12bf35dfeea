"""Running the staff app: its first frame before anything heavy is imported.

`counter-tui [--db URL] [--config FILE]` is read here without Typer (`plain_start`), and
the app is started with a `ShopOpening`: the settings, the database, the schema check and
the "is there anyone to sign in?" check run off the UI thread once the sign-in screen is
on the terminal (see `CounterApp`). What goes wrong there ends the app and is said as
one red line, as before the app started; notes for the terminal are printed after it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from counter_tui.cli.failure import CommandFailed
from counter_tui.cli.options import GlobalOptions

if TYPE_CHECKING:
    from counter_tui.services.context import ShopContext
    from counter_tui.services.staff_roster import StaffSummary

NOBODY_YET = "Nobody can sign in yet. Add the first shift lead with: counter-tui staff add NAME --role lead"
GLOBAL_OPTIONS = {"--db": "database_url", "--config": "config_path"}


class ShopOpening:
    """The shop the staff app works in, opened when the app asks (on a worker thread),
    or already open (the demo). Remembers what to tell the terminal afterwards."""

    def __init__(self, options: GlobalOptions, shop: ShopContext | None = None) -> None:
        self.options = options
        self.shop = shop
        self.notes: list[str] = []
        self.theme = first_theme(options)

    def open(self) -> ShopContext:
        """The migrated shop, refused (`CommandFailed`) when nobody can sign in to it."""
        if self.shop is not None:
            return self.shop
        from counter_tui.commands.common import ignored_file_values_note, open_shop_for, settings_for
        from counter_tui.services import staff

        shop = open_shop_for(settings_for(self.options))
        self.shop = shop
        note = ignored_file_values_note(shop)
        if note:
            self.notes.append(note)
        if not staff.list_staff(shop):
            raise CommandFailed(NOBODY_YET)
        return shop

    def roster(self) -> list[StaffSummary] | None:
        """Who can sign in, read early (see `staff_roster`) when the database is certain
        without the full settings: given by --db or the environment, or the default file
        when there is no settings file; None otherwise."""
        from counter_tui.app_paths import default_config_path, default_database_url
        from counter_tui.services.staff_roster import early_roster

        if self.shop is not None:
            return None
        url = self.options.database_url or os.environ.get("COUNTER_TUI_DATABASE_URL")
        if url is None and not (self.options.config_path or default_config_path()).exists():
            url = default_database_url()
        return early_roster(url) if url else None

    def close(self) -> None:
        """Close the database it opened."""
        if self.shop is not None:
            self.shop.database.dispose()


def first_theme(options: GlobalOptions) -> str:
    """The theme for the first frame, read cheaply (the environment, else the settings
    file's top-level `theme`); the full settings, read after it, have the last word."""
    from counter_tui.themes import DEFAULT_THEME

    chosen = os.environ.get("COUNTER_TUI_THEME")
    if chosen:
        return chosen
    path = options.config_path or _config_path()
    if not path.is_file():
        return DEFAULT_THEME
    import tomllib  # only when there is a file to read

    try:
        with path.open("rb") as file:
            theme = tomllib.load(file).get("theme")
    except (OSError, tomllib.TOMLDecodeError):
        return DEFAULT_THEME
    return theme if isinstance(theme, str) else DEFAULT_THEME


def _config_path() -> Path:
    from counter_tui.app_paths import default_config_path

    return default_config_path()


def run_staff_app(
    options: GlobalOptions, *, shop: ShopContext | None = None, demo_pins: dict[str, str] | None = None
) -> None:
    """Run the staff app on the shop `options` name (or `shop`, already open); a start that
    failed, or an app that stopped on an error, makes the command fail too. No full
    garbage collection runs while its modules load (`quiet_collections`: two of them,
    30–70 ms, walked the modules being imported as the shop opened)."""
    from counter_tui.quiet_collections import FULL_COLLECTIONS

    with FULL_COLLECTIONS.held():
        from counter_tui.ui.app import CounterApp
        from counter_tui.ui.terminal_driver import fix_terminal_driver

        fix_terminal_driver()
        opening = ShopOpening(options, shop)
        staff_app = CounterApp(opening, demo_pins=demo_pins)
        try:
            staff_app.run()
        finally:
            if shop is None:
                opening.close()
        for note in opening.notes:
            print(note, file=sys.stderr)
        failed = getattr(staff_app, "start_error", None)
        if failed is not None:
            raise failed
        if getattr(staff_app, "return_code", 0):
            import typer

            raise typer.Exit(code=staff_app.return_code or 1)


def plain_start(args: list[str]) -> GlobalOptions | None:
    """The options of `counter-tui [--db URL] [--config FILE]` (the staff app, nothing
    else asked), or None for anything else (a command, --help, completion, odd text)."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None
    values: dict[str, str] = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        name, equals, value = arg.partition("=")
        if name not in GLOBAL_OPTIONS or name in values:
            return None
        if not equals:
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        values[name] = value
    if any(0xD800 <= ord(char) <= 0xDFFF for value in values.values() for char in value):
        return None
    config = values.get("--config")
    return GlobalOptions(database_url=values.get("--db"), config_path=Path(config) if config else None)


def start(options: GlobalOptions) -> None:
    """The staff app for the console script: errors as one red line, exit code kept."""
    from counter_tui.cli.errors import friendly_errors

    try:
        with friendly_errors():
            run_staff_app(options)
    except Exception as error:  # the error path's typer.Exit
        raise SystemExit(getattr(error, "exit_code", 1)) from None
