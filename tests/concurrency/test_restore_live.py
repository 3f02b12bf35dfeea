"""A restore while terminals are running (issue: after `db restore` running terminals
skipped other terminals' changes). The restored data numbers its changes from the
backup's, below what the running feed has seen; the feed notices the database was
replaced, says so (screens re-read everything) and reports the changes made after it,
on SQLite and PostgreSQL, with the restore run by the command line in its own process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.services import backup, sessions, staff, visits
from tests.concurrency.line_process import REPO_ROOT, LineProcess
from tests.conftest import FRIDAY_11AM, make_settings

pytestmark = pytest.mark.slow


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
        timeout=180,
        check=False,
    )


def _lines_until(terminal: LineProcess, wanted: str) -> list[str]:
    lines = [terminal.read_line()]
    while lines[-1] != wanted:
        lines.append(terminal.read_line())
    return lines


def test_a_running_feed_follows_a_restore_and_the_changes_after_it(shared_url: str) -> None:
    ctx = open_shop(make_settings(shared_url), clock=ManualClock(FRIDAY_11AM), create=True)
    try:
        dana = staff.add_staff(ctx, None, name="Dana", pin="1111", role="lead")
        lead = staff.sign_in(ctx, dana.id, "1111")
        sam = staff.sign_in(ctx, staff.add_staff(ctx, lead, name="Sam", pin="2222").id, "2222")
        kept = visits.new_walk_in(ctx, sam, description="in the backup")
        made = backup.back_up(ctx, lead)
        for n in range(5):  # the live log runs on past the backup's end
            visits.new_walk_in(ctx, sam, description=f"lost {n}")
        sessions.sign_out(ctx, sam)

        terminal = LineProcess("tests.concurrency.feed_terminal", shared_url)
        try:
            assert terminal.read_line() == "ready"
            restored = _cli(shared_url, "db", "restore", str(made.path))
            assert restored.returncode == 0, restored.stderr
            _lines_until(terminal, "replaced")

            # The first changes after the restore reuse numbers the feed saw before it.
            sam = staff.sign_in(ctx, sam.staff_id or 0, "2222")
            visits.claim_visit(ctx, sam, kept)
            _lines_until(terminal, f"visit.claimed {kept}")
        finally:
            terminal.kill()
    finally:
        ctx.database.dispose()
