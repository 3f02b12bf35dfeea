"""`counter-tui keys`: the keys of every screen as this terminal has them, after the
settings file's `[keys]` remapping (marked "remapped"), with each binding's id to remap it.

The table is the README's (`counter_tui.key_table`), so what is printed is what the app
binds. It reads the settings but opens no database.
"""

from __future__ import annotations

import typer


def keys(ctx: typer.Context) -> None:
    """Print the effective key map: every screen's keys after this terminal's remapping."""
    from counter_tui.commands.common import command_settings
    from counter_tui.key_table import rows

    keymap = command_settings(ctx).keys
    for line in rows(keymap):
        typer.echo(line)
