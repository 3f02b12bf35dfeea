"""The real kiosk process under a pseudo-terminal: ctrl+c, ctrl+z, ctrl+\\ and ctrl+q do not
stop, suspend or quit it, `TEXTUAL*` variables change nothing, and a lead's PIN closes it;
a held Enter checks nobody in."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import col
from sqlmodel import select as sql_select

from counter_tui.db.models import AuditEvent, Visit
from counter_tui.services.context import ShopContext
from tests.conftest import Team

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="uses a Linux pty and /proc"),
]

ROWS, COLUMNS = 24, 80
WAIT_SECONDS = 60  # an upper bound for a slow machine, never a measurement
CONTROL_KEYS = {"ctrl+c": b"\x03", "ctrl+z": b"\x1a", "ctrl+\\": b"\x1c", "ctrl+q": b"\x11"}
F12 = b"\x1b[24~"
ESCAPE_SEQUENCE = re.compile(
    rb"\x1b(?:"
    rb"\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    rb"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, clipboard
    rb"|[PX^_][^\x1b]*\x1b\\"  # DCS and friends
    rb"|[()][0-9A-Za-z]|[=>78cDEHM])"  # character sets, keypad, save/restore
)


class KioskTerminal:
    """A kiosk process on the slave side of a pty; we are the terminal on the master side."""

    def __init__(self, pid: int, master: int) -> None:
        self.pid = pid
        self.master = master
        self.output = b""
        self.mark = 0

    def _read_some(self, seconds: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], seconds)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the child closed the terminal
            return False
        self.output += chunk
        return bool(chunk)

    def text_since_mark(self) -> str:
        """What the app drew since the last `expect`, with escape sequences removed."""
        return ESCAPE_SEQUENCE.sub(b"", self.output[self.mark :]).decode("utf-8", "replace")

    def expect(self, words: str) -> None:
        """Wait until the app draws `words` (or fail, showing what it drew)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if words in self.text_since_mark():
                self.mark = len(self.output)
                return
            if not self._read_some(0.1):
                break
        raise AssertionError(f"{words!r} never appeared; the app drew: {self.text_since_mark()!r}")

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        """Drain the app's output until `condition` holds (or fail, naming `what`)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if time.monotonic() > deadline or (not self._read_some(0.1) and not condition()):
                raise AssertionError(f"{what} never happened")

    def send(self, data: bytes) -> None:
        """Type bytes as the keyboard would."""
        self.mark = len(self.output)
        os.write(self.master, data)

    def running(self) -> bool:
        """The process exists and is not stopped (a ctrl+z suspend would show state T)."""
        try:
            pid, _status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:  # already reaped by `wait_exit`
            return False
        if pid != 0:
            return False
        state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state not in ("T", "t", "Z")

    def wait_exit(self) -> int:
        """Drain output until the process ends; its exit status."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid != 0:
                return os.waitstatus_to_exitcode(status)
            self._read_some(0.1)
        raise AssertionError("the app did not exit")


@pytest.fixture
def kiosk_terminal(
    ctx: ShopContext, team: Team, database_url: str, tmp_path: Path
) -> Iterator[KioskTerminal]:
    """`python -m counter_tui.ui.kiosk.launch` on a pty, with hostile TEXTUAL* variables."""
    environ = dict(os.environ)
    environ.update(
        TERM="xterm-256color",
        XDG_STATE_HOME=str(tmp_path / "state"),
        COUNTER_TUI_SHOP__NAME="Test Shop",
        # Each of these would change Textual's behaviour if it ever saw them.
        TEXTUAL_ALLOW_SIGNALS="1",
        TEXTUAL_SCREENSHOT="0",
        TEXTUAL_SCREENSHOT_LOCATION=str(tmp_path / "shots"),
        TEXTUAL_PRESS="ctrl+q",
    )
    args = [
        sys.executable,
        "-m",
        "counter_tui.ui.kiosk.launch",
        "--db",
        database_url,
        "--terminal",
        "door",
    ]
    (tmp_path / "shots").mkdir()
    pid, master = pty.fork()
    if pid == 0:  # the child: size the terminal, then become the kiosk
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
            os.execve(sys.executable, args, environ)
        finally:
            os._exit(127)
    terminal = KioskTerminal(pid, master)
    try:
        yield terminal
    finally:
        if terminal.running():
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(master)


