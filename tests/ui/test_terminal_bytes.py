"""Bytes a terminal can send that are not UTF-8 (0xFF, `£` from a Latin-1 terminal, a
cut-off multi-byte character) reach the REAL staff app and kiosk processes under a
pseudo-terminal: each stays up, shows a replacement character, and keeps working."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import sys
import termios
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col
from sqlmodel import select as sql_select

from counter_tui.db.models import Visit
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.ui.test_kiosk_process import COLUMNS, ROWS, KioskTerminal

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="uses a Linux pty and /proc"),
]

UNDECODABLE = (
    b"\xff",  # never valid in UTF-8
    b"\xa3",  # `£` typed on a Latin-1 terminal
    b"caf\xe9",  # `café` from a Latin-1 terminal
    b"\xe2\x82",  # the first two bytes of `€`, then something else
    b"x",
)
REPLACEMENT = "\ufffd"


def spawn(args: list[str], tmp_path: Path) -> KioskTerminal:
    """Run `python ARGS…` as the child of a new pty sized 80×24."""
    environ = dict(os.environ)
    environ.update(
        TERM="xterm-256color",
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        COUNTER_TUI_CONFIG=str(tmp_path / "no-config.toml"),
        COUNTER_TUI_SHOP__NAME="Test Shop",
    )
    pid, master = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
            os.execve(sys.executable, [sys.executable, *args], environ)
        finally:
            os._exit(127)
    return KioskTerminal(pid, master)


def sign_in_sam(term: KioskTerminal) -> None:
    """At the staff app's name box: sign Sam in (PIN 2222), so the shop is open and the
    app is on the list of running apps."""
    term.send(b"sam")
    term.expect("Sam")
    term.send(b"\r")
    term.expect("Your PIN")
    term.send(b"2222\r")
    term.expect("Signed in as Sam.")


def stop(terminal: KioskTerminal) -> None:
    """Kill the process if it still runs, and close our side of its terminal (unless a
    test hung it up already)."""
    if terminal.running():
        os.kill(terminal.pid, signal.SIGKILL)
        os.waitpid(terminal.pid, 0)
    if terminal.master >= 0:
        os.close(terminal.master)


@pytest.fixture
def staff_terminal(
    ctx: ShopContext, team: Team, database_url: str, tmp_path: Path
) -> Iterator[KioskTerminal]:
    terminal = spawn(["-m", "counter_tui", "--db", database_url], tmp_path)
    try:
        yield terminal
    finally:
        stop(terminal)


@pytest.fixture
def kiosk_terminal(
    ctx: ShopContext, team: Team, database_url: str, tmp_path: Path
) -> Iterator[KioskTerminal]:
    terminal = spawn(["-m", "counter_tui", "--db", database_url, "kiosk"], tmp_path)
    try:
        yield terminal
    finally:
        stop(terminal)


def test_the_staff_app_survives_undecodable_bytes_and_signs_in_afterwards(
    staff_terminal: KioskTerminal,
) -> None:
    term = staff_terminal
    term.expect("Who are you?")
    for chunk in UNDECODABLE:
        term.send(chunk)
    term.expect(f"caf{REPLACEMENT}")
    assert term.running()

    term.send(b"\x1b")  # escape: clear the name box
    term.expect("Type your name to filter")
    sign_in_sam(term)
    assert term.running()


def test_the_kiosk_survives_undecodable_bytes_without_restarting(
    kiosk_terminal: KioskTerminal, ctx: ShopContext
) -> None:
    term = kiosk_terminal
    term.expect("Welcome to Test Shop")
    for chunk in UNDECODABLE:
        term.send(chunk)
    term.send(b"\r")
    term.expect("What's your first name?")
    term.send(b"Ann\xa3")
    term.expect(f"Ann{REPLACEMENT}")
    term.send(b"\x7f\r")  # backspace, then Enter
    term.expect("Hi Ann! What would you like?")
    term.send(b"2")
    term.expect("Thank you, Ann!")
    assert term.running()
    assert "starting again" not in term.output.decode("utf-8", "replace")
    with ctx.database.read() as session:
        walk_ins = list(session.exec(sql_select(Visit.description).where(col(Visit.owner_id).is_(None))))
    assert walk_ins == ["Ann"]


def test_an_escape_inside_a_pasted_name_is_dropped_and_the_paste_arrives_whole(
    kiosk_terminal: KioskTerminal, ctx: ShopContext
) -> None:
    """A terminal that lets ESC through a bracketed paste (xterm does; Alacritty strips it)
    once made Textual type what followed the ESC as keys ahead of the paste: `Ann`, ESC,
    `ie` arrived as `^ieAnn`. The ESC is dropped instead, and the paste arrives whole."""
    term = kiosk_terminal
    term.expect("Welcome to Test Shop")
    term.send(b"\r")
    term.expect("What's your first name?")
    term.send(b"\x1b[200~Ann\x1bie\x1b[201~")
    term.expect("Annie")
    term.send(b"\r")
    term.expect("Hi Annie! What would you like?")
    term.send(b"2")
    term.expect("Thank you, Annie!")
    with ctx.database.read() as session:
        walk_ins = list(session.exec(sql_select(Visit.description).where(col(Visit.owner_id).is_(None))))
    assert walk_ins == ["Annie"]
