"""The `counter-tui` Typer app: the global options, the staff app when no command is
given, and every command below it loaded lazily (`lazy_group.COMMANDS`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from counter_tui.cli.lazy_group import LazyGroup
from counter_tui.commands.common import GlobalOptions

app = typer.Typer(
    cls=LazyGroup,
    name="counter-tui",
    help="Keyboard-first front-counter app for shops.",
    no_args_is_help=False,
    add_completion=True,
    pretty_exceptions_show_locals=False,
)


@app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL, e.g. sqlite:////path/shop.sqlite3 or "
            "postgresql+psycopg://user@host/db (env COUNTER_TUI_DATABASE_URL).",
            show_default=False,
        ),
    ] = None,
    config_path: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Settings file (TOML) to use instead of the one in the config dir (env COUNTER_TUI_CONFIG).",
            show_default=False,
        ),
    ] = None,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version, the database's kind and its schema revision, then stop.",
        ),
    ] = False,
) -> None:
    """Run the staff app (sign in, floor board, customers, follow-ups)."""
    options = GlobalOptions(database_url=database_url, config_path=config_path)
    ctx.obj = options
    if show_version:
        from counter_tui.commands.about import version_report, version_url

        typer.echo(version_report(version_url(options)))
        raise typer.Exit()
    if ctx.invoked_subcommand is not None:
        return
    from counter_tui.cli.staff_app import run_staff_app

    run_staff_app(options)
