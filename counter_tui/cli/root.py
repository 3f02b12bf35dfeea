"""The `counter-tui` Typer app: the global options, the staff app when no command is
given, and every command below it loaded lazily (`command_list.COMMANDS`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from counter_tui.cli.command_list import APP_HELP, CONFIG_HELP, DB_HELP, VERSION_HELP
from counter_tui.cli.lazy_group import LazyGroup
from counter_tui.commands.common import GlobalOptions

app = typer.Typer(
    cls=LazyGroup,
    name="counter-tui",
    help=APP_HELP,
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
            help=DB_HELP,
            show_default=False,
        ),
    ] = None,
    config_path: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help=CONFIG_HELP,
            show_default=False,
        ),
    ] = None,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            help=VERSION_HELP,
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
