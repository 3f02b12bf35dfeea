"""`counter-tui db backup [PATH]` and `counter-tui db restore PATH`.

Both ask for a shift lead's name and PIN (`lead_auth`) and are audited as that lead; the
work is `services/backup.py`'s. Registered under `db` in `commands/db.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from counter_tui.cli.errors import printable
from counter_tui.commands.lead_auth import LeadOption, LeadPinOption, lead_required


def db_backup(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The new backup file, or a folder to put it in "
            "(default: the backups folder beside the database).",
            show_default=False,
        ),
    ] = None,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Copy the shop's database while terminals keep working, and check the copy."""
    from counter_tui.commands.common import command_shop
    from counter_tui.services import backup

    with command_shop(ctx) as shop:
        made = backup.back_up(shop, lead_required(shop, "db backup", lead, lead_pin), path)
    typer.echo(f"Backed up to {printable(str(made.path))} ({_size(made.size)}; integrity check passed).")


def db_restore(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The backup file to restore.", show_default=False)],
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Replace the shop's data with a backup (refused while anyone is signed in); what it
    replaces is backed up first."""
    from counter_tui.commands.common import command_shop
    from counter_tui.services import backup

    with command_shop(ctx) as shop:
        backup.usable_backup(shop, path)  # a wrong file is said before a lead is asked for
        done = backup.restore(shop, lead_required(shop, "db restore", lead, lead_pin), path)
    source, kept = printable(str(done.restored_from)), printable(str(done.replaced_kept_at))
    typer.echo(f"Restored from {source}. What it replaced is kept at {kept}.")


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"