def kiosk_actions(ctx: ShopContext) -> list[str]:
    with ctx.database.read() as session:
        return list(
            session.exec(
                sql_select(AuditEvent.action)
                .where(col(AuditEvent.action).startswith("kiosk."))
                .order_by(col(AuditEvent.id))
            )
        )


def test_keyboard_exits_are_closed_and_a_lead_pin_closes_it(
    kiosk_terminal: KioskTerminal, ctx: ShopContext, tmp_path: Path
) -> None:
    term = kiosk_terminal
    term.expect("Welcome to Test Shop")
    # The pty is the kiosk's controlling terminal and it is in the foreground, so the
    # terminal *would* deliver ctrl+c/z/\ as signals to it if signals were enabled.
    assert os.tcgetpgrp(term.master) == term.pid
    # TEXTUAL_ALLOW_SIGNALS=1 was in its environment, yet signal keys stay plain keys.
    assert not termios.tcgetattr(term.master)[3] & termios.ISIG

    for name, key in CONTROL_KEYS.items():
        term.send(key)
        term.send(b"\r")
        term.expect("What's your first name?")
        assert term.running(), f"{name} stopped the kiosk"
        term.send(key)
        term.send(b"\x1b")
        term.expect("Welcome to Test Shop")
        assert term.running(), f"{name} stopped the kiosk"

    # Even signals sent from outside the terminal are ignored.
    for number in (signal.SIGINT, signal.SIGTSTP, signal.SIGQUIT):
        os.kill(term.pid, number)
    term.send(b"\r")
    term.expect("What's your first name?")
    assert term.running()
    term.send(b"\x1b")
    term.expect("Welcome to Test Shop")

    assert os.listdir(tmp_path / "shots") == [], "TEXTUAL_SCREENSHOT was ignored"

    term.send(F12)
    term.expect("Enter a shift lead's PIN.")
    term.send(b"2222\r")
    term.expect("A shift lead's PIN is needed.")
    assert term.running()
    term.send(b"1111\r")
    term.expect("Unlocked by Dana.")
    term.send(b"2")
    assert term.wait_exit() == 0
    assert kiosk_actions(ctx) == ["kiosk.unlock_failed", "kiosk.unlocked", "kiosk.exited"]


def kiosk_visits(ctx: ShopContext) -> list[str]:
    """Each visit's source, in the order created."""
    with ctx.database.read() as session:
        return list(session.exec(sql_select(Visit.source).order_by(col(Visit.id))))


def keep_reading(term: KioskTerminal, seconds: float) -> None:
    """Read what the app draws for `seconds`."""
    deadline = time.monotonic() + seconds
    term.wait_for(lambda: time.monotonic() > deadline, f"{seconds} s of drawing")


def test_a_held_enter_checks_nobody_in(kiosk_terminal: KioskTerminal, ctx: ShopContext) -> None:
    """Enter as raw bytes: eight 0.15 s apart (as a tester pressed them), then eight in one
    read (a held key's repeats). The kiosk waits on the choices; a number checks in once."""
    term = kiosk_terminal
    term.expect("Welcome to Test Shop")
    for _ in range(8):
        term.send(b"\r")
        keep_reading(term, 0.15)
    term.send(b"\r" * 8)
    keep_reading(term, 1)
    drawn = ESCAPE_SEQUENCE.sub(b"", term.output).decode("utf-8", "replace")
    assert "Please choose one: press its number." in drawn
    assert kiosk_visits(ctx) == []
    term.send(b"2")
    term.expect("Thank you!")
    term.send(b"\r" * 8)
    keep_reading(term, 1)
    assert term.running()
    assert kiosk_visits(ctx) == ["kiosk door"]
