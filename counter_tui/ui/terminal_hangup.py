"""A terminal that goes away (its window closed, tmux killed, an SSH link cut) ends the app
on it, whatever the app was doing.

Textual's Linux driver (8.2) takes every SIGCONT for a return from ctrl+z and starts the
terminal's reader and writer threads again beside the running ones. The kernel sends
SIGCONT with the SIGHUP of a hang-up: the extra reader kept the process alive after the
app ended, spinning a core on the dead terminal, and the extra writer died on its first
write there, so the app's next writes filled its queue and blocked the app for good, with
the shop's database open. `survive_hangups` makes the driver resume only after a
suspension it made itself, and its writer drop what it cannot write to a terminal that is
gone instead of dying. `terminal_driver.fix_terminal_driver` calls it before `App.run`; on
upgrading Textual, tests/ui/test_terminal_hangup.py says whether it is still needed.
"""

from __future__ import annotations

from typing import Any

from textual.drivers._writer_thread import WriterThread
from textual.drivers.linux_driver import LinuxDriver


def _resume_after_own_suspension(driver: LinuxDriver, *_: Any) -> None:
    """SIGCONT: take the terminal back only if the driver's SIGTSTP handler gave it up."""
    if driver._auto_restart and driver._must_signal_resume:
        driver.resume_application_mode()


def _write_while_the_terminal_lasts(writer: WriterThread) -> None:
    """Write queued text until told to stop, flushing when the queue empties; once the
    terminal fails a write, drop the rest but keep emptying the queue."""
    gone = False
    while (text := writer._queue.get()) is not None:
        if gone:
            continue
        try:
            writer._file.write(text)
            if writer._queue.qsize() == 0:
                writer._file.flush()
        except OSError:
            gone = True


def survive_hangups() -> None:
    """Apply both fixes to Textual's Linux driver (idempotent)."""
    LinuxDriver._sigcont_application = _resume_after_own_suspension  # type: ignore[assignment,method-assign]
    WriterThread.run = _write_while_the_terminal_lasts  # type: ignore[assignment,method-assign]
