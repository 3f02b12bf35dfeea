"""`counter-tui serve`: the staff app, or a kiosk, in a web browser (textual-serve).

Each browser that connects gets its own app process (`counter_tui.ui.served`). The server
has no login of its own (the app's PINs are the only lock), so it listens on this computer
only unless `--allow-remote` is given, and then it says so: it belongs behind the shop's
proxy (HTTPS and a login). textual-serve is imported only here, when serving.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import shlex
import sys
from typing import Annotated

import typer

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
REMOTE_WARNING = (
    "Warning: serving on {host}, so anyone who can reach this computer on port {port} gets the "
    "{what}. It has no login of its own: put it behind the shop's proxy (HTTPS and a login)."
)


def is_loopback(host: str) -> bool:
    """Whether `host` names this computer only (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def session_command(kiosk: str | None) -> str:
    """The shell command textual-serve runs for each browser (exec: no shell left behind)."""
    args = [sys.executable, "-m", "counter_tui.ui.served"]
    if kiosk is not None:
        args += ["--kiosk", kiosk]
    return "exec " + shlex.join(args)


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (this computer only by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    kiosk: Annotated[
        str | None,
        typer.Option(
            "--kiosk",
            metavar="NAME",
            help="Serve the self check-in kiosk named NAME (locked down) instead of the staff app.",
            show_default=False,
        ),
    ] = None,
    allow_remote: Annotated[
        bool,
        typer.Option(
            "--allow-remote",
            help="Allow a --host other than this computer. The app has no login of its own: "
            "put it behind the shop's proxy.",
        ),
    ] = False,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help="The address browsers use, when behind a proxy (e.g. https://counter.example.shop).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the staff app, or a kiosk, to web browsers (each browser gets its own session)."""
    from counter_tui.cli.failure import CommandFailed
    from counter_tui.commands.common import command_settings, open_shop_for
    from counter_tui.services import kiosk as kiosk_service
    from counter_tui.services import staff as staff_service

    what = "staff app" if kiosk is None else f"kiosk {kiosk_service.terminal_name(kiosk)!r}"
    if not is_loopback(host) and not allow_remote:
        raise CommandFailed(
            f"{host} is reachable from other computers and the {what} has no login of its own. "
            "Serve on 127.0.0.1 behind the shop's proxy, or add --allow-remote."
        )
    settings = command_settings(ctx)
    shop = open_shop_for(settings)
    try:
        if kiosk is None and not staff_service.list_staff(shop):
            raise CommandFailed(
                "Nobody can sign in yet. Add the first shift lead with: "
                "counter-tui staff add NAME --role lead"
            )
    finally:
        shop.database.dispose()
    try:
        from counter_tui.web_server import CounterServer
    except ImportError as missing:
        raise CommandFailed(
            f"Serving to a browser needs {missing.name or 'textual-serve'}: pip install 'counter-tui[serve]'"
        ) from missing
    if not is_loopback(host):
        typer.secho(REMOTE_WARNING.format(host=host, port=port, what=what), fg="yellow", err=True)
    # Each browser's process finds the shop and the settings file through the environment.
    os.environ["COUNTER_TUI_DATABASE_URL"] = settings.database_url
    server = CounterServer(
        session_command(kiosk), host=host, port=port, title=f"counter-tui {what}", public_url=public_url
    )
    try:
        server.serve()
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise CommandFailed(
                f"Port {port} on {host} is already in use (another server?). Choose another with --port."
            ) from error
        raise
