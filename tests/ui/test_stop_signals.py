"""The REAL staff app stopped by the system (SIGTERM at shutdown, SIGHUP when its window
is closed) closes like an app closed by a lead, less the PIN: it leaves the list of who is
signed in at once, with an audit event saying who was signed in, instead of counting as a
terminal in use for minutes (which refused a restore and skewed the kiosk's wait quote)."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.db.models import AuditEvent, TerminalSession
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.ui.test_terminal_bytes import sign_in_sam, spawn, stop

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="uses a Linux pty"),
]


def signed_in_rows(ctx: ShopContext) -> list[int | None]:
    """The staff id on every running app's row."""
    with ctx.database.read() as session:
        return list(session.exec(select(TerminalSession.staff_id)))


def stopped_events(ctx: ShopContext) -> list[dict[str, object]]:
    """The details of every 'staff app stopped' audit event."""
    with ctx.database.read() as session:
        rows = session.exec(select(AuditEvent).where(AuditEvent.action == "terminal.stopped"))
        return [json.loads(row.details) for row in rows]


@pytest.mark.parametrize("stopped_by", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_stopped_app_leaves_the_signed_in_list_at_once(
    ctx: ShopContext, team: Team, database_url: str, tmp_path: Path, stopped_by: signal.Signals
) -> None:
    term = spawn(["-m", "counter_tui", "--db", database_url], tmp_path)
    try:
        term.expect("Who are you?")
        sign_in_sam(term)
        assert signed_in_rows(ctx) == [team.sam.staff_id]
        os.kill(term.pid, stopped_by)
        term.wait_exit()
        assert "Traceback" not in term.output.decode("utf-8", "replace")
    finally:
        stop(term)
    assert signed_in_rows(ctx) == []
    assert stopped_events(ctx) == [{"how": stopped_by.name, "signed_in": team.sam.staff_id}]
