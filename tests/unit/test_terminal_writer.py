"""Textual's terminal writer thread, once `survive_hangups` has run, outlives a terminal
that is gone: what it cannot write is dropped, and the app's writes never block on it.
Textual's own died on the first failed write, so the app's next writes filled its queue
and blocked the app for good (found on a tmux window closed as the app closed)."""

from __future__ import annotations

import errno
import io
import threading

from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

from counter_tui.ui.terminal_hangup import survive_hangups

WAIT_SECONDS = 60  # an upper bound for a slow machine, never a measurement


class GoneTerminal(io.StringIO):
    """A terminal hung up: every write and flush fails as a pty's does then."""

    def write(self, text: str) -> int:
        raise OSError(errno.EIO, "Input/output error")

    def flush(self) -> None:
        raise OSError(errno.EIO, "Input/output error")


class Terminal(io.StringIO):
    """A terminal that works, keeping what was written."""

    def fileno(self) -> int:
        return 1


def written_then_stopped(file: io.StringIO, lines: int) -> bool:
    """Write `lines` lines through a writer thread on `file` and stop it, from a thread of
    its own; whether that finished (it blocked for good without the fix)."""
    survive_hangups()
    writer = WriterThread(file)
    writer.start()

    def write_all() -> None:
        for number in range(lines):
            writer.write(f"line {number}\n")
        writer.stop()

    app = threading.Thread(target=write_all, daemon=True)
    app.start()
    app.join(WAIT_SECONDS)
    return not app.is_alive() and not writer.is_alive()


def test_writes_to_a_terminal_gone_are_dropped_without_blocking() -> None:
    assert written_then_stopped(GoneTerminal(), MAX_QUEUED_WRITES * 4)


def test_writes_to_a_working_terminal_are_all_written_in_order() -> None:
    terminal = Terminal()
    assert written_then_stopped(terminal, MAX_QUEUED_WRITES * 4)
    assert terminal.getvalue() == "".join(f"line {number}\n" for number in range(MAX_QUEUED_WRITES * 4))
