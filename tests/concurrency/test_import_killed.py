"""An import stopped half way, by a kill or Ctrl+C, in a real process: the shop holds
whole batches only (customers with their own and their batch's audit events), and running the
same command again finishes it, the rows already saved counting as unchanged. On SQLite
and PostgreSQL."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.db.models import AuditEvent, Customer
from counter_tui.services import staff
from tests.concurrency.line_process import LineProcess
from tests.conftest import FRIDAY_11AM, make_settings
from tests.unit.till_exports import SHOPIFY_ADMIN, shopify_customer, write_export

pytestmark = pytest.mark.slow

ROWS = 3_000
BATCH = 200


def _shop_with_lead(url: str) -> None:
    ctx = open_shop(make_settings(url), clock=ManualClock(FRIDAY_11AM), create=True)
    try:
        staff.add_staff(ctx, None, name="Dana", pin="1111", role="lead")
    finally:
        ctx.database.dispose()


def _saved(url: str) -> tuple[int, list[dict[str, int]], int, int]:
    """Customers on file, the batch events' details, how many whole-import events, and
    how many events about a customer created."""
    ctx = open_shop(make_settings(url), clock=ManualClock(FRIDAY_11AM), migrate=False)
    try:
        with ctx.database.read() as session:
            customers = int(session.exec(select(func.count()).select_from(Customer)).one())
            batches = [
                json.loads(event.details)
                for event in session.exec(
                    select(AuditEvent).where(AuditEvent.action == "customers.import_batch")
                )
            ]
            whole, created = (
                int(
                    session.exec(
                        select(func.count()).select_from(AuditEvent).where(col(AuditEvent.action) == action)
                    ).one()
                )
                for action in ("customers.imported", "customer.created")
            )
        return customers, batches, whole, created
    finally:
        ctx.database.dispose()


def _import(url: str, path: Path) -> LineProcess:
    return LineProcess(
        "counter_tui", "--db", url, "customers", "import", str(path), "--batch-rows", str(BATCH)
    )


@pytest.fixture
def export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNTER_TUI_LEAD", "Dana")
    monkeypatch.setenv("COUNTER_TUI_LEAD_PIN", "1111")
    return write_export(
        tmp_path / "big.csv", SHOPIFY_ADMIN, [shopify_customer(n) for n in range(1, ROWS + 1)]
    )


@pytest.fixture
def ctrl_c_as_in_a_terminal() -> Iterator[None]:
    """Ctrl+C reaches the import as it does in a terminal, also when this run was started
    in the background (where the shell has it ignore SIGINT, and a child inherits an
    ignored signal): with a handler here instead, the child starts with the default."""
    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_a_stopped_import_leaves_whole_batches_and_running_it_again_finishes_it(
    shared_url: str, export: Path, stop: signal.Signals, ctrl_c_as_in_a_terminal: None
) -> None:
    _shop_with_lead(shared_url)
    first = _import(shared_url, export)
    while first.read_line() != f"  {2 * BATCH:,} rows done":
        pass

    first.process.send_signal(stop)
    first.process.wait(timeout=60)

    customers, batches, whole, created = _saved(shared_url)
    assert 2 * BATCH <= customers < ROWS
    assert customers % BATCH == 0, "only whole batches are saved"
    assert sum(batch["new"] for batch in batches) == customers, "each batch saved with its audit event"
    assert created == customers, "and with each of its customers' events"
    assert whole == 0
    if stop is signal.SIGINT:
        assert first.process.returncode == 130
        assert first.process.stderr is not None
        said = first.process.stderr.read().decode().strip()
        assert (
            said.startswith("Stopped by Ctrl+C. The first ")
            and "run the same command again to finish" in said
        )

    again = _import(shared_url, export)
    said = again.read_line()
    while not said.startswith("Imported"):
        said = again.read_line()

    new, unchanged = ROWS - customers, customers
    assert said == f"Imported {ROWS:,} rows: {new:,} new, 0 updated, {unchanged:,} unchanged, 0 rejected."
    assert again.process.wait(timeout=60) == 0
    assert _saved(shared_url)[0] == ROWS
    assert _saved(shared_url)[2:] == (1, ROWS)
