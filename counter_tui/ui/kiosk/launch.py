"""Start the kiosk as a locked-down process: `counter-tui kiosk [--terminal NAME]`.

Order matters here. `TEXTUAL*` environment variables change Textual's behaviour
when it is first imported (allowing ctrl+c signals, pressing keys, choosing a
driver, taking screenshots), so they are removed before Textual is imported;
if something imported it earlier, the process re-executes itself with a clean
environment. Keyboard signals are ignored for the whole process, and an app that
stops unexpectedly is logged and started again on its welcome screen: only a
shift lead closing the kiosk from its staff menu ends the process.

This module imports nothing from Textual at import time.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from counter_tui.config import Settings, load_settings
from counter_tui.errors import DomainError
from counter_tui.logs import LOG as APP_LOG
from counter_tui.logs import attach_log_file, log_file
from counter_tui.quiet_collections import FULL_COLLECTIONS

LOG = logging.getLogger("counter_tui.kiosk")
CLEAN_START_MARKER = "COUNTER_TUI_KIOSK_CLEAN_START"
KEYBOARD_SIGNALS = (signal.SIGINT, signal.SIGTSTP, signal.SIGQUIT)
RESTART_MESSAGE = "\x1b[2J\x1b[HJust a moment, the check-in screen is starting again…\r\n"


@dataclass(frozen=True)
class KioskExit:
    """The app's result when a shift lead closed the kiosk on purpose."""

    lead_name: str


def scrub_textual_environment(environ: MutableMapping[str, str] = os.environ) -> list[str]:
    """Remove every `TEXTUAL*` variable (any case); returns the names removed."""
    removed = [name for name in environ if name.upper().startswith("TEXTUAL")]
    for name in removed:
        del environ[name]
    return removed


def textual_imported() -> bool:
    """Whether Textual was imported already (and so has read its environment variables)."""
    return any(name == "textual" or name.startswith("textual.") for name in sys.modules)


def ignore_keyboard_signals() -> None:
    """Ignore ctrl+c, ctrl+z and ctrl+\\ signals for the whole process."""
    for number in KEYBOARD_SIGNALS:
        signal.signal(number, signal.SIG_IGN)


def kiosk_log_file() -> Path:
    """The kiosk's log file in the platformdirs user log dir (private to this user)."""
    return log_file("kiosk.log")


def configure_logging(path: Path) -> None:
    """Send every counter_tui log record of this process to `path` (once), without
    personal data; nothing logged ever reaches the kiosk's screen."""
    attach_log_file(APP_LOG, path)


def keep_kiosk_running(
    run_once: Callable[[], object],
    *,
    pause: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    on_restart: Callable[[], None] = lambda: None,
) -> KioskExit:
    """Run the app again and again until a shift lead closes it; return how it was closed.

    Anything else (an app that crashed, or an exception from starting it) is logged
    and followed by a fresh start on the welcome screen, after a short pause that
    grows while failures come quickly one after another.
    """
    quick_failures = 0
    while True:
        started = clock()
        try:
            result = run_once()
        except Exception:
            LOG.exception("kiosk failed to run; starting again")
            result = None
        else:
            if isinstance(result, KioskExit):
                LOG.info("kiosk closed by %s", result.lead_name)
                return result
            LOG.error("kiosk stopped unexpectedly (result %r); starting again", result)
        ignore_keyboard_signals()
        quick_failures = quick_failures + 1 if clock() - started < 60 else 0
        on_restart()
        pause(min(0.5 * 2**quick_failures, 15.0) if quick_failures else 0.2)


def _reexec_clean(settings: Settings, terminal: str) -> None:
    """Start this module again in a process whose environment never held `TEXTUAL*`."""
    environ = dict(os.environ)
    scrub_textual_environment(environ)
    environ[CLEAN_START_MARKER] = "1"
    args = [
        sys.executable,
        "-m",
        "counter_tui.ui.kiosk.launch",
        "--db",
        settings.database_url,
        "--terminal",
        terminal,
    ]
    os.execve(sys.executable, args, environ)


def _show_restart_message(stream: TextIO | None = sys.__stdout__) -> None:
    if stream is not None and stream.isatty():
        stream.write(RESTART_MESSAGE)
        stream.flush()


def run_kiosk(settings: Settings, terminal: str) -> None:
    """Run the self check-in kiosk named `terminal` until a shift lead closes it."""
    scrub_textual_environment()
    if textual_imported() and not os.environ.get(CLEAN_START_MARKER):
        _reexec_clean(settings, terminal)
    ignore_keyboard_signals()
    log_path = kiosk_log_file()
    configure_logging(log_path)
    with FULL_COLLECTIONS.held():  # none while the app's modules load: it runs them when quiet
        from rich.console import Console

        from counter_tui.bootstrap import open_shop
        from counter_tui.ui.kiosk.app import KioskApp
        from counter_tui.ui.terminal_driver import fix_terminal_driver

        fix_terminal_driver()
        ctx = open_shop(settings.model_copy(update={"terminal_name": terminal}))
        LOG.info("kiosk %r started", terminal)

        def run_once() -> object:
            app = KioskApp(ctx, terminal, harden_process=True)
            # Textual prints a crashed app's traceback with its local variables (a name
            # being typed, a PIN): not on the screen, and not in the log either.
            app.error_console = Console(file=io.StringIO(), color_system=None)
            result = app.run(mouse=False)
            crash = getattr(app, "_exception", None)  # Textual keeps the crash here
            if crash is not None:
                LOG.error("the kiosk app crashed", exc_info=crash)
            return result

        try:
            keep_kiosk_running(run_once, on_restart=_show_restart_message)
        finally:
            ctx.database.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m counter_tui.ui.kiosk.launch --db URL --terminal NAME`."""
    parser = argparse.ArgumentParser(description="Run the counter-tui self check-in kiosk.")
    parser.add_argument("--db", help="database URL (default: the embedded SQLite file)")
    parser.add_argument("--terminal", default="door", help="this kiosk's name (default: door)")
    args = parser.parse_args(argv)
    try:
        run_kiosk(load_settings(database_url=args.db), args.terminal)
    except DomainError as refusal:  # the database went away since `counter-tui kiosk` checked it
        sys.exit(str(refusal))


if __name__ == "__main__":
    # Run the imported module's `main`, not this `__main__` copy, so that `KioskExit`
    # here and in the app are one class.
    from counter_tui.ui.kiosk import launch

    launch.main()
