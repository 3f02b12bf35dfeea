"""`counter-tui demo`: the app on a throwaway database filled with a realistic demo shop,
or (`--build-only DB`) just the demo shop built into a database, for scripts."""

from __future__ import annotations

import shlex
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from counter_tui.commands.common import command_settings, global_options, safe_url, url_or_path


def demo(
    ctx: typer.Context,
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep the demo database afterwards and say where.")
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Build the demo in this (empty) database instead of a temporary one.",
            show_default=False,
        ),
    ] = None,
    build_only: Annotated[
        str | None,
        typer.Option(
            "--build-only",
            metavar="DB",
            help="Only build a demo shop into DB (a file path, created if missing, or a database "
            "URL), without opening the app: for scripts, benchmarks and second terminals.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Try the app on a throwaway database filled with a realistic demo shop."""
    from counter_tui.bootstrap import open_shop
    from counter_tui.cli.staff_app import run_staff_app
    from counter_tui.demo.build import build_demo_shop

    if build_only is not None:
        url = url_or_path(build_only)
        shop = open_shop(command_settings(ctx, database_url=url), create=True)
        try:
            typer.echo(f"Building the demo shop in {shop.database.describe()} (a few seconds)…")
            pins = build_demo_shop(shop)
        finally:
            shop.database.dispose()
        typer.echo(f"Done. Open it with: counter-tui --db {shlex.quote(safe_url(url))}")
        typer.echo("Demo PINs: " + ", ".join(f"{name} {pin}" for name, pin in pins.items()))
        return
    options = global_options(ctx)
    chosen_url = database_url or options.database_url
    temp_dir: Path | None = None
    if chosen_url:
        url = chosen_url
    else:
        temp_dir = Path(tempfile.mkdtemp(prefix="counter-tui-demo-"))
        url = f"sqlite:///{temp_dir / 'demo.sqlite3'}"
    try:
        shop = open_shop(command_settings(ctx, database_url=url), create=True)
        try:
            typer.echo(f"Building the demo shop in {shop.database.describe()} (a few seconds)…")
            pins = build_demo_shop(shop)
            typer.echo(
                "To open a second terminal on this shop, run in another window: "
                f"counter-tui --db {shlex.quote(safe_url(url))}"
            )
            if temp_dir is not None and not keep:
                typer.echo("The demo shop is deleted when you quit (keep it with --keep).")
            run_staff_app(options, shop=shop, demo_pins=pins)
        finally:
            shop.database.dispose()
    finally:
        if temp_dir is not None:
            if keep:
                typer.echo(f"Demo data kept. Open it again with: counter-tui --db {url}")
            else:
                shutil.rmtree(temp_dir, ignore_errors=True)
