"""A terminal that goes away (its window closed, tmux killed, an SSH link cut, the power
of a thin client lost) ends the REAL app on it, however far it had got: signed out, in
the middle of being closed by a lead, or a kiosk waiting for a customer. Found in tmux:
apps lived on after their terminal was gone, one spinning a core for half an hour and
one stuck with the shop's database open. Closing the pty's master side is what the
kernel sees when any of these happens: it hangs the terminal up, sending SIGHUP and
SIGCONT to the app."""

from __future__ import annotations

import os
import select
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select as sql_select

from counter_tui.db.models import AuditEvent
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.ui.test_kiosk_process import WAIT_SECONDS, KioskTerminal
from tests.ui.test_terminal_bytes import sign_in_sam, spawn, stop

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="uses a Linux pty and pidfd"),
]


FOCUS_EVENTS_ON = b"\x1b[?1004h"


@pytest.fixture
def terminals() -> Iterator[list[KioskTerminal]]:
    """Terminals a test runs (and may hang up); each is stopped at the end."""
    started: list[KioskTerminal] = []
    yield started
    for terminal in started:
        stop(terminal)


def hang_up(terminal: KioskTerminal) -> None:
    """Close the terminal's master side, as a closed window does."""
    os.close(terminal.master)
    terminal.master = -1


def ended(terminal: KioskTerminal) -> bool:
    """Whether the process ends within WAIT_SECONDS of now (an upper bound for a slow
    machine, never a measurement); it is reaped if it did."""
    process = os.pidfd_open(terminal.pid)
    try:
        ready, _, _ = select.select([process], [], [], WAIT_SECONDS)
    finally:
        os.close(process)
    if ready:
        os.waitpid(terminal.pid, 0)
    return bool(ready)


def signed_in_as_sam(term: KioskTerminal) -> None:
    """Sign Sam in as the app starts: the shop is open, and the app on the list of running
    apps."""
    term.expect("Who are you?")
    sign_in_sam(term)


def audited(ctx: ShopContext, action: str) -> int:
    with ctx.database.read() as session:
        return len(list(session.exec(sql_select(AuditEvent.id).where(AuditEvent.action == action))))


def test_the_staff_app_ends_when_its_terminal_is_hung_up(
    ctx: ShopContext, team: Team, database_url: str, tmp_path: Path, terminals: list[KioskTerminal]
) -> None:
    term = spawn(["-m", "counter_tui", "--db", database_url], tmp_path)
    terminals.append(term)
    signed_in_as_sam(term)
    hang_up(term)
    assert ended(term)
    assert audited(ctx, "terminal.stopped") == 1


@pytest.mark.parametrize("wait_for_close", [False, True], ids=["at-once", "once-recorded"])
def test_the_staff_app_being_closed_ends_when_its_terminal_is_hung_up(
    ctx: ShopContext,
    team: Team,
    database_url: str,
    tmp_path: Path,
    terminals: list[KioskTerminal],
    wait_for_close: bool,
) -> None:
    """A lead's PIN closes the app, and the window is closed straight after: at once (the
    app may hear of the hang-up before the PIN is checked: then it stops as hung up), or
    once the close is recorded and the app is on its way out."""
    term = spawn(["-m", "counter_tui", "--db", database_url], tmp_path)
    terminals.append(term)
    signed_in_as_sam(term)
    term.send(b"\x11")
    term.expect("shift lead's PIN")
    term.send(b"1111\r")
    if wait_for_close:
        term.wait_for(lambda: audited(ctx, "terminal.closed") == 1, "the close being recorded")
    hang_up(term)
    assert ended(term)
    assert audited(ctx, "terminal.closed") + audited(ctx, "terminal.stopped") == 1


def test_the_kiosk_ends_when_its_terminal_is_hung_up(
    ctx: ShopContext, team: Team, database_url: str, tmp_path: Path, terminals: list[KioskTerminal]
) -> None:
    """The kiosk restarts itself after a crash; a terminal gone is not a crash to
    restart from."""
    term = spawn(["-m", "counter_tui.ui.kiosk.launch", "--db", database_url, "--terminal", "door"], tmp_path)
    terminals.append(term)
    term.expect("Welcome to Test Shop")
    hang_up(term)
    assert ended(term)


def test_a_sigcont_that_follows_no_stop_changes_nothing(
    ctx: ShopContext, team: Team, database_url: str, tmp_path: Path, terminals: list[KioskTerminal]
) -> None:
    """The kernel sends SIGCONT with a hang-up's SIGHUP. Textual took any SIGCONT as a
    return from ctrl+z and started the terminal's threads again beside the running ones;
    the extra reader then kept the process alive after the app closed (spinning a core on
    a terminal gone), and the extra writer, dead on a terminal gone, blocked the app."""
    term = spawn(["-m", "counter_tui", "--db", database_url], tmp_path)
    terminals.append(term)
    signed_in_as_sam(term)
    os.kill(term.pid, signal.SIGCONT)
    term.send(b"\x11")
    term.expect("shift lead's PIN")
    term.send(b"1111\r")
    assert term.wait_exit() == 0
    assert audited(ctx, "terminal.closed") == 1


def test_an_app_stopped_and_continued_takes_its_terminal_back(
    ctx: ShopContext, team: Team, database_url: str, tmp_path: Path, terminals: list[KioskTerminal]
) -> None:
    """A SIGCONT after a stop (SIGTSTP, as ctrl+z sends in a shell's terminal) still gives
    the app its terminal back: keys work, and a lead's PIN closes it."""
    term = spawn(["-m", "counter_tui", "--db", database_url], tmp_path)
    terminals.append(term)
    signed_in_as_sam(term)
    os.kill(term.pid, signal.SIGTSTP)
    term.wait_for(lambda: not term.running(), "the stop")
    continued = len(term.output)
    os.kill(term.pid, signal.SIGCONT)
    # Textual asks for focus events once the terminal is raw again (a ctrl+q before
    # that is the terminal's own XON, never the app's key).
    term.wait_for(lambda: FOCUS_EVENTS_ON in term.output[continued:], "the return")
    term.send(b"\x11")
    term.expect("shift lead's PIN")
    term.send(b"1111\r")
    assert term.wait_exit() == 0
    assert audited(ctx, "terminal.closed") == 1
