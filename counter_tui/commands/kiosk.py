"""`counter-tui kiosk`: the customer self check-in kiosk by the door."""

from __future__ import annotations

from typing import Annotated

import typer

from counter_tui.commands.common import command_settings, open_shop_for


def kiosk(
    ctx: typer.Context,
    terminal: Annotated[
        str, typer.Option("--terminal", help="Name of this kiosk, shown on the floor board.")
    ] = "door",
) -> None:
    """Run the customer self check-in kiosk (locked down; a lead's PIN leaves it)."""
    settings = command_settings(ctx)
    # Reach the database now, so a wrong URL is one line here, not a kiosk restart loop.
    open_shop_for(settings).database.dispose()
    # The launcher removes TEXTUAL* variables before it imports Textual.
    from counter_tui.ui.kiosk.launch import run_kiosk

    run_kiosk(settings, terminal)
