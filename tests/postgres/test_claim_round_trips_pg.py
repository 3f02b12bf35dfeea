"""A claim on PostgreSQL goes to the server as few times as it can: no ping before every
checkout, and a connection the server dropped while it sat in the pool is replaced
before use (so the claim still succeeds) without a ping for the healthy ones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import event

from counter_tui.db.models import Visit
from counter_tui.services import audit_verify, floor_changes, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.postgres.plug import terminate

pytestmark = pytest.mark.postgres

CLAIM_ROUND_TRIPS = 5
"""BEGIN, the claimer's staff row, the conditional UPDATE, the audit event appended to the
chain (the head locked, read and moved on, the event inserted: one statement), COMMIT."""


@contextmanager
def counted(ctx: ShopContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """What the engine sends to the server while inside: statements, transaction starts
    and ends, and pings (each is one round trip)."""
    engine = ctx.database.engine
    seen: Counter[str] = Counter()

    def statement(*_: Any) -> None:
        seen["statement"] += 1

    def begin(*_: Any) -> None:
        seen["begin"] += 1

    def commit(*_: Any) -> None:
        seen["commit"] += 1

    real_ping = engine.dialect.do_ping

    def ping(dbapi_connection: Any) -> bool:
        seen["ping"] += 1
        return bool(real_ping(dbapi_connection))

    monkeypatch.setattr(engine.dialect, "do_ping", ping)
    listeners = [("before_cursor_execute", statement), ("begin", begin), ("commit", commit)]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield seen
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


def test_a_claim_takes_five_round_trips_and_no_ping(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = visits.new_walk_in(ctx, team.lead, description="red coat")
    second = visits.new_walk_in(ctx, team.lead, description="blue hat")
    visits.claim_visit(ctx, team.sam, first)  # the pool holds a connection now
    with counted(ctx, monkeypatch) as seen:
        visits.claim_visit(ctx, team.alex, second)
    assert seen["ping"] == 0
    assert sum(seen.values()) == CLAIM_ROUND_TRIPS, seen
    report = audit_verify.verify_chain(ctx)
    assert report.intact, [problem.sentence for problem in report.problems]


def test_a_pooled_connection_the_server_dropped_is_replaced_before_a_claim(
    ctx: ShopContext, team: Team, server: psycopg.Connection, database_url: str
) -> None:
    visit_id = visits.new_walk_in(ctx, team.lead, description="red coat")
    assert terminate(server, database_url) >= 1  # every pooled connection of this terminal
    visits.claim_visit(ctx, team.sam, visit_id)
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.owner_id == team.sam.staff_id


def test_a_read_is_one_round_trip_per_statement(ctx: ShopContext, team: Team) -> None:
    """A read scope sends its statements and nothing else: no BEGIN before them and no
    ROLLBACK after (under READ COMMITTED each statement has its own snapshot anyway), so
    the floor board's read of a claimed row is one round trip, not three."""
    visit_id = visits.new_walk_in(ctx, team.lead, description="red coat")
    assert ctx.rules  # read once a process, not part of the board's read
    in_transaction: list[bool] = []

    def statement(_conn: Any, cursor: Any, *_: Any) -> None:
        in_transaction.append(not cursor.connection.autocommit)

    event.listen(ctx.database.engine, "before_cursor_execute", statement)
    try:
        patch = floor_changes.floor_patch(ctx, (), visit_ids=(visit_id,))
    finally:
        event.remove(ctx.database.engine, "before_cursor_execute", statement)
    assert patch is not None and [row.visit_id for row in patch.rows] == [visit_id]
    assert in_transaction == [False]


def test_a_read_that_asks_for_one_snapshot_still_gets_a_transaction(ctx: ShopContext) -> None:
    """`audit verify` reads the chain in one REPEATABLE READ snapshot."""
    with ctx.database.read() as session:
        connection = session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        level = connection.exec_driver_sql("SHOW transaction_isolation").scalar()
        assert level == "repeatable read"
        assert not connection.connection.dbapi_connection.autocommit  # type: ignore[union-attr]
    with ctx.database.read() as session:
        assert session.connection().exec_driver_sql("SHOW transaction_isolation").scalar() == "read committed"
