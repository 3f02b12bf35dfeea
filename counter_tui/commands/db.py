"""`counter-tui db …`: start a shop's schema, bring it up to date, say where it stands;
backup and restore (`commands/backup.py`) sit in the same group."""

from __future__ import annotations

import typer

from counter_tui.commands.backup import db_backup, db_restore
from counter_tui.commands.common import command_settings, command_shop, safe_url

db_app = typer.Typer(help="Database schema, backup and restore.", no_args_is_help=True)
db_app.command("backup")(db_backup)
db_app.command("restore")(db_restore)


@db_app.command("init")
def db_init(ctx: typer.Context) -> None:
    """Start a new, empty shop in the database given by --db (creating an SQLite file)."""
    from counter_tui.db.engine import Database
    from counter_tui.db.migrate import current_revision, upgrade
    from counter_tui.services.contact import shop_region

    settings = command_settings(ctx)
    database = Database(settings.database_url, create=True)
    try:
        existed = current_revision(database) is not None
        upgrade(database, phone_region=shop_region(settings.shop))
        revision = current_revision(database)
    finally:
        database.dispose()
    where = safe_url(settings.database_url)
    if existed:
        typer.echo(f"Database {where} already holds a shop; it is at revision {revision}.")
    else:
        typer.echo(
            f"Started a new shop in {where} (revision {revision}). "
            "Add the first shift lead with: counter-tui staff add NAME --role lead"
        )


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the schema migrations (the app also does this on start)."""
    from counter_tui.db.schema_version import stored_revision

    with command_shop(ctx) as shop:
        revision = stored_revision(shop.database)
    typer.echo(f"Database {safe_url(shop.database.url)} is at revision {revision}.")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the database's schema revision and whether it is up to date."""
    from counter_tui.db.engine import Database
    from counter_tui.db.schema_version import shipped_head, stored_revision

    settings = command_settings(ctx)
    database = Database(settings.database_url)
    try:
        current = stored_revision(database)
        head = shipped_head()
        if current is not None and current != head:
            from counter_tui.db.migrate import is_known, schema_too_new

            if not is_known(database, current):
                raise schema_too_new(database, current)
    finally:
        database.dispose()
    where = safe_url(settings.database_url)
    if current is None:
        typer.echo(f"Database {where} holds no shop yet. Start one with: counter-tui db init")
    elif current == head:
        typer.echo(f"Database {where} is at revision {current} (up to date).")
    else:
        typer.echo(
            f"Database {where} is at revision {current}; this version needs {head}. "
            "Run: counter-tui db upgrade"
        )
