"""Two real terminals on one shop (issue 8, finding 5): a lead changes the closing time
with `counter-tui shop hours` in one process; the other, already running, follows at once
(its change feed reports the change), and the callbacks it queues are due at the new
close, without a restart. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.services import customers, staff
from tests.concurrency.line_process import REPO_ROOT, LineProcess
from tests.conftest import FRIDAY_11AM, make_settings

pytestmark = pytest.mark.slow


def _start_shop(url: str) -> int:
    """A shop with Dana (lead, 1111), Sam (2222) and a customer who agreed to calls."""
    ctx = open_shop(make_settings(url), clock=ManualClock(FRIDAY_11AM), create=True)
    try:
        dana = staff.add_staff(ctx, None, name="Dana", pin="1111", role="lead")
        staff.add_staff(ctx, staff.sign_in(ctx, dana.id, "1111"), name="Sam", pin="2222")
        return customers.create_customer(
            ctx, staff.sign_in(ctx, dana.id, "1111"), name="Ada", phone="07700 900123", opted_in=["phone"]
        )
    finally:
        ctx.database.dispose()


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`counter-tui --db URL ARGS…` as its own process, allowed by Dana."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "COUNTER_TUI_LEAD": "Dana",
        "COUNTER_TUI_LEAD_PIN": "1111",
    }
    return subprocess.run(
        [sys.executable, "-m", "counter_tui", "--db", url, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_closing_time_changed_at_one_terminal_moves_the_other_terminals_due_times(
    shared_url: str,
) -> None:
    customer = _start_shop(shared_url)
    till = LineProcess("tests.concurrency.settings_terminal", shared_url, str(customer))
    try:
        assert till.read_line() == "ready"
        till.send("callback")
        assert datetime.fromisoformat(till.read_line()) == datetime(2026, 11, 20, 17, 30, tzinfo=UTC)

        changed = _cli(shared_url, "shop", "hours", "fri", "09:00-12:30,13:30-16:00")
        assert changed.returncode == 0, changed.stderr
        assert till.read_line() == "settings changed"
        till.send("callback")

        assert datetime.fromisoformat(till.read_line()) == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    finally:
        till.kill()
