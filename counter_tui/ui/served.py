"""One browser session of `counter-tui serve`: the staff app, or a kiosk, on Textual's web driver.

textual-serve starts `python -m counter_tui.ui.served [--kiosk NAME]` for every browser that
connects, with the server's environment plus the variables that choose Textual's web
driver. `TEXTUAL*` variables change Textual's behaviour when it is first imported (pressing
keys, taking screenshots, devtools), so before Textual is imported every one of them is
removed except those the web driver needs, and those only with the values textual-serve
gives them; a process not started by the server refuses to run.

A kiosk then runs locked down as it does in a terminal (keyboard signals ignored, no
palette, no way out without a lead's PIN, a crash logged and never shown), but once: when
it stops, the browser's session ends and its page offers a fresh start. The database URL
and the settings file come from the environment the server sets, never the command line
(a password would show in `ps`).

This module imports nothing from Textual at import time.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, MutableMapping, Sequence

from counter_tui.config import Settings, load_settings
from counter_tui.errors import DomainError
from counter_tui.logs import LOG

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
COLOR_SYSTEMS = frozenset({"truecolor", "256", "standard"})

#: The only `TEXTUAL*` variables a served session keeps, each with the values it may have.
WEB_DRIVER_VARIABLES: dict[str, Callable[[str], bool]] = {
    "TEXTUAL_DRIVER": lambda value: value == WEB_DRIVER,
    "TEXTUAL_COLOR_SYSTEM": lambda value: value in COLOR_SYSTEMS,
    "TEXTUAL_FPS": lambda value: value.isdigit() and 1 <= int(value) <= 120,
}
NOT_SERVED = "This runs one browser session of `counter-tui serve`; start that command instead."


def keep_only_web_driver_variables(environ: MutableMapping[str, str] = os.environ) -> list[str]:
    """Remove every `TEXTUAL*` variable (any case) but the web driver's own, with their
    expected values; returns the names removed."""
    removed = [
        name
        for name, value in environ.items()
        if name.upper().startswith("TEXTUAL")
        and not (name in WEB_DRIVER_VARIABLES and WEB_DRIVER_VARIABLES[name](value))
    ]
    for name in removed:
        del environ[name]
    return removed


def textual_imported() -> bool:
    """Whether Textual was imported already (and so has read its environment variables)."""
    return any(name == "textual" or name.startswith("textual.") for name in sys.modules)


def run_staff_app(settings: Settings) -> None:
    """The staff app for one browser, until it signs off or the server stops it."""
    from rich.console import Console

    from counter_tui.bootstrap import open_shop
    from counter_tui.ui.app import CounterApp

    shop = open_shop(settings)
    try:
        app = CounterApp(shop)
        _quiet_crashes(app, Console)
        app.run()
        _log_crash(app, "the served staff app crashed")
    finally:
        shop.database.dispose()


def run_served_kiosk(settings: Settings, terminal: str) -> None:
    """The kiosk named `terminal` for one browser, locked down, once."""
    from counter_tui.ui.kiosk.launch import (
        KioskExit,
        configure_logging,
        ignore_keyboard_signals,
        kiosk_log_file,
    )

    ignore_keyboard_signals()
    configure_logging(kiosk_log_file())

    from rich.console import Console

    from counter_tui.bootstrap import open_shop
    from counter_tui.ui.kiosk.app import KioskApp

    ctx = open_shop(settings.model_copy(update={"terminal_name": terminal}))
    LOG.info("served kiosk %r started", terminal)
    try:
        app = KioskApp(ctx, terminal, harden_process=True)
        _quiet_crashes(app, Console)
        result = app.run(mouse=False)
        _log_crash(app, "the served kiosk crashed")
        if isinstance(result, KioskExit):
            LOG.info("served kiosk closed by %s", result.lead_name)
    finally:
        ctx.database.dispose()


def _quiet_crashes(app: object, console_class: Callable[..., object]) -> None:
    """Textual prints a crashed app's traceback with its local variables (a name being
    typed, a PIN) to stderr, which the server copies to its console: print it nowhere."""
    app.error_console = console_class(file=io.StringIO(), color_system=None)  # type: ignore[attr-defined]


def _log_crash(app: object, what: str) -> None:
    crash = getattr(app, "_exception", None)  # Textual keeps the crash here
    if crash is not None:
        LOG.error(what, exc_info=crash)


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m counter_tui.ui.served [--kiosk NAME]`, as the server starts it."""
    parser = argparse.ArgumentParser(description="One browser session of counter-tui serve.")
    parser.add_argument("--kiosk", metavar="NAME", help="run the kiosk named NAME, not the staff app")
    args = parser.parse_args(argv)
    keep_only_web_driver_variables()
    if os.environ.get("TEXTUAL_DRIVER") != WEB_DRIVER or textual_imported():
        sys.exit(NOT_SERVED)
    try:
        settings = load_settings()
        if args.kiosk is None:
            run_staff_app(settings)
        else:
            run_served_kiosk(settings, args.kiosk)
    except DomainError as refusal:  # e.g. the database went away since the server checked it
        sys.exit(str(refusal))


if __name__ == "__main__":
    # Run the imported module's `main`, not this `__main__` copy (as the kiosk launcher does).
    from counter_tui.ui import served

    served.main()
