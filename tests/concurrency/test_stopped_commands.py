"""Ctrl+C (SIGINT) in the middle of `customers export` and `db backup`, in a real process:
exit code 130, one sentence on stderr saying it was stopped and what it left (the file
asked for not written, and no hidden half-written file beside it), never a traceback.

The shop is large enough (customers and notes inserted in bulk) that the command is still
writing when the signal comes: the test waits for its hidden partial file, then stops it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.services import staff
from tests.concurrency.line_process import REPO_ROOT
from tests.conftest import FRIDAY_11AM, make_settings

pytestmark = pytest.mark.slow

CUSTOMERS = 60_000
NOTES = 40_000
LEAD = {"COUNTER_TUI_LEAD": "Dana", "COUNTER_TUI_LEAD_PIN": "1111"}


@pytest.fixture(scope="module")
def big_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A shop file with a lead, Dana (1111), CUSTOMERS customers and NOTES long notes
    about them (about 170 MB, for the backup to copy and check), built once: its export
    takes about two seconds, its backup one."""
    path = tmp_path_factory.mktemp("big") / "shop.sqlite3"
    ctx = open_shop(make_settings(f"sqlite:///{path}"), clock=ManualClock(FRIDAY_11AM), create=True)
    try:
        staff.add_staff(ctx, None, name="Dana", pin="1111", role="lead")
    finally:
        ctx.database.dispose()
    with sqlite3.connect(path) as connection:
        connection.executemany(CUSTOMER, ({"id": n, "n": f"{n:06d}"} for n in range(1, CUSTOMERS + 1)))
        connection.executemany(NOTE, ((n, "asked about the oak table " * 80) for n in range(1, NOTES + 1)))
    return path


CREATED = "'2026-01-05 09:00:00.000000'"  # as the app stores a time in SQLite
CUSTOMER = (
    "INSERT INTO customer (id, name, name_key, phone, phone_digits, phone_normalised, email, preferences,"
    " created_at) VALUES (:id, 'Customer ' || :n, 'customer ' || :n, '07700 ' || :n, '07700' || :n, '',"
    f" 'c' || :n || '@example.com', 'quiet mornings', {CREATED})"
)
NOTE = f"INSERT INTO customernote (customer_id, author_id, body, created_at) VALUES (?, 1, ?, {CREATED})"


@pytest.fixture
def ctrl_c_as_in_a_terminal() -> Iterator[None]:
    """A child started from here gets SIGINT's default handling, as at a terminal (a run
    started in the background has SIGINT ignored, and a child inherits that)."""
    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _start(shop: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, **LEAD, "PYTHONPATH": str(REPO_ROOT), "COUNTER_TUI_CONFIG": "/nonexistent.toml"}
    return subprocess.Popen(
        [sys.executable, "-m", "counter_tui", "--db", f"sqlite:///{shop}", *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _stop_while_writing(process: subprocess.Popen[bytes], folder: Path) -> tuple[int, str, str]:
    """Wait until the command's hidden partial file is there, send SIGINT; exit code,
    stdout and stderr."""
    deadline = time.monotonic() + 60
    while not any(name.endswith(".partial") for name in os.listdir(folder)):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the command never began its file"
        time.sleep(0.002)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return process.returncode, out.decode(), err.decode()


@pytest.mark.parametrize(
    ("command", "what"),
    [(["customers", "export", "--out"], "the export"), (["db", "backup"], "the backup")],
    ids=["export", "backup"],
)
def test_ctrl_c_while_writing_a_file_says_it_was_not_written_and_leaves_nothing(
    big_shop: Path, tmp_path: Path, ctrl_c_as_in_a_terminal: None, command: list[str], what: str
) -> None:
    target = tmp_path / "out" / "file"
    target.parent.mkdir()

    code, out, err = _stop_while_writing(_start(big_shop, *command, str(target)), target.parent)

    assert (code, out) == (130, "")
    assert err == f"Stopped by Ctrl+C; {what} at {target} was not written.\n"
    assert os.listdir(target.parent) == []


def test_ctrl_c_while_exporting_to_standard_output_says_it_is_incomplete(
    big_shop: Path, ctrl_c_as_in_a_terminal: None
) -> None:
    process = _start(big_shop, "customers", "export")
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b"Customer ID,Name,")
    time.sleep(1)  # nothing more is read: the pipe fills and the export waits to write

    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)

    assert process.returncode == 130
    assert err.decode() == "Stopped by Ctrl+C; what the export wrote to standard output is incomplete.\n"
